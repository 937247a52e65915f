import Domain
import Foundation
import Storage

/// Hospitals that receive referrals, and their integration clients.
public struct HospitalService: Sendable {
    let database: Database
    let access: AccessService

    /// A hospital as registered, with its webhook secret shown this once.
    public struct Registered: Sendable, Codable, Equatable {
        public var hospital: Hospital
        public var webhookSecret: String?
    }

    /// Registers a hospital with its departments. Admin only.
    public func add(_ draft: HospitalDraft, actor: Actor) async throws -> Registered {
        try actor.requireAdmin()
        try draft.validate()
        let secret = draft.webhookUrl.map { _ in Secret.generate(prefix: "whsec_") }
        return try await database.transaction { connection in
            let repository = HospitalRepository(connection, logger: database.logger)
            let id = try await repository.insert(draft, webhookSecret: secret)
            let hospital = try await repository.hospitals().first { $0.id == id }!
            try await AuditRecorder(connection, database, actor: actor)
                .record("create", entity: "hospital", id: id, siteId: nil, before: Nothing?.none, after: hospital)
            return Registered(hospital: hospital, webhookSecret: secret)
        }
    }

    /// Sets (or, with nil, removes) the hospital's webhook endpoint and issues a new signing
    /// secret, shown this once; the old secret stops signing at once. Admin only.
    public func setWebhook(hospitalId: Int64, url: String?, actor: Actor) async throws -> Registered {
        try actor.requireAdmin()
        if let url, !HospitalDraft.isWebhookURL(url) { throw DomainError.invalid("url", HospitalDraft.webhookURLRule) }
        let secret = url.map { _ in Secret.generate(prefix: "whsec_") }
        return try await database.transaction { connection in
            let repository = HospitalRepository(connection, logger: database.logger)
            guard let before = try await repository.hospitals().first(where: { $0.id == hospitalId }) else {
                throw DomainError.notFound("no hospital \(hospitalId)")
            }
            try await repository.setWebhook(hospitalId: hospitalId, url: url, secret: secret)
            let after = try await repository.hospitals().first { $0.id == hospitalId }!
            try await AuditRecorder(connection, database, actor: actor)
                .record("set_webhook", entity: "hospital", id: hospitalId, siteId: nil, before: before, after: after)
            return Registered(hospital: after, webhookSecret: secret)
        }
    }

    /// Every hospital, for anyone signed in: clinicians choose where to refer.
    public func hospitals(actor: Actor) async throws -> [Hospital] {
        try await database.read { try await HospitalRepository($0, logger: database.logger).hospitals() }
    }

    /// The hospital with this code (operators name hospitals by code).
    public func hospital(code: String, actor: Actor) async throws -> Hospital {
        guard let hospital = try await hospitals(actor: actor).first(where: { $0.code == code }) else {
            throw DomainError.notFound("no hospital \(code)")
        }
        return hospital
    }

    /// Creates (or reuses) the hospital's integration user and issues it a token scoped to the
    /// hospital. Admin only.
    public func issueToken(hospitalCode: String, days: Int? = nil, actor: Actor) async throws -> IssuedToken {
        try actor.requireAdmin()
        let hospital = try await hospital(code: hospitalCode, actor: actor)
        let username = "hospital-" + hospitalCode.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "-" }
        if try await access.users(actor: actor).contains(where: { $0.username == username }) == false {
            _ = try await access.createUser(username: username, displayName: "\(hospital.name) integration", actor: actor)
        }
        try await database.transaction { connection in
            guard let user = try await AccessRepository(connection, logger: database.logger).user(username: username) else {
                throw DomainError.notFound("no user \(username)")
            }
            try await HospitalRepository(connection, logger: database.logger).link(userId: user.id, hospitalId: hospital.id)
        }
        return try await access.issueToken(username: username, label: "hospital \(hospital.code)",
                                           validFor: days.map { Double($0) * 86_400 }, actor: actor)
    }
}
