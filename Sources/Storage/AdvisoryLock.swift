import Logging
import PostgresNIO

/// PostgreSQL advisory locks, for work one instance at a time should do.
public enum AdvisoryLock {
    /// Takes the lock `key` until the transaction on `connection` ends, if no one holds it.
    public static func tryForTransaction(_ key: Int64, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        try await connection.single("SELECT pg_try_advisory_xact_lock(\(key))", as: Bool.self, logger: logger)
    }
}
