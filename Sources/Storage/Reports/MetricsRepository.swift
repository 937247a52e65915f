import Domain
import Foundation
import Logging
import PostgresNIO

/// The few counts the metrics timer reads across every site, each in one statement.
public struct MetricsRepository: Sendable {
    let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Beds by site code and status.
    public func beds() async throws -> [(site: String, status: String, count: Int)] {
        var out: [(String, String, Int)] = []
        for try await row in try await connection.query(
            "SELECT s.code, b.status, count(*)::int FROM beds b JOIN sites s ON s.id = b.site_id GROUP BY 1, 2",
            logger: logger
        ).decode((String, String, Int).self) { out.append(row) }
        return out
    }

    /// Patients admitted now, by site code (sites with none are absent).
    public func admitted() async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for try await (site, count) in try await connection.query(
            """
            SELECT s.code, count(*)::int FROM patients p JOIN sites s ON s.id = p.site_id
            WHERE p.status = 'admitted' GROUP BY 1
            """, logger: logger
        ).decode((String, Int).self) { out[site] = count }
        return out
    }

    /// Outbox events by status, and the age in seconds of the oldest pending one (0 when none).
    public func outbox() async throws -> (byStatus: [String: Int], oldestPendingSeconds: Double) {
        var byStatus: [String: Int] = ["pending": 0, "delivered": 0, "dead": 0]
        var oldest = 0.0
        for try await (status, count, age) in try await connection.query(
            """
            SELECT status, count(*)::int, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
            FROM webhook_events GROUP BY status
            """, logger: logger
        ).decode((String, Int, Double).self) {
            byStatus[status] = count
            if status == "pending" { oldest = age }
        }
        return (byStatus, oldest)
    }

    /// Connections of this database as PostgreSQL sees them, by state (`active`, `idle`, ...).
    public func connections() async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for try await (state, count) in try await connection.query(
            """
            SELECT coalesce(state, 'unknown'), count(*)::int FROM pg_stat_activity
            WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()
            GROUP BY 1
            """, logger: logger
        ).decode((String, Int).self) { out[state] = count }
        return out
    }
}
