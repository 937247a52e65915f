import Foundation
import Logging
import PostgresNIO

/// The connection pool and the one way this codebase runs SQL: in a transaction or a read,
/// with database errors translated into `DomainError` on the way out.
public struct Database: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    /// How long the first answer to an `Idempotency-Key` is kept (`IDEMPOTENCY_KEY_HOURS`).
    public let idempotencyRetention: TimeInterval

    public init(client: PostgresClient, logger: Logger, idempotencyRetention: TimeInterval = 24 * 3600) {
        self.client = client
        self.logger = logger.forDatabaseDriver
        self.idempotencyRetention = idempotencyRetention
    }

    /// Runs `body` in one transaction; a thrown error rolls it back.
    public func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw DatabaseErrorMapper.map(error)
        }
    }

    /// Runs `body`, one statement that writes, on a pooled connection without a transaction
    /// around it: a single statement is atomic by itself, and this saves two round trips.
    public func statement<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await read(body)
    }

    /// Runs read-only `body` on a pooled connection.
    public func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw DatabaseErrorMapper.map(error)
        }
    }
}

extension Logger {
    /// This logger for the database driver: never below `debug`, because at `trace` PostgresNIO
    /// logs every message it exchanges with the server, rows and parameters included.
    public var forDatabaseDriver: Logger {
        var copy = self
        copy.logLevel = Swift.max(logLevel, .debug)
        return copy
    }
}
