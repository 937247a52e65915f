import Foundation
import Logging
import PostgresNIO

/// Fixed-window counters in PostgreSQL, so every replica counts the same attempts and no
/// process holds them in memory.
public struct RateLimitRepository: Sendable {
    fileprivate let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Counts one hit in `bucket`'s current window of `window` seconds (a new window starts
    /// when the last one has passed) and returns the hits so far and the seconds the window
    /// has left.
    public func hit(bucket: String, window: TimeInterval) async throws -> (hits: Int, secondsLeft: Double) {
        for try await row in try await connection.execute(
            RateLimitHitStatement(bucket: bucket, window: window), logger: logger)
        {
            return row
        }
        throw PostgresSingleRowMissing(query: RateLimitHitStatement.sql)
    }

    /// Takes one hit back from `bucket`, as for an attempt that turned out to be no abuse (a
    /// sign-in that succeeded): the last one removes the bucket.
    public func forgive(bucket: String) async throws {
        try await connection.query(
            """
            WITH spent AS (DELETE FROM rate_limits WHERE bucket = \(bucket) AND hits <= 1 RETURNING 1)
            UPDATE rate_limits SET hits = hits - 1 WHERE bucket = \(bucket) AND hits > 1
            """, logger: logger)
    }

    /// Removes windows that ended more than `olderThan` seconds ago; returns how many.
    public func prune(olderThan: TimeInterval) async throws -> Int {
        try await connection.single(
            """
            WITH gone AS (DELETE FROM rate_limits WHERE window_start < now() - make_interval(secs => \(olderThan))
                RETURNING 1)
            SELECT count(*)::int FROM gone
            """, as: Int.self, logger: logger)
    }
}

/// One hit: a new bucket, a new window, or one more in the current window.
struct RateLimitHitStatement: PostgresPreparedStatement {
    static let sql = """
        INSERT INTO rate_limits AS r (bucket, window_start, hits) VALUES ($1, now(), 1)
        ON CONFLICT (bucket) DO UPDATE SET
            hits = CASE WHEN r.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE r.hits + 1 END,
            window_start = CASE WHEN r.window_start <= now() - make_interval(secs => $2) THEN now() ELSE r.window_start
                END
        RETURNING hits, extract(epoch FROM r.window_start + make_interval(secs => $2) - now())::float8
        """
    typealias Row = (Int, Double)
    var bucket: String
    var window: Double

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(bucket)
        bindings.append(window)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

extension RateLimitRepository {
    /// The hits counted in `bucket`'s current window of `window` seconds, without counting one.
    public func hits(bucket: String, window: TimeInterval) async throws -> Int {
        try await connection.single(
            """
            SELECT coalesce(max(hits), 0)::int FROM rate_limits
            WHERE bucket = \(bucket) AND window_start > now() - make_interval(secs => \(window))
            """, as: Int.self, logger: logger)
    }
}
