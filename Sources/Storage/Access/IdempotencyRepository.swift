import Foundation
import Logging
import PostgresNIO

/// Idempotency keys and the first response recorded under each.
public struct IdempotencyRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Claims a key for this transaction. Returns false when it was already used within
    /// `retention` seconds; an older use has expired and the key is claimed afresh. A concurrent
    /// claim of the same key waits here until the first transaction ends.
    public func claim(scope: String, key: String, fingerprint: String, retention: TimeInterval) async throws -> Bool {
        for try await _ in try await connection.query(
            """
            INSERT INTO idempotency_keys AS k (scope, key, fingerprint, response) VALUES (\(scope), \(key),
                \(fingerprint), '')
            ON CONFLICT (scope, key) DO UPDATE SET fingerprint = excluded.fingerprint, response = '', created_at = now()
                WHERE k.created_at < now() - make_interval(secs => \(retention))
            RETURNING 1
            """, logger: logger
        ).decode(Int.self) { return true }
        return false
    }

    /// Removes stored answers older than `retention` seconds; returns how many.
    public func prune(olderThan retention: TimeInterval) async throws -> Int {
        try await connection.single(
            """
            WITH gone AS (DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => \(retention))
                RETURNING 1)
            SELECT count(*)::int FROM gone
            """, as: Int.self, logger: logger)
    }

    /// Records the response of a claimed key.
    public func complete(scope: String, key: String, response: String) async throws {
        try await connection.query(
            "UPDATE idempotency_keys SET response = \(response) WHERE scope = \(scope) AND key = \(key)",
            logger: logger)
    }

    /// The fingerprint and response stored under a key.
    public func stored(scope: String, key: String) async throws -> (fingerprint: String, response: String)? {
        for try await (fingerprint, response) in try await connection.query(
            "SELECT fingerprint, response FROM idempotency_keys WHERE scope = \(scope) AND key = \(key)",
            logger: logger
        ).decode((String, String).self) { return (fingerprint, response) }
        return nil
    }
}
