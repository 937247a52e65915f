import Domain
import Foundation
import Logging
import PostgresNIO

/// The append-only audit trail in SQL. The table's triggers refuse UPDATE, DELETE and TRUNCATE.
public struct AuditRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Appends one entry; `before` and `after` are JSON text.
    public func append(
        siteId: Site.ID?, actorUserId: Int64?, actorName: String, role: String, requestId: String?,
        cliOperator: String?, action: String, entity: String, entityId: String?,
        before: String?, after: String?
    ) async throws {
        let statement = AuditAppendStatement(
            siteId: siteId, actorUserId: actorUserId, actorName: actorName, role: role,
            requestId: requestId, cliOperator: cliOperator, action: action, entity: entity,
            entityId: entityId, before: before, after: after)
        for try await _ in try await connection.execute(statement, logger: logger) {}
    }

    /// Entries matching `query`, oldest first (or newest first when asked), limited to `visible` sites unless that is
    /// nil.
    public func list(_ q: AuditQuery, visible: [Site.ID]?) async throws -> [AuditEntry] {
        var out: [AuditEntry] = []
        for try await r in try await connection.query(
            """
            SELECT id, at, site_id, actor_user_id, actor_name, role, request_id, cli_operator, action, entity,
                entity_id,
                   before::text, after::text
            FROM audit_log
            WHERE id \(unescaped: q.newestFirst ? "<" : ">")
                \(q.newestFirst ? q.page.afterId ?? Int64.max : q.page.afterId ?? 0)
              AND (\(visible)::bigint[] IS NULL OR site_id = ANY(\(visible)::bigint[]))
              AND (\(q.siteId)::bigint IS NULL OR site_id = \(q.siteId)::bigint)
              AND (\(q.entity)::text IS NULL OR entity = \(q.entity)::text)
              AND (\(q.entityId)::text IS NULL OR entity_id = \(q.entityId)::text)
              AND (\(q.action)::text IS NULL OR action = \(q.action)::text)
              AND (\(q.actorName)::text IS NULL OR actor_name = \(q.actorName)::text)
              AND (\(q.since)::timestamptz IS NULL OR at >= \(q.since)::timestamptz)
              AND (\(q.until)::timestamptz IS NULL OR at < \(q.until)::timestamptz)
            ORDER BY \(unescaped: q.newestFirst ? "id DESC" : "id") LIMIT \(q.page.limit + 1)
            """, logger: logger
        ).decode(
            (
                Int64, Date, Site.ID?, Int64?, String, String, String?, String?, String, String,
                String?, String?, String?
            ).self)
        {
            out.append(
                AuditEntry(
                    id: r.0, at: r.1, siteId: r.2, actorUserId: r.3, actorName: r.4, role: r.5,
                    requestId: r.6, cliOperator: r.7, action: r.8, entity: r.9, entityId: r.10,
                    before: r.11, after: r.12))
        }
        return out
    }
}

// MARK: Prepared statements

/// One audit entry: every write runs it. Types are declared so NULLs never decide them.
struct AuditAppendStatement: PostgresPreparedStatement {
    static let sql = """
        INSERT INTO audit_log (site_id, actor_user_id, actor_name, role, request_id, cli_operator, action, entity,
            entity_id, before, after)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb)
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .int8, .int8, .text, .text, .text, .text, .text, .text, .text, .text, .text,
    ]
    typealias Row = Void
    var siteId: Site.ID?, actorUserId: Int64?, actorName: String, role: String, requestId: String?, cliOperator: String?
    var action: String, entity: String, entityId: String?, before: String?, after: String?

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 11)
        b.append(siteId)
        b.append(actorUserId)
        b.append(actorName)
        b.append(role)
        b.append(requestId)
        b.append(cliOperator)
        b.append(action)
        b.append(entity)
        b.append(entityId)
        b.append(before)
        b.append(after)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {}
}
