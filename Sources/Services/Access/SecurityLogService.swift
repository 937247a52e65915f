import Domain
import Foundation
import Logging
import Storage

/// The security log: what was refused at the door (bad tokens, 403s, 429s, failed sign-ins),
/// with the address and the request id. Written outside the refused request's transaction,
/// which never commits; read by admins.
public struct SecurityLogService: Sendable {
    let database: Database

    /// Appends an event. A failure to write is logged and swallowed: a refusal must not turn
    /// into a 500 because the log could not be written.
    public func record(_ event: SecurityEvent) async {
        do {
            try await database.statement(.system("security-log")) { tx in try await tx.securityLog.append(event) }
        } catch {
            database.logger.warning(
                "security event not recorded",
                metadata: [
                    "kind": "\(event.kind.rawValue)", "request_id": "\(event.requestId ?? "-")",
                    "error_type": "\(type(of: error))",
                ])
        }
    }

    /// Events, oldest first (or newest first), optionally of one kind. Admin only.
    public func events(kind: SecurityEventKind?, page: PageRequest, newestFirst: Bool = false, actor: Actor)
        async throws -> Page<SecurityEvent>
    {
        try actor.requireAdmin()
        let rows = try await database.read(actor) { tx in
            try await tx.securityLog.list(kind: kind, page: page, newestFirst: newestFirst)
        }
        return Page(fetched: rows, limit: page.limit, id: \.id)
    }
}
