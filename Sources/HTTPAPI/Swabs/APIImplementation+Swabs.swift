import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension APIImplementation {
    func getSwabSchedule(_ input: Operations.GetSwabSchedule.Input) async throws -> Operations.GetSwabSchedule.Output {
        let schedule = try await services.swabs.schedule(
            siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(body: .json(.init(schedule))))
    }

    func setSwabSchedule(_ input: Operations.SetSwabSchedule.Input) async throws -> Operations.SetSwabSchedule.Output {
        let body = try input.body.payload
        let schedule = try await services.swabs.setSchedule(
            siteId: try Parse.id(input.path.siteId, "siteId"), body.schedule, actor: actor)
        return .ok(.init(body: .json(.init(schedule))))
    }

    func makeSwabRound(_ input: Operations.MakeSwabRound.Input) async throws -> Operations.MakeSwabRound.Output {
        let body = try input.body.payload
        let made = try await services.swabs.makeRound(
            siteId: try Parse.id(input.path.siteId, "siteId"), day: try Parse.date(body.date, "date"), actor: actor)
        return .ok(.init(body: .json(.init(made))))
    }

    func getSwabRound(_ input: Operations.GetSwabRound.Input) async throws -> Operations.GetSwabRound.Output {
        let round = try await services.swabs.round(
            siteId: try Parse.id(input.path.siteId, "siteId"), day: try Parse.roundDate(input.path.date), actor: actor)
        return .ok(.init(body: .json(.init(round))))
    }

    func listRoundSpecimens(_ input: Operations.ListRoundSpecimens.Input) async throws
        -> Operations.ListRoundSpecimens.Output
    {
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let day = try Parse.roundDate(input.path.date)
        let q = input.query
        let zoneId: Zone.ID? = try q.zoneId.map { try Parse.id($0, "zoneId") }
        let page = try await services.swabs.tubes(
            siteId: siteId, day: day, zoneId: zoneId, status: q.status?.converted(),
            page: try Parse.page(q.cursor, q.limit), actor: actor)
        let next = Parse.nextLink(
            "/sites/\(siteId)/swab-rounds/\(day)/specimens",
            [
                ("zoneId", q.zoneId.map { String($0) }), ("status", q.status?.rawValue),
                ("limit", q.limit.map(String.init)),
            ], cursor: page.nextCursor)
        return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.Specimen.init), next: next))))
    }

    func getSpecimen(_ input: Operations.GetSpecimen.Input) async throws -> Operations.GetSpecimen.Output {
        let specimen = try await services.swabs.specimen(
            siteId: try Parse.id(input.path.siteId, "siteId"), accession: try Parse.accession(input.path.accession),
            actor: actor)
        return .ok(.init(body: .json(.init(specimen))))
    }

    func recordSpecimenCollection(_ input: Operations.RecordSpecimenCollection.Input) async throws
        -> Operations.RecordSpecimenCollection.Output
    {
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let accession = try Parse.accession(input.path.accession)
        let specimen = try await services.swabs.recordCollection(
            siteId: siteId, accession: accession, try input.body.payload.entry, actor: actor)
        return .ok(.init(body: .json(.init(specimen))))
    }

    func getSwabLabels(_ input: Operations.GetSwabLabels.Input) async throws -> Operations.GetSwabLabels.Output {
        let q = input.query
        let zoneId: Zone.ID? = try q.zoneId.map { try Parse.id($0, "zoneId") }
        let pdf = try await services.swabs.labels(
            siteId: try Parse.id(input.path.siteId, "siteId"), day: try Parse.roundDate(input.path.date),
            zoneId: zoneId, accessions: try (q.accession ?? []).map { try Parse.accession($0) },
            sheet: q.sheet?.rawValue == "thermal" ? .thermal : .a4, actor: actor)
        return .ok(.init(body: .pdf(HTTPBody(pdf))))
    }

    func getWristband(_ input: Operations.GetWristband.Input) async throws -> Operations.GetWristband.Output {
        let pdf = try await services.swabs.wristband(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"),
            actor: actor)
        return .ok(.init(body: .pdf(HTTPBody(pdf))))
    }

    func getIntakeWristbands(_ input: Operations.GetIntakeWristbands.Input) async throws
        -> Operations.GetIntakeWristbands.Output
    {
        let pdf = try await services.swabs.wristbands(
            siteId: try Parse.id(input.path.siteId, "siteId"), batchId: try Parse.id(input.path.batchId, "batchId"),
            actor: actor)
        return .ok(.init(body: .pdf(HTTPBody(pdf))))
    }
}
