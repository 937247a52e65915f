import CordonAPI
import Domain
import OpenAPIRuntime
import Services

extension APIImplementation {
    func listPatients(_ input: Operations.ListPatients.Input) async throws -> Operations.ListPatients.Output {
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let q = input.query
        let page = try await services.patients.list(
            siteId: siteId, status: q.status?.converted(), releaseEligible: q.eligible,
            page: try Parse.page(q.cursor, q.limit), actor: actor)
        let next = Parse.nextLink(
            "/sites/\(siteId)/patients",
            [
                ("status", q.status?.rawValue), ("eligible", q.eligible.map { String($0) }),
                ("limit", q.limit.map(String.init)),
            ], cursor: page.nextCursor)
        return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.Patient.init), next: next))))
    }

    func admitPatient(_ input: Operations.AdmitPatient.Input) async throws -> Operations.AdmitPatient.Output {
        let body = try input.body.payload
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let created = try await services.patients.admit(
            siteId: siteId, try body.admission(), actor: actor,
            idempotencyKey: try Parse.key(input.headers.idempotencyKey))
        let patient = created.value
        return .created(
            .init(
                headers: .init(
                    eTag: ETag.header(patient.version), location: "/sites/\(siteId)/patients/\(patient.id)",
                    idempotencyReplayed: created.replayed ? "true" : nil),
                body: .json(.init(patient))))
    }

    func getPatient(_ input: Operations.GetPatient.Input) async throws -> Operations.GetPatient.Output {
        let patient = try await services.patients.get(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(patient.version)), body: .json(.init(patient))))
    }

    func updatePatient(_ input: Operations.UpdatePatient.Input) async throws -> Operations.UpdatePatient.Output {
        let body = try input.body.payload
        let changes = PatientChanges(
            phone: body.phone.map { .some($0) }, severity: body.severity?.converted(), partyMember: body.partyMember)
        let patient = try await services.patients.update(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"),
            changes, expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(patient.version)), body: .json(.init(patient))))
    }

    func movePatient(_ input: Operations.MovePatient.Input) async throws -> Operations.MovePatient.Output {
        let body = try input.body.payload
        let patient = try await services.patients.move(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"),
            toBed: Bed.ID(rawValue: body.bedId), expectedVersion: ETag.version(ifMatch: input.headers.ifMatch),
            actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(patient.version)), body: .json(.init(patient))))
    }

    func dischargePatient(_ input: Operations.DischargePatient.Input) async throws -> Operations.DischargePatient.Output
    {
        let body = try input.body.payload
        let patient = try await services.patients.discharge(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"),
            reason: body.reason.converted(), note: body.note, at: body.dischargedAt,
            expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(patient.version)), body: .json(.init(patient))))
    }

    func listBedAssignments(_ input: Operations.ListBedAssignments.Input) async throws
        -> Operations.ListBedAssignments.Output
    {
        let items = try await services.patients.assignments(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"), actor: actor)
        return .ok(.init(body: .json(.init(items: items.map(Components.Schemas.BedAssignment.init)))))
    }

    func listTestResults(_ input: Operations.ListTestResults.Input) async throws -> Operations.ListTestResults.Output {
        let items = try await services.patients.tests(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"), actor: actor)
        return .ok(.init(body: .json(.init(items: items.map(Components.Schemas.TestResult.init)))))
    }

    func addTestResult(_ input: Operations.AddTestResult.Input) async throws -> Operations.AddTestResult.Output {
        let body = try input.body.payload
        let created = try await services.patients.addTest(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"),
            NucleicAcidTestEntry(
                sampledAt: body.sampledAt, result: body.result.converted(), nGeneCt: body.nGeneCt,
                orf1abCt: body.orf1abCt),
            actor: actor, idempotencyKey: try Parse.key(input.headers.idempotencyKey))
        return .created(
            .init(
                headers: .init(idempotencyReplayed: created.replayed ? "true" : nil), body: .json(.init(created.value)))
        )
    }

    func getDischargeEligibility(_ input: Operations.GetDischargeEligibility.Input) async throws
        -> Operations.GetDischargeEligibility.Output
    {
        let verdict = try await services.patients.eligibility(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"), actor: actor)
        let rule = services.settings.dischargeRule
        return .ok(
            .init(
                body: .json(
                    .init(
                        eligible: verdict.eligible, reasons: verdict.reasons,
                        qualifyingTestIds: verdict.qualifyingTestIds,
                        ctThreshold: rule.ctThreshold, minimumIntervalHours: rule.minimumInterval / 3600))))
    }
}
