import Domain
import Logging
import PostgresNIO
import Storage

/// Where the database schema stands against this build's migrations.
public typealias SchemaStatus = MigrationStatus
/// What granting the application role its row access did.
public typealias RowAccessOutcome = RowAccess.Outcome

/// Opening the database and bringing its schema up to date, for the server and the CLI.
public struct SchemaService: Sendable {
    let migrator: Migrator

    public init(client: PostgresClient, logger: Logger) throws {
        self.migrator = Migrator(client: client, migrations: try Migration.bundled(), logger: logger.forDatabaseDriver)
    }

    /// Applied and pending migrations, without changing anything.
    public func status() async throws -> SchemaStatus { try await migrator.status() }

    /// Applies pending migrations and returns their names.
    public func migrate() async throws -> [String] { try await migrator.migrate() }

    /// Grants the application role row access to every table (after `migrate`, as the owner).
    public func grantRowAccess(to role: String) async throws -> RowAccess.Outcome {
        try await migrator.client.withConnection { connection in
            try await RowAccess.grant(to: role, on: connection, logger: migrator.logger)
        }
    }

    /// Why the connected role is more powerful than the application should be, or nil.
    public func excessPower() async throws -> String? {
        try await migrator.client.withConnection { connection in
            try await RowAccess.excessPower(on: connection, logger: migrator.logger)
        }
    }

    /// Refuses to go on while migrations are pending, naming the command that applies them.
    public func requireUpToDate() async throws {
        let status = try await status()
        if !status.pending.isEmpty {
            throw ConfigurationError(
                "\(status.pending.count) migration(s) pending (\(status.pending.joined(separator: ", "))); run `cordon migrate` to apply them")
        }
    }

    /// A connection pool for a `postgres://` URL; run it as a service before use.
    public static func makeClient(url: String, maximumConnections: Int, limits: DatabaseLimits = DatabaseLimits(),
                                  logger: Logger) throws -> PostgresClient {
        PostgresClient(configuration: try DatabaseConfiguration(url: url).clientConfiguration(maximumConnections: maximumConnections, limits: limits),
                       backgroundLogger: logger.forDatabaseDriver)
    }

    /// A database URL with its password hidden, for messages.
    public static func redacted(_ url: String) -> String { DatabaseConfiguration.redact(url) }

    /// The documented default `DATABASE_URL`.
    public static let defaultDatabaseURL = DatabaseConfiguration.defaultURL
}
