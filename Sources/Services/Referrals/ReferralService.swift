import Domain
import Foundation
import Storage

/// Green-channel referrals: clinicians log them, hospital systems answer and move them, site
/// managers watch the escalation list. Every transition is checked by the state machine and
/// written to the timeline with actor, role, time and note.
public struct ReferralService: Sendable {
    let database: Database
    let targets: ReferralTargets

    public static let requesters: Set<Role> = [.clinician]
    public static let siteReaders: Set<Role> = [.clinician, .siteManager]

    /// Logs a referral for an admitted patient of the site.
    public func create(siteId: Site.ID, _ draft: ReferralDraft, actor: Actor, idempotencyKey: IdempotencyKey? = nil)
        async throws -> Created<Referral>
    {
        try actor.require(Self.requesters, at: siteId)
        try draft.validate()
        return try await database.transaction(
            actor, idempotency: try IdempotentRequest(idempotencyKey, operation: "referral.create", request: draft)
        ) { tx in
            guard let patient = try await tx.patients.get(siteId: siteId, id: draft.patientId) else {
                throw DomainError.invalid("patientId", "no patient \(draft.patientId) at this site")
            }
            try patient.requireAdmitted()
            let hospitals = try await tx.hospitals.hospitals()
            guard let hospital = hospitals.first(where: { $0.id == draft.hospitalId }) else {
                throw DomainError.invalid("hospitalId", "no hospital \(draft.hospitalId)")
            }
            if let departmentId = draft.departmentId, !hospital.departments.contains(where: { $0.id == departmentId }) {
                throw DomainError.invalid("departmentId", "no department \(departmentId) at \(hospital.name)")
            }
            let repository = tx.referrals
            let id = try await repository.insert(siteId: siteId, draft, requestedBy: actor.username)
            try await repository.appendEvent(
                siteId: siteId, referralId: id, from: nil, to: .requested, actorName: actor.username,
                role: actor.auditRole(at: siteId), note: draft.reason)
            let referral = try await repository.referral(siteId: siteId, id: id)!
            try await tx.audit.record(
                "create", entity: "referral", id: id, siteId: siteId, before: Nothing?.none, after: referral)
            try await tellHospital(.referralCreated, referral, tx)
            return referral
        }.map { $0.visible(to: actor) }
    }

    /// One referral: for the site's clinicians and managers, or for the hospital it is addressed to.
    public func referral(id: Referral.ID, siteId: Site.ID? = nil, actor: Actor) async throws -> Referral {
        try await database.read(actor) { tx in
            let repository = tx.referrals
            guard let site = try await Self.site(of: id, given: siteId, repository),
                let referral = try await repository.referral(siteId: site, id: id)
            else { throw DomainError.notFound("referral not found") }
            try authorise(actor, toRead: referral)
            return referral.visible(to: actor)
        }
    }

    /// Referrals by id: a site's (clinicians, managers) or a hospital's own (its system), changed
    /// after `since` when given.
    public func list(
        siteId: Site.ID?, status: ReferralStatus? = nil, since: Date? = nil, page: PageRequest, actor: Actor
    ) async throws -> Page<Referral> {
        let hospitalId: Hospital.ID?
        if let siteId {
            try actor.require(Self.siteReaders, at: siteId)
            hospitalId = nil
        } else {
            guard let own = actor.hospitalId else {
                throw DomainError.forbidden("only a hospital system lists referrals across sites")
            }
            hospitalId = own
        }
        let rows = try await database.read(actor) { tx in
            try await tx.referrals.referrals(
                siteId: siteId, hospitalId: hospitalId, status: status, since: since, page: page)
        }
        return Page(fetched: rows, limit: page.limit, id: \.id).map { $0.visible(to: actor) }
    }

