import Domain
import Foundation
import PostgresNIO
import Storage

/// Writes the audit entry of a change inside the change's own transaction, so that a change
/// and its record commit or roll back together.
struct AuditRecorder {
    let repository: AuditRepository
    let actor: Actor

    init(_ connection: PostgresConnection, _ database: Database, actor: Actor) {
        self.repository = AuditRepository(connection, logger: database.logger)
        self.actor = actor
    }

    func record<Before: Encodable, After: Encodable>(
        _ action: String, entity: String, id: CustomStringConvertible?, siteId: Int64?,
        before: Before?, after: After?
    ) async throws {
        var requestId: String?
        var cliOperator: String?
        switch actor.origin {
        case .http(let rid, _): requestId = rid
        case .cli(let op): cliOperator = op
        case .seed: cliOperator = "seed"
        }
        // Encoded here, without closures, so no generic metatype is captured across the await.
        var beforeJSON: String?, afterJSON: String?
        if let before { beforeJSON = try AuditJSON.encode(before) }
        if let after { afterJSON = try AuditJSON.encode(after) }
        try await repository.append(
            siteId: siteId, actorUserId: actor.userId, actorName: actor.username, role: actor.auditRole(at: siteId),
            requestId: requestId, cliOperator: cliOperator, action: action, entity: entity,
            entityId: id?.description, before: beforeJSON, after: afterJSON)
    }
}

/// The one JSON encoding used for audit snapshots and stored idempotent responses.
enum AuditJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// A placeholder type for an absent audit snapshot.
struct Nothing: Encodable {}
