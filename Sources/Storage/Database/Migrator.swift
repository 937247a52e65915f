import Crypto
import Domain
import Foundation
import Logging
import Migrations
import PostgresNIO

/// One numbered SQL file.
public struct Migration: Sendable, Equatable {
    /// The file name, e.g. `0001_foundation.sql`; its leading number orders it.
    public var name: String
    public var sql: String
    /// SHA-256 of the file's text, hex.
    public var checksum: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
        self.checksum = SHA256.hash(data: Data(sql.utf8)).hexString
    }

    /// The migrations shipped with this build.
    public static func bundled() throws -> [Migration] {
        try MigrationFiles.all().map { Migration(name: $0.name, sql: $0.sql) }
    }
}

/// Where the database stands against the migration files.
public struct MigrationStatus: Sendable, Equatable {
    public var applied: [String]
    public var pending: [String]
}

/// Why the migrator refused to go on.
public enum MigrationError: Error, CustomStringConvertible, Equatable {
    /// A file already applied has different text now.
    case changedAfterApply(name: String)
    /// The database has a migration this build does not know: it is newer than this build.
    case unknownApplied(name: String)
    /// A file's SQL failed; nothing of it was applied.
    case failed(name: String, reason: String)

    public var description: String {
        switch self {
        case .changedAfterApply(let name):
            "migration \(name) was edited after it was applied; released migrations are never edited, add a new numbered file instead"
        case .failed(let name, let reason):
            "migration \(name) failed and was rolled back: \(reason)"
        case .unknownApplied(let name):
            "the database has migration \(name) applied, which this build of Cordon does not have; run a newer build"
        }
    }
}

/// Applies the numbered SQL files in order, each in its own transaction, recording a checksum.
/// A session advisory lock makes concurrent runs (two instances starting at once) take turns.
public struct Migrator: Sendable {
    public let client: PostgresClient
    public let migrations: [Migration]
    public let logger: Logger

    /// Key of the advisory lock; any constant that no other part of Cordon uses.
    static let lockKey: Int64 = 0x436F_7264_6F6E_4D69

    public init(client: PostgresClient, migrations: [Migration], logger: Logger) {
        self.client = client
        self.migrations = migrations.sorted { $0.name < $1.name }
        self.logger = logger
    }

    /// Lists what is applied and what is pending, checking checksums, without changing anything.
    public func status() async throws -> MigrationStatus {
        try await client.withConnection { connection in try await verify(connection) }
    }

    /// Applies every pending migration and returns the names applied by this call.
    @discardableResult
    public func migrate() async throws -> [String] {
        try await client.withConnection { connection in
            // A migration may rewrite a large table: no statement limit for the migrator's session.
            try await connection.query("SET statement_timeout = 0", logger: logger)
            try await connection.query("SET idle_in_transaction_session_timeout = 0", logger: logger)
            try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
            do {
                let applied = try await applyPending(connection)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                throw DatabaseErrorMapper.map(error)
            }
        }
    }

    private func applyPending(_ connection: PostgresConnection) async throws -> [String] {
        try await ensureHistoryTable(connection)
        let status = try await verify(connection)
        var done: [String] = []
        for migration in migrations where status.pending.contains(migration.name) {
            let started = ContinuousClock.now
            try await connection.query("BEGIN", logger: logger)
            do {
                for statement in SQLScript.statements(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let elapsed = Int((ContinuousClock.now - started) / .milliseconds(1))
                try await connection.query(
                    """
                    INSERT INTO schema_migrations (name, checksum, duration_ms)
                    VALUES (\(migration.name), \(migration.checksum), \(elapsed))
                    """, logger: logger)
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw MigrationError.failed(name: migration.name, reason: Self.describe(error))
            }
            logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
            done.append(migration.name)
        }
        return done
    }

    /// The server's own message, which PSQLError keeps out of its description.
    static func describe(_ error: any Error) -> String {
        if let psql = error as? PSQLError, let message = psql.serverInfo?[.message] {
            return message + (psql.serverInfo?[.detail].map { " (\($0))" } ?? "")
        }
        return String(describing: error)
    }

    private func ensureHistoryTable(_ connection: PostgresConnection) async throws {
        // The migrator's own bookkeeping; every application table comes from a numbered file.
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name        text PRIMARY KEY,
                checksum    text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now(),
                duration_ms integer NOT NULL
            )
            """, logger: logger)
    }

    private func verify(_ connection: PostgresConnection) async throws -> MigrationStatus {
        var recorded: [String: String] = [:]
        let exists =
            try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
            .decode(Bool.self).first { _ in true } ?? false
        if exists {
            for try await (name, checksum) in try await connection.query(
                "SELECT name, checksum FROM schema_migrations ORDER BY name", logger: logger
            ).decode((String, String).self) {
                recorded[name] = checksum
            }
        }
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.name, $0) })
        for (name, checksum) in recorded.sorted(by: { $0.key < $1.key }) {
            guard let file = known[name] else { throw MigrationError.unknownApplied(name: name) }
            if file.checksum != checksum { throw MigrationError.changedAfterApply(name: name) }
        }
        return MigrationStatus(
            applied: recorded.keys.sorted(),
            pending: migrations.map(\.name).filter { recorded[$0] == nil })
    }
}
