import Domain
import Foundation
import Storage

/// The laboratories that test the sites' tubes, and their integration users.
public struct LaboratoryService: Sendable {
    let database: Database
    let settings: ServiceSettings

    /// The integration user's name for a laboratory code (codes are unique whatever their case).
    public static func integrationUsername(_ code: String) -> String { "lab-" + code.lowercased() }

    /// Registers a laboratory with its integration user, in one transaction: the user is always
    /// a new one, never an account that already exists. Admin only.
    public func add(_ draft: LaboratoryDraft, actor: Actor) async throws -> Laboratory {
        try actor.requireAdmin()
        try draft.validate()
        let username = Self.integrationUsername(draft.code)
        return try await database.transaction(actor) { tx in
            if try await tx.access.user(username: username) != nil {
                throw DomainError.conflict(
                    "a user named \(username) already exists; a laboratory's integration user is never an existing account",
                    field: "code")
            }
            let laboratory = try await tx.laboratories.insert(draft)
            let userId = try await tx.access.insertUser(username: username, displayName: "\(draft.name) integration")
            try await tx.laboratories.link(userId: userId, laboratoryId: laboratory.id)
            try await tx.audit.created("laboratory", id: laboratory.id, siteId: nil, laboratory)
            try await tx.audit.created(
                "user", id: userId, siteId: nil,
                ["username": username, "laboratoryId": String(laboratory.id.rawValue)],
                action: "create_integration_user")
            return laboratory
        }
    }

    /// Every laboratory, for choosing where a box goes: anyone signed in who works at a site,
    /// and a laboratory's own system (which sees itself only).
    public func list(actor: Actor) async throws -> [Laboratory] {
        if let own = actor.laboratoryId {
            return try await database.read(actor) { tx in try await tx.laboratories.all() }.filter { $0.id == own }
        }
        guard actor.isAdmin || !actor.grants.isEmpty else {
            throw DomainError.forbidden("no role to read laboratories")
        }
        return try await database.read(actor) { tx in try await tx.laboratories.all() }
    }

    /// The laboratory with this code, whatever its case (operators name laboratories by code).
    public func laboratory(code: String, actor: Actor) async throws -> Laboratory {
        guard let found = try await list(actor: actor).first(where: { $0.code.lowercased() == code.lowercased() })
        else { throw DomainError.notFound("no laboratory \(code)") }
        return found
    }

    /// Issues a token to the laboratory's integration user, which may only send that laboratory's
    /// results. Earlier tokens keep working for a day so the laboratory can switch. Admin only.
    public func issueToken(laboratoryCode: String, days: Int? = nil, actor: Actor) async throws -> IssuedToken {
        try actor.requireAdmin()
        let laboratory = try await laboratory(code: laboratoryCode, actor: actor)
        return try await database.transaction(actor) { tx in
            guard let user = try await tx.laboratories.integrationUser(laboratoryId: laboratory.id) else {
                throw DomainError.conflict(
                    "laboratory \(laboratory.code) has no integration user", field: "code")
            }
            return try await AccessService.rotateIntegrationToken(
                userId: user.id, username: user.username, label: "laboratory \(laboratory.code)",
                validFor: days.map { Double($0) * 86_400 } ?? settings.tokenLifetime, tx)
        }
    }
}
