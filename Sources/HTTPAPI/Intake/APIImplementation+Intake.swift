import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension APIImplementation {
    func listIntakeBatches(_ input: Operations.ListIntakeBatches.Input) async throws
        -> Operations.ListIntakeBatches.Output
    {
        let batches = try await services.intake.batches(
            siteId: try Parse.id(input.path.siteId, "siteId"), open: input.query.open ?? false, actor: actor)
        return .ok(.init(body: .json(.init(items: batches.map(Components.Schemas.IntakeBatch.init)))))
    }

    func importTransferList(_ input: Operations.ImportTransferList.Input) async throws
        -> Operations.ImportTransferList.Output
    {
        let body = try input.body.payload
        let batch = try await services.intake.importList(
            siteId: try Parse.id(input.path.siteId, "siteId"), try body.transferList(), actor: actor)
        return .created(.init(body: .json(.init(batch))))
    }

    func importTransferListCSV(_ input: Operations.ImportTransferListCSV.Input) async throws
        -> Operations.ImportTransferListCSV.Output
    {
        guard case .csv(let body) = input.body else { throw DomainError.invalid("body", "must be text/csv") }
        let text: String
        do {
            text = try await String(collecting: body, upTo: 4 * 1024 * 1024)
        } catch {
            throw DomainError.invalid("body", "a transfer list file is at most 4 MiB")
        }
        let batch = try await services.intake.importCSV(
            siteId: try Parse.id(input.path.siteId, "siteId"), text, reference: input.query.reference,
            expectedAt: input.query.expectedAt, actor: actor)
        return .created(.init(body: .json(.init(batch))))
    }

    func getIntakeBatch(_ input: Operations.GetIntakeBatch.Input) async throws -> Operations.GetIntakeBatch.Output {
        let (batch, persons) = try await services.intake.batch(
            siteId: try Parse.id(input.path.siteId, "siteId"), batchId: try Parse.id(input.path.batchId, "batchId"),
            actor: actor)
        return .ok(
            .init(body: .json(.init(batch: .init(batch), persons: persons.map(Components.Schemas.IntakePerson.init)))))
    }

    func proposeIntakeBeds(_ input: Operations.ProposeIntakeBeds.Input) async throws
        -> Operations.ProposeIntakeBeds.Output
    {
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let batchId: IntakeBatch.ID = try Parse.id(input.path.batchId, "batchId")
        _ = try await services.intake.propose(siteId: siteId, batchId: batchId, actor: actor)
        let (batch, persons) = try await services.intake.batch(siteId: siteId, batchId: batchId, actor: actor)
        return .ok(
            .init(body: .json(.init(batch: .init(batch), persons: persons.map(Components.Schemas.IntakePerson.init)))))
    }

    func admitIntakeBatch(_ input: Operations.AdmitIntakeBatch.Input) async throws
        -> Operations.AdmitIntakeBatch.Output
    {
        let body = try input.body.payload
        let only = body.personIds.map { Set($0.map(IntakePerson.ID.init(rawValue:))) }
        let result = try await services.intake.admit(
            siteId: try Parse.id(input.path.siteId, "siteId"), batchId: try Parse.id(input.path.batchId, "batchId"),
            only: only, arrivedAt: body.arrivedAt, actor: actor)
        return .ok(
            .init(
                body: .json(
                    .init(
                        admitted: result.admitted.map {
                            .init(
                                personId: $0.personId.rawValue, patientId: $0.patientId.rawValue, replayed: $0.replayed)
                        },
                        reproposed: result.reproposed.map(Components.Schemas.IntakePerson.init),
                        skipped: result.skipped.map { .init(personId: $0.personId.rawValue, reason: $0.reason) }))))
    }

    func chooseIntakeBed(_ input: Operations.ChooseIntakeBed.Input) async throws -> Operations.ChooseIntakeBed.Output {
        let body = try input.body.payload
        let person = try await services.intake.chooseBed(
            siteId: try Parse.id(input.path.siteId, "siteId"), personId: try Parse.id(input.path.personId, "personId"),
            bedId: Bed.ID(rawValue: body.bedId), expectedVersion: ETag.version(ifMatch: input.headers.ifMatch),
            actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(person.version)), body: .json(.init(person))))
    }

    func cancelIntakePerson(_ input: Operations.CancelIntakePerson.Input) async throws
        -> Operations.CancelIntakePerson.Output
    {
        let person = try await services.intake.cancel(
            siteId: try Parse.id(input.path.siteId, "siteId"), personId: try Parse.id(input.path.personId, "personId"),
            actor: actor)
        return .ok(.init(body: .json(.init(person))))
    }
}

extension Components.Schemas.TransferListInput {
    /// The list as Domain reads it; a birth or test date that is not one is named by its place.
    func transferList() throws -> TransferList {
        var v = Validator()
        var persons: [TransferPerson] = []
        for (i, p) in self.persons.enumerated() {
            let born = CalendarDate(p.dateOfBirth)
            v.check(born != nil, "persons[\(i)].dateOfBirth", "must be a date as YYYY-MM-DD")
            let tested = p.testDate.map { CalendarDate($0) }
            v.check(tested != .some(nil), "persons[\(i)].testDate", "must be a date as YYYY-MM-DD")
            guard let born else { continue }
            persons.append(
                TransferPerson(
                    name: p.name, sex: p.sex.converted(), dateOfBirth: born, nationalId: p.nationalId, phone: p.phone,
                    homeAddress: p.homeAddress, committee: p.committee, testDate: tested ?? nil, nGeneCt: p.nGeneCt,
                    orf1abCt: p.orf1abCt, vulnerabilities: Set((p.vulnerabilities ?? []).map { $0.converted() }),
                    household: p.household, expectedAt: p.expectedAt))
        }
        try v.finish()
        return TransferList(reference: reference, expectedAt: expectedAt, persons: persons)
    }
}

extension Components.Schemas.IntakeBatch {
    init(_ b: IntakeBatch) {
        self.init(
            id: b.id.rawValue, siteId: b.siteId.rawValue, reference: b.reference, expectedAt: b.expectedAt,
            createdAt: b.createdAt, expected: b.expected, admitted: b.admitted, cancelled: b.cancelled,
            proposed: b.proposed)
    }
}

extension Components.Schemas.IntakePerson {
    init(_ i: IntakePerson) {
        let p = i.person
        self.init(
            id: i.id.rawValue, batchId: i.batchId.rawValue, position: i.position, name: p.name, sex: p.sex.converted(),
            dateOfBirth: p.dateOfBirth.description, nationalId: p.nationalId,
            nationalIdMasked: p.nationalId.contains("*"), phone: p.phone, homeAddress: p.homeAddress,
            committee: p.committee, testDate: p.testDate?.description, nGeneCt: p.nGeneCt, orf1abCt: p.orf1abCt,
            vulnerabilities: p.vulnerabilities.map(\.rawValue).sorted().map { .init(rawValue: $0)! },
            household: p.household, expectedAt: p.expectedAt, status: i.status.converted(), bedId: i.bedId?.rawValue,
            bedCode: i.bedCode, reasons: i.reasons.map(\.english), patientId: i.patientId?.rawValue,
            version: i.version)
    }
}