    /// Moves a referral; the side (site or hospital) comes from the actor.
    public func transition(
        id: Referral.ID, siteId: Site.ID? = nil, _ t: ReferralTransition, expectedVersion: Int? = nil, actor: Actor,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws -> Created<Referral> {
        try await database.transaction(
            actor,
            idempotency: try IdempotentRequest(idempotencyKey, operation: "referral.transition.\(id)", request: t)
        ) { tx in
            let repository = tx.referrals
            guard let site = try await Self.site(of: id, given: siteId, repository),
                let before = try await repository.referral(siteId: site, id: id, lock: true)
            else { throw DomainError.notFound("referral not found") }
            let side = try authorise(actor, toMove: before)
            try before.check(expectedVersion: expectedVersion)
            try t.check(from: before.status, by: side)
            try await repository.setStatus(siteId: site, id: id, t)
            try await repository.appendEvent(
                siteId: site, referralId: id, from: before.status, to: t.to, actorName: actor.username,
                role: role(of: actor, at: site), note: t.note)
            let after = try await repository.referral(siteId: site, id: id)!
            try await tx.audit.record(
                "transition", entity: "referral", id: id, siteId: site, before: before, after: after)
            try await tellHospital(.referralStatusChanged, after, tx)
            return after
        }.map { $0.visible(to: actor) }
    }

    /// Adds a note to the timeline, from either side.
    public func addNote(id: Referral.ID, siteId: Site.ID? = nil, note: String, actor: Actor) async throws -> Referral {
        var v = Validator()
        v.text(note, "note", max: ReferralTransition.maximumNote)
        try v.finish()
        return try await database.transaction(actor) { tx in
            let repository = tx.referrals
            guard let site = try await Self.site(of: id, given: siteId, repository),
                let before = try await repository.referral(siteId: site, id: id, lock: true)
            else { throw DomainError.notFound("referral not found") }
            _ = try authorise(actor, toMove: before)
            try await repository.appendEvent(
                siteId: site, referralId: id, from: nil, to: nil, actorName: actor.username,
                role: role(of: actor, at: site), note: note)
            let after = try await repository.referral(siteId: site, id: id)!
            try await tx.audit.record(
                "add_note", entity: "referral", id: id, siteId: site, before: before, after: after)
            try await tellHospital(.referralNoteAdded, after, tx)
            return after.visible(to: actor)
        }
    }

    /// Open referrals past a time target, latest first: every site for admins, their own sites
    /// for site managers and clinicians.
    public func overdue(at now: Date = Date(), actor: Actor) async throws -> [OverdueReferral] {
        let sites =
            actor.isAdmin ? nil : actor.grants.filter { Self.siteReaders.contains($0.role) }.compactMap(\.siteId)
        if let sites, sites.isEmpty {
            throw DomainError.forbidden("only site managers, clinicians and admins see the escalation list")
        }
        let open = try await database.read(actor) { tx in try await tx.referrals.open(siteIds: sites) }
        return open.compactMap { targets.overdue($0, at: now) }.sorted { $0.minutesLate > $1.minutesLate }
    }

    /// Writes the webhook event for the change in the change's own transaction (the outbox), so
    /// the hospital hears of every change that commits and of none that rolls back.
    func tellHospital(_ type: WebhookEventType, _ referral: Referral, _ tx: Transaction) async throws {
        let occurredAt = referral.events.last?.at ?? referral.updatedAt
        try await tx.webhooks
            .enqueue(WebhookPayload(type: type, occurredAt: occurredAt, referral: referral.hospitalView))
    }

    /// The site a referral is at: given by the path, or looked up (hospital tools name a
    /// referral by id alone).
    static func site(of id: Referral.ID, given siteId: Site.ID?, _ repository: ReferralRepository) async throws -> Site
        .ID?
    {
        if let siteId { return siteId }
        return try await repository.siteOf(referralId: id)
    }

    // MARK: Who may do what

    func authorise(_ actor: Actor, toRead referral: Referral) throws {
        if actor.hospitalId == referral.hospitalId { return }
        try actor.require(Self.siteReaders, at: referral.siteId, entity: "referral")
    }

    /// The side `actor` moves `referral` from; a hospital's system never sees another hospital's.
    func authorise(_ actor: Actor, toMove referral: Referral) throws -> ReferralSide {
        if let hospitalId = actor.hospitalId {
            guard hospitalId == referral.hospitalId else { throw DomainError.notFound("referral not found") }
            return .hospital
        }
        try actor.require(Self.requesters, at: referral.siteId, entity: "referral")
        return actor.isAdmin ? .either : .site
    }

    func role(of actor: Actor, at siteId: Site.ID) -> String {
        actor.hospitalId != nil ? Role.hospitalSystem.rawValue : actor.auditRole(at: siteId)
    }
}
