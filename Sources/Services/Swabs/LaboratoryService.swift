import Domain
import Foundation
import Storage

/// The laboratories that test the sites' tubes.
public struct LaboratoryService: Sendable {
    let database: Database

    /// Registers a laboratory. Admin only.
    public func add(_ draft: LaboratoryDraft, actor: Actor) async throws -> Laboratory {
        try actor.requireAdmin()
        try draft.validate()
        return try await database.transaction(actor) { tx in
            let laboratory = try await tx.laboratories.insert(draft)
            try await tx.audit.created("laboratory", id: laboratory.id, siteId: nil, laboratory)
            return laboratory
        }
    }

    /// Every laboratory, for choosing where a box goes: anyone signed in who works at a site.
    public func list(actor: Actor) async throws -> [Laboratory] {
        guard actor.isAdmin || !actor.grants.isEmpty else {
            throw DomainError.forbidden("no role to read laboratories")
        }
        return try await database.read(actor) { tx in try await tx.laboratories.all() }
    }
}
