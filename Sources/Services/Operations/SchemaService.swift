import Domain
import Logging
import Storage

/// Where the database schema stands against this build's migrations.
public typealias SchemaStatus = MigrationStatus
/// What granting the application role its row access did.
public typealias RowAccessOutcome = RowAccess.Outcome

/// Bringing the database's schema up to date and checking it, for the server and the CLI.
public struct SchemaService: Sendable {
    let database: Database

    /// Applied and pending migrations, without changing anything.
    public func status() async throws -> SchemaStatus { try await database.migrator().status() }

    /// Applies pending migrations and returns their names.
    public func migrate() async throws -> [String] { try await database.migrator().migrate() }

    /// Grants the application role row access to every table (after `migrate`, as the owner).
    public func grantRowAccess(to role: String) async throws -> RowAccess.Outcome {
        try await database.grantRowAccess(to: role)
    }

    /// Why the connected role is more powerful than the application should be, or nil.
    public func excessPower() async throws -> String? { try await database.excessPower() }

    /// Refuses to go on while migrations are pending, naming the command that applies them.
    public func requireUpToDate() async throws {
        let status = try await status()
        if !status.pending.isEmpty {
            throw ConfigurationError(
                "\(status.pending.count) migration(s) pending (\(status.pending.joined(separator: ", "))); run `cordon migrate` to apply them"
            )
        }
    }

    /// A database URL with its password hidden, for messages.
    public static func redacted(_ url: String) -> String { DatabaseConfiguration.redact(url) }

    /// The documented default `DATABASE_URL`.
    public static let defaultDatabaseURL = DatabaseConfiguration.defaultURL
}
