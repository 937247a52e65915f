import ArgumentParser
import HTTPAPI
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle
import Services
import Domain
import Settings

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the REST API on HOST:PORT (default 127.0.0.1:8080) and deliver webhooks to hospitals.")

    func run() async throws {
        let configuration = try CordonEnvironment.configuration()
        let logger = CordonEnvironment.logger(level: configuration.logLevel)
        let client = try SchemaService.makeClient(url: configuration.database.url, maximumConnections: configuration.database.poolSize,
                                                  logger: logger)
        let services = CordonServices(client: client, settings: configuration.services, logger: logger)
        let app = try buildApplication(services: services, settings: configuration.http, logger: logger)
        // The pool runs as a lifecycle service; the check runs once it is up, before any request
        // is served or any webhook sent.
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: client),
                .init(service: MigrationGate(client: client, logger: logger, service: app, checksRole: true),
                      successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: MigrationGate(client: client, logger: logger, service: services.webhookDispatcher()),
                      successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: MigrationGate(client: client, logger: logger, service: services.housekeeping()),
                      successTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Refuses to run `service` (the HTTP application, the webhook dispatcher) while migrations are
/// pending.
struct MigrationGate<Wrapped: Service>: Service {
    let client: PostgresClient
    let logger: Logger
    let service: Wrapped
    /// Whether to warn when the connection's role could change the schema (said once, by the HTTP side).
    var checksRole = false

    func run() async throws {
        try await CordonEnvironment.requireMigrated(client, logger)
        if checksRole, let why = try? await SchemaService(client: client, logger: logger).excessPower() {
            logger.warning("DATABASE_URL connects with more power than the application needs: \(why); it could drop the audit trail's protection. Connect as the application role (README, Database roles).")
        }
        try await service.run()
    }
}
