import Domain
import Foundation
import Storage

/// Hospitals that receive referrals, their webhook endpoints and their integration users.
public struct HospitalService: Sendable {
    let database: Database
    let settings: ServiceSettings

    /// A hospital as registered, with its webhook secret shown this once.
    public struct Registered: Sendable, Codable, Equatable {
        public var hospital: Hospital
        public var webhookSecret: String?
        /// The user its system signs in as (`cordon hospital token` issues its tokens).
        public var integrationUser: String
    }

    /// The integration user's name for a hospital code. Codes are letters, digits and dashes,
    /// unique whatever their case, so no two hospitals share a name.
    static func integrationUsername(_ code: String) -> String { "hospital-" + code.lowercased() }

    /// Registers a hospital with its departments and its integration user, in one transaction:
    /// the user is always a new one, never a person or system that already exists. Admin only.
    public func add(_ draft: HospitalDraft, actor: Actor) async throws -> Registered {
        try actor.requireAdmin()
        try draft.validate()
        let secret = try await endpointCheck.newSecret(for: draft.webhookUrl, field: "webhookUrl")
        let username = Self.integrationUsername(draft.code)
        return try await database.transaction(actor) { tx in
            let hospitals = tx.hospitals
            let users = tx.access
            if try await hospitals.hospitals().contains(where: { $0.code.lowercased() == draft.code.lowercased() }) {
                throw DomainError.conflict(
                    "a hospital with the code \(draft.code) already exists (codes are the same whatever their case)",
                    field: "code")
            }
            if try await users.user(username: username) != nil {
                throw DomainError.conflict(
                    "a user named \(username) already exists; a hospital's integration user is never an existing account",
                    field: "code")
            }
            let id = try await hospitals.insert(draft, webhookSecret: secret)
            let userId = try await users.insertUser(username: username, displayName: "\(draft.name) integration")
            try await hospitals.link(userId: userId, hospitalId: id)
            let hospital = try await hospitals.hospitals().first { $0.id == id }!
            let audit = tx.audit
            try await audit.record(
                "create", entity: "hospital", id: id, siteId: nil, before: Nothing?.none, after: hospital)
            try await audit.record(
                "create_integration_user", entity: "user", id: userId, siteId: nil, before: Nothing?.none,
                after: ["username": username, "hospitalId": String(id)])
            return Registered(hospital: hospital, webhookSecret: secret, integrationUser: username)
        }
    }

    /// Sets (or, with nil, removes) the hospital's webhook endpoint and issues a new signing
    /// secret, shown this once; the old secret stops signing at once. Admin only.
    public func setWebhook(hospitalId: Hospital.ID, url: String?, actor: Actor) async throws -> Registered {
        try actor.requireAdmin()
        let secret = try await endpointCheck.newSecret(for: url, field: "url")
        return try await database.transaction(actor) { tx in
            let repository = tx.hospitals
            let before = try await repository.hospitals().first(where: { $0.id == hospitalId }).orThrow(
                DomainError.notFound("no hospital \(hospitalId)"))
            try await repository.setWebhook(hospitalId: hospitalId, url: url, secret: secret)
            let after = try await repository.hospitals().first { $0.id == hospitalId }!
            try await tx.audit.record(
                "set_webhook", entity: "hospital", id: hospitalId, siteId: nil, before: before, after: after)
            let user = try await repository.integrationUser(hospitalId: hospitalId)
            return Registered(hospital: after, webhookSecret: secret, integrationUser: user?.username ?? "")
        }
    }

    /// Hospitals as `actor` may see them: all of them for the site's staff (clinicians choose
    /// where to refer), only its own for a hospital's system; webhook addresses for admins only.
    public func hospitals(actor: Actor) async throws -> [Hospital] {
        let all = try await database.read(actor) { tx in try await tx.hospitals.hospitals() }
        let visible = actor.hospitalId.map { own in all.filter { $0.id == own } } ?? all
        return actor.isAdmin
            ? visible
            : visible.map {
                var h = $0
                h.webhookUrl = nil
                return h
            }
    }

    /// The hospital with this code, whatever its case (operators name hospitals by code).
    public func hospital(code: String, actor: Actor) async throws -> Hospital {
        guard
            let hospital = try await hospitals(actor: actor).first(where: { $0.code.lowercased() == code.lowercased() })
        else {
            throw DomainError.notFound("no hospital \(code)")
        }
        return hospital
    }

    /// Issues a token to the hospital's integration user, scoped to that hospital. Earlier
    /// tokens keep working for `rotationOverlap` (a day) so the hospital can switch, then
    /// expire. Admin only; audited.
    public func issueToken(hospitalCode: String, days: Int? = nil, actor: Actor) async throws -> IssuedToken {
        try actor.requireAdmin()
        let hospital = try await hospital(code: hospitalCode, actor: actor)
        return try await database.transaction(actor) { tx in
            guard let user = try await tx.hospitals.integrationUser(hospitalId: hospital.id) else {
                throw DomainError.conflict(
                    "hospital \(hospital.code) has no integration user (its name was taken when the hospital was registered)",
                    field: "code")
            }
            return try await AccessService.rotateIntegrationToken(
                userId: user.id, username: user.username, label: "hospital \(hospital.code)",
                validFor: days.map { Double($0) * 86_400 } ?? settings.tokenLifetime, tx)
        }
    }

    var endpointCheck: WebhookEndpointCheck {
        WebhookEndpointCheck(allowPrivateNetworks: settings.webhooks.allowPrivateNetworks)
    }
}
