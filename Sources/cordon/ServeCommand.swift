import ArgumentParser
import HTTPAPI
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle
import Services
import Domain

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the REST API on HOST:PORT (default 127.0.0.1:8080) and deliver webhooks to hospitals.")

    func run() async throws {
        let env = CordonEnvironment.env
        guard let port = Int(env["PORT"] ?? "8080"), (1...65535).contains(port) else {
            throw ConfigurationError("PORT must be a number between 1 and 65535, got \(env["PORT"] ?? "")")
        }
        let logger = CordonEnvironment.logger()
        let settings = try ServiceSettings.fromEnvironment()
        let client = try SchemaService.makeClient(
            url: CordonEnvironment.databaseURL, maximumConnections: Int(env["DATABASE_POOL_SIZE"] ?? "") ?? 20, logger: logger)
        let services = CordonServices(client: client, settings: settings, logger: logger)
        let app = try buildApplication(services: services, settings: HTTPSettings(host: env["HOST"] ?? "127.0.0.1", port: port),
                                       logger: logger)
        // The pool runs as a lifecycle service; the check runs once it is up, before any request
        // is served or any webhook sent.
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: client),
                .init(service: MigrationGate(client: client, logger: logger, service: app), successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: MigrationGate(client: client, logger: logger, service: services.webhookDispatcher()),
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

    func run() async throws {
        try await CordonEnvironment.requireMigrated(client, logger)
        try await service.run()
    }
}
