import Domain
import Foundation
import Logging
import PostgresNIO

/// The append-only security log in SQL. The table's triggers refuse UPDATE, DELETE and TRUNCATE.
public struct SecurityLogRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Appends one event.
    public func append(_ e: SecurityEvent) async throws {
        try await connection.query(
            """
            INSERT INTO security_events (kind, status, method, path, address, request_id, username, detail)
            VALUES (\(e.kind.rawValue), \(e.status), \(e.method), \(e.path), \(e.address), \(e.requestId),
                \(e.username), \(e.detail))
            """, logger: logger)
    }

    /// Events after `afterId` (or, newest first, before it), optionally of one kind.
    public func list(kind: SecurityEventKind?, page: PageRequest, newestFirst: Bool) async throws -> [SecurityEvent] {
        var out: [SecurityEvent] = []
        let bound = newestFirst ? page.afterId ?? Int64.max : page.afterId ?? 0
        for try await r in try await connection.query(
            """
            SELECT id, at, kind, status, method, path, address, request_id, username, detail FROM security_events
            WHERE id \(unescaped: newestFirst ? "<" : ">") \(bound) AND (\(kind?.rawValue)::text IS NULL OR kind =
                \(kind?.rawValue)::text)
            ORDER BY \(unescaped: newestFirst ? "id DESC" : "id") LIMIT \(page.limit + 1)
            """, logger: logger
        ).decode((Int64, Date, SecurityEventKind, Int, String, String, String?, String?, String?, String).self) {
            out.append(
                SecurityEvent(
                    id: r.0, at: r.1, kind: r.2, status: r.3, method: r.4,
                    path: r.5, address: r.6, requestId: r.7, username: r.8, detail: r.9))
        }
        return out
    }
}
