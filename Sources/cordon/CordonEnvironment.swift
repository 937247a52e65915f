import Domain
import Foundation
import Logging
import PostgresNIO
import Services

/// Reads configuration from the environment and opens the database for one command.
enum CordonEnvironment {
    static let defaultDatabaseURL = SchemaService.defaultDatabaseURL

    static var env: [String: String] { ProcessInfo.processInfo.environment }

    static func logger(_ label: String = "cordon") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = env["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        return logger
    }

    static var databaseURL: String { env["DATABASE_URL"] ?? defaultDatabaseURL }

    /// The operator at the terminal, as the audit trail names them.
    static var cliActor: Actor {
        Actor.cliOperator(env["SUDO_USER"] ?? env["USER"] ?? env["LOGNAME"] ?? "operator")
    }

    /// Runs `body` with a connected client that is shut down afterwards.
    static func withClient<T: Sendable>(maximumConnections: Int = 4, _ body: @Sendable (PostgresClient, Logger) async throws -> T) async throws -> T {
        let logger = logger()
        // Commands are quiet about the pool; their own output is what the operator reads.
        var poolLogger = logger
        poolLogger.logLevel = .error
        let client = try SchemaService.makeClient(url: databaseURL, maximumConnections: maximumConnections, logger: poolLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            do {
                // The pool retries a refused connection for a minute; an operator should hear sooner.
                try await withThrowingTaskGroup(of: Void.self) { probe in
                    probe.addTask { try await client.query("SELECT 1") }
                    probe.addTask {
                        try await Task.sleep(for: .seconds(5))
                        throw ConfigurationError("no answer within 5 seconds")
                    }
                    defer { probe.cancelAll() }
                    try await probe.next()
                }
            } catch {
                throw ConfigurationError("""
                    cannot reach PostgreSQL at \(SchemaService.redacted(databaseURL)) (\(error)).
                    Start the local one with `Deploy/postgres.sh start`, or set DATABASE_URL.
                    """)
            }
            return try await body(client, logger)
        }
    }

    /// Runs `body` with the services, after checking that no migration is pending.
    static func withServices<T: Sendable>(_ body: @Sendable (CordonServices) async throws -> T) async throws -> T {
        let settings = try ServiceSettings.fromEnvironment()
        return try await withClient { client, logger in
            try await requireMigrated(client, logger)
            return try await body(CordonServices(client: client, settings: settings, logger: logger))
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

    /// Refuses to go on while migrations are pending, naming the command that applies them.
    static func requireMigrated(_ client: PostgresClient, _ logger: Logger) async throws {
        try await SchemaService(client: client, logger: logger).requireUpToDate()
    }
}
