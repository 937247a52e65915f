import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension APIImplementation {
    func listHospitals(_ input: Operations.ListHospitals.Input) async throws -> Operations.ListHospitals.Output {
        .ok(
            .init(
                body: .json(.init(items: (try await services.hospitals.hospitals(actor: actor)).map { .init($0) })))
        )
    }

    func createHospital(_ input: Operations.CreateHospital.Input) async throws -> Operations.CreateHospital.Output {
        let b = try input.body.payload
        let registered = try await services.hospitals.add(
            HospitalDraft(
                code: b.code, name: b.name, contactName: b.contactName ?? "", contactPhone: b.contactPhone ?? "",
                webhookUrl: b.webhookUrl,
                departments: (b.departments ?? []).map {
                    .init(code: $0.code, name: $0.name, services: $0.services.map { $0.converted() })
                }),
            actor: actor)
        return .created(.init(body: .json(.init(registered))))
    }

    func listSiteReferrals(_ input: Operations.ListSiteReferrals.Input) async throws
        -> Operations.ListSiteReferrals.Output
    {
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let page = try await services.referrals.list(
            siteId: siteId, status: input.query.status?.converted(),
            page: try Parse.page(input.query.cursor, input.query.limit), actor: actor)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: page.items.map { .init($0) },
                        next: Parse.nextLink(
                            "/sites/\(siteId)/referrals",
                            [("status", input.query.status?.rawValue), ("limit", input.query.limit.map(String.init))],
                            cursor: page.nextCursor)))))
    }

    func createReferral(_ input: Operations.CreateReferral.Input) async throws -> Operations.CreateReferral.Output {
        let b = try input.body.payload
        let created = try await services.referrals.create(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            ReferralDraft(
                patientId: Patient.ID(rawValue: b.patientId), hospitalId: Hospital.ID(rawValue: b.hospitalId),
                departmentId: b.departmentId.map(Hospital.Department.ID.init(rawValue:)), reason: b.reason,
                clinicalSummary: b.clinicalSummary, services: b.services.map { $0.converted() },
                urgency: b.urgency.converted(),
                fastLane: b.fastLane ?? false, committeeContact: b.committeeContact ?? "", requestedAt: b.requestedAt),
            actor: actor, idempotencyKey: try Parse.key(input.headers.idempotencyKey))
        return .created(
            .init(
                headers: .init(idempotencyReplayed: created.replayed ? "true" : nil),
                body: .json(.init(created.value))))
    }

    func getSiteReferral(_ input: Operations.GetSiteReferral.Input) async throws -> Operations.GetSiteReferral.Output {
        let referral = try await services.referrals.referral(
            id: try Parse.id(input.path.referralId, "referralId"),
            siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(
            .init(headers: .init(eTag: ETag.header(referral.version)), body: .json(.init(referral))))
    }

    func transitionSiteReferral(_ input: Operations.TransitionSiteReferral.Input) async throws
        -> Operations.TransitionSiteReferral.Output
    {
        let b = try input.body.payload
        let moved = try await services.referrals.transition(
            id: try Parse.id(input.path.referralId, "referralId"), siteId: try Parse.id(input.path.siteId, "siteId"),
            b.transition(),
            expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor,
            idempotencyKey: try Parse.key(input.headers.idempotencyKey))
        return .ok(
            .init(
                headers: .init(
                    idempotencyReplayed: moved.replayed ? "true" : nil, eTag: ETag.header(moved.value.version)),
                body: .json(.init(moved.value))))
    }

    func addReferralNote(_ input: Operations.AddReferralNote.Input) async throws -> Operations.AddReferralNote.Output {
        let b = try input.body.payload
        let referral = try await services.referrals.addNote(
            id: try Parse.id(input.path.referralId, "referralId"),
            siteId: try Parse.id(input.path.siteId, "siteId"), note: b.note, actor: actor)
        return .created(.init(body: .json(.init(referral))))
    }

    func listHospitalReferrals(_ input: Operations.ListHospitalReferrals.Input) async throws
        -> Operations.ListHospitalReferrals.Output
    {
        let page = try await services.referrals.list(
            siteId: nil, status: input.query.status?.converted(), since: input.query.since,
            page: try Parse.page(input.query.cursor, input.query.limit), actor: actor)
        let since = input.query.since.map { ISO8601DateFormatter().string(from: $0) }
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: page.items.map { .init($0) },
                        next: Parse.nextLink(
                            "/hospital/referrals",
                            [
                                ("status", input.query.status?.rawValue), ("since", since),
                                ("limit", input.query.limit.map(String.init)),
                            ], cursor: page.nextCursor)))))
    }

    func getHospitalReferral(_ input: Operations.GetHospitalReferral.Input) async throws
        -> Operations.GetHospitalReferral.Output
    {
        let actor = try actor
        guard actor.hospitalId != nil else {
            throw DomainError.forbidden("only a hospital system uses /hospital/referrals")
        }
        let referral = try await services.referrals.referral(
            id: try Parse.id(input.path.referralId, "referralId"), actor: actor)
        return .ok(
            .init(headers: .init(eTag: ETag.header(referral.version)), body: .json(.init(referral))))
    }

    func transitionHospitalReferral(_ input: Operations.TransitionHospitalReferral.Input) async throws
        -> Operations.TransitionHospitalReferral.Output
    {
        let b = try input.body.payload
        let actor = try actor
        guard actor.hospitalId != nil else {
            throw DomainError.forbidden("only a hospital system uses /hospital/referrals")
        }
        let moved = try await services.referrals.transition(
            id: try Parse.id(input.path.referralId, "referralId"), b.transition(),
            expectedVersion: ETag.version(ifMatch: input.headers.ifMatch),
            actor: actor, idempotencyKey: try Parse.key(input.headers.idempotencyKey))
        return .ok(
            .init(
                headers: .init(
                    idempotencyReplayed: moved.replayed ? "true" : nil, eTag: ETag.header(moved.value.version)),
                body: .json(.init(moved.value))))
    }

    func listOverdueReferrals(_ input: Operations.ListOverdueReferrals.Input) async throws
        -> Operations.ListOverdueReferrals.Output
    {
        .ok(
            .init(body: .json(.init(items: (try await services.referrals.overdue(actor: actor)).map { .init($0) })))
        )
    }
}

extension Components.Schemas.ReferralTransitionInput {
    func transition() -> ReferralTransition {
        ReferralTransition(
            to: to.converted(), note: note ?? "", appointmentAt: appointmentAt, outcome: outcome?.converted())
    }
}
