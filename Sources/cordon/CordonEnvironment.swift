import Domain
import Foundation
import Logging
import PostgresNIO
import Services
import Settings

/// The configuration and the database for one command.
enum CordonEnvironment {
    /// Every setting, read and checked once; a command that cannot use one stops with its name.
    static func configuration() throws -> CordonConfiguration { try CordonConfiguration.load() }

    static func logger(_ label: String = "cordon", level: Logger.Level) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }

    /// The operator at the terminal, as the audit trail names them.
    static var cliActor: Actor {
        let env = ProcessInfo.processInfo.environment
        return Actor.cliOperator(env["SUDO_USER"] ?? env["USER"] ?? env["LOGNAME"] ?? "operator")
    }

    /// Runs `body` with a connected client that is shut down afterwards; as the schema's owner
    /// when `asOwner` (migrations). An unreachable database is named within a few seconds.
    static func withClient<T: Sendable>(maximumConnections: Int = 4, asOwner: Bool = false,
                                        _ body: @Sendable (PostgresClient, CordonConfiguration, Logger) async throws -> T) async throws -> T {
        let configuration = try configuration()
        let logger = logger(level: configuration.logLevel)
        // Commands are quiet about the pool; their own output is what the operator reads.
        var poolLogger = logger
        poolLogger.logLevel = .error
        let url = asOwner ? configuration.database.migrationURL : configuration.database.url
        // Said within seconds, naming host and port: the pool would retry a refused connection for a minute.
        try await DatabaseStartup.probe(url: url, logger: poolLogger)
        let client = try SchemaService.makeClient(url: url, maximumConnections: maximumConnections,
                                                  limits: configuration.services.databaseLimits, logger: poolLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client, configuration, logger)
        }
    }

    /// Runs `body` with the services, after checking that no migration is pending.
    static func withServices<T: Sendable>(_ body: @Sendable (CordonServices) async throws -> T) async throws -> T {
        try await withClient { client, configuration, logger in
            try await requireMigrated(client, logger)
            return try await body(CordonServices(client: client, settings: configuration.services, logger: logger))
        }
    }

    /// Runs `body` with the services, the site named by `code` and the operator as actor: the
    /// start of every command that works on one site.
    static func withSite<T: Sendable>(_ code: String, _ body: @Sendable (CordonServices, Site, Actor) async throws -> T) async throws -> T {
        try await withServices { services in
            let actor = cliActor
            return try await body(services, try await services.sites.get(code: code, actor: actor), actor)
        }
    }
}

extension CordonEnvironment {
    /// Refuses to go on while migrations are pending, naming the command that applies them.
    static func requireMigrated(_ client: PostgresClient, _ logger: Logger) async throws {
        try await SchemaService(client: client, logger: logger).requireUpToDate()
    }
}
