import Logging
import PostgresNIO

/// Idempotency keys and the first response recorded under each.
public struct IdempotencyRepository: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    public init(_ connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Claims a key for this transaction. Returns false when it was already used; a concurrent
    /// claim of the same key waits here until the first transaction ends.
    public func claim(scope: String, key: String, fingerprint: String) async throws -> Bool {
        for try await _ in try await connection.query("""
            INSERT INTO idempotency_keys (scope, key, fingerprint, response) VALUES (\(scope), \(key), \(fingerprint), '')
            ON CONFLICT DO NOTHING RETURNING 1
            """, logger: logger).decode(Int.self) { return true }
        return false
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
            logger: logger).decode((String, String).self) { return (fingerprint, response) }
        return nil
    }
}
