import ArgumentParser
import Domain
import Foundation
import Logging
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

    /// Runs `body` with services over a pool that is shut down afterwards; as the schema's
    /// owner when `asOwner` (migrations). An unreachable database is named within a few seconds.
    static func withServices<T>(
        poolSize: Int = 4, asOwner: Bool = false, checkSchema: Bool = true,
        _ body: (CordonServices, CordonConfiguration) async throws -> T
    ) async throws -> T {
        let configuration = try configuration()
        // Commands are quiet about the pool; their own output is what the operator reads.
        var quiet = logger(level: configuration.logLevel)
        quiet.logLevel = max(quiet.logLevel, .error)
        let url = asOwner ? configuration.database.migrationURL : configuration.database.url
        // Said within seconds, naming host and port: the pool would retry a refused connection for a minute.
        try await DatabaseStartup.probe(url: url, logger: quiet)
        let services = try CordonServices(url: url, poolSize: poolSize, settings: configuration.services, logger: quiet)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await services.database.run() }
            defer { group.cancelAll() }
            if checkSchema { try await services.schema.requireUpToDate() }
            return try await body(services, configuration)
        }
    }
}

/// What a command works with: the services over one pool, and the operator at the terminal.
struct CLI {
    let services: CordonServices
    let configuration: CordonConfiguration
    let actor: Actor

    /// The site `code`, as the operator may see it.
    func site(_ code: String) async throws -> Site { try await services.sites.get(code: code, actor: actor) }
}

/// A Cordon command that works on the records: `run(_:)` is its work. The default `run()`
/// reads the configuration, opens the database, checks that no migration is pending and names
/// the operator, once, for every command.
protocol CordonCommand: AsyncParsableCommand {
    func run(_ cli: CLI) async throws
}

extension CordonCommand {
    func run() async throws {
        try await CordonEnvironment.withServices { services, configuration in
            try await run(CLI(services: services, configuration: configuration, actor: CordonEnvironment.cliActor))
        }
    }
}

/// A command on one site, named by its code: `run(_:site:)` is its work.
protocol OneSiteCommand: CordonCommand {
    /// The code of the site the command works on.
    var siteCode: String { get }
    func run(_ cli: CLI, site: Site) async throws
}

extension OneSiteCommand {
    func run(_ cli: CLI) async throws { try await run(cli, site: try await cli.site(siteCode)) }
}
