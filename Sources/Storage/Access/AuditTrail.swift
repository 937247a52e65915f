import Domain
import Foundation

/// Writes the audit entry of a change inside the change's own transaction, so that a change
/// and its record commit or roll back together: `tx.audit.record(...)`.
public struct AuditTrail: Sendable {
    let repository: AuditRepository
    let actor: Actor

    /// Records `action` on `entity` with the record before and after (JSON snapshots).
    public func record<Before: Encodable, After: Encodable>(
        _ action: String, entity: String, id: CustomStringConvertible?, siteId: Site.ID?, before: Before?, after: After?
    ) async throws {
        let (requestId, cliOperator) = actor.auditOrigin
        // Encoded here, without closures, so no generic metatype is captured across the await.
        var beforeJSON: String?
        var afterJSON: String?
        if let before { beforeJSON = try AuditJSON.encode(before) }
        if let after { afterJSON = try AuditJSON.encode(after) }
        try await repository.append(
            siteId: siteId, actorUserId: actor.userId, actorName: actor.username, role: actor.auditRole(at: siteId),
            requestId: requestId, cliOperator: cliOperator, action: action, entity: entity,
            entityId: id?.description, before: beforeJSON, after: afterJSON)
    }

    /// Records a change with a record after it and none before (a create).
    public func created<After: Encodable>(
        _ entity: String, id: CustomStringConvertible?, siteId: Site.ID?, _ after: After,
        action: String = "create"
    ) async throws {
        try await record(action, entity: entity, id: id, siteId: siteId, before: Nothing?.none, after: after)
    }
}

/// The one JSON encoding used for audit snapshots and stored idempotent responses.
public enum AuditJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// A placeholder type for an absent audit snapshot.
public struct Nothing: Encodable, Sendable {
    public init() {}
}

extension Actor {
    /// Where a change came from, as the audit trail records it: the request's id, or who ran it.
    var auditOrigin: (requestId: String?, cliOperator: String?) {
        switch origin {
        case .http(let requestId, _): (requestId, nil)
        case .cli(let name): (nil, name)
        case .seed: (nil, "seed")
        case .system: (nil, "cordon")
        case .mllp: (nil, "mllp")
        }
    }
}
