import ArgumentParser
import CordonApp
import Dispatch
import Domain
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Services
import Settings

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the REST API on HOST:PORT (default 127.0.0.1:8080) and deliver webhooks to hospitals.")

    func run() async throws {
        let configuration = try CordonEnvironment.configuration()
        let tracing = try TracingSetup.bootstrapIfConfigured()
        if configuration.logAsJSON {
            LoggingSystem.bootstrap(
                { JSONLogHandler(label: $0, metadataProvider: $1) }, metadataProvider: tracing?.logMetadata)
        } else if let tracing {
            LoggingSystem.bootstrap(
                { StreamLogHandler.standardOutput(label: $0, metadataProvider: $1) },
                metadataProvider: tracing.logMetadata)
        }
        let metrics = configuration.metricsPort.map { _ in MetricsEndpoint.bootstrap() }
        let logger = CordonEnvironment.logger(level: configuration.logLevel)
        logger.info("cordon \(BuildInfo.description) starting")
        // Say at once, naming host and port, when the database is not there (or keep trying,
        // a line per attempt, for DATABASE_STARTUP_WAIT_SECONDS).
        try await DatabaseStartup.waitUntilReachable(
            url: configuration.database.url, wait: configuration.startupWaitSeconds, logger: logger)
        let app = try buildApplication(configuration: configuration, logger: logger)
        let services = app.services
        func gated(_ service: some Service, checksRole: Bool = false) -> ServiceGroupConfiguration.ServiceConfiguration
        {
            .init(
                service: MigrationGate(
                    schema: services.schema, logger: logger, service: service, checksRole: checksRole),
                successTerminationBehavior: .gracefullyShutdownGroup)
        }
        // A group shuts its services down last first: the HTTP server drains (not ready, still
        // answering), stops taking requests and finishes those in flight, then deliveries and
        // housekeeping stop, then the pool.
        var running: [ServiceGroupConfiguration.ServiceConfiguration] =
            [.init(service: services.database)] + app.background(metrics: metrics != nil).map { gated($0) }
        if let metrics, let port = configuration.metricsPort {
            running.append(
                .init(service: metrics.application(host: configuration.metricsHost, port: port, logger: logger)))
        }
        if let tracing { running.append(.init(service: tracing.exporter)) }
        if let port = configuration.labMLLPPort {
            running.append(
                gated(
                    MLLPListener(
                        host: configuration.labMLLPHost, port: port, results: services.labResults,
                        stallSeconds: configuration.http.limits.idleTimeoutSeconds,
                        maximumBytes: configuration.http.limits.importBodyBytes, logger: logger)))
        }
        running.append(
            gated(
                DrainingServer(
                    server: app.http, drainSeconds: configuration.shutdownDrainSeconds,
                    shutdown: services.health.shutdown,
                    logger: logger),
                checksRole: true))
        var group = ServiceGroupConfiguration(
            services: running,
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        let stopping = configuration.shutdownDrainSeconds + configuration.shutdownGraceSeconds
        group.maximumGracefulShutdownDuration = .milliseconds(Int64(stopping * 1000))
        let watchdog = ShutdownWatchdog(grace: stopping, logger: logger)
        do {
            try await ServiceGroup(configuration: group).run()
        } catch let error as ServiceGroupError where "\(error)".contains("gracefulShutdownTimedOut") {
            logger.warning(
                "work still in flight after SHUTDOWN_GRACE_SECONDS was cut off",
                metadata: ["grace_seconds": "\(configuration.shutdownGraceSeconds)"])
        }
        watchdog.cancel()
        logger.info("stopped")
    }
}

/// The last word on stopping: once SIGTERM or SIGINT has come, the process exits 0 within the
/// grace period and a second, whatever a dependency still waits on (a database that went away
/// mid-shutdown, say). The service group normally ends well before it.
final class ShutdownWatchdog: @unchecked Sendable {
    private let sources: [DispatchSourceSignal]

    init(grace: Double, logger: Logger) {
        let queue = DispatchQueue(label: "cordon.shutdown-watchdog")
        sources = [SIGTERM, SIGINT].map { signal in
            let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
            source.setEventHandler {
                queue.asyncAfter(deadline: .now() + grace + 0.8) {
                    logger.warning("shutdown did not finish in time; exiting")
                    exit(0)
                }
            }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}

/// Refuses to run `service` (the HTTP application, the webhook dispatcher) while migrations are
/// pending.
struct MigrationGate<Wrapped: Service>: Service {
    let schema: SchemaService
    let logger: Logger
    let service: Wrapped
    /// Whether to warn when the connection's role could change the schema (said once, by the HTTP side).
    var checksRole = false

    func run() async throws {
        try await schema.requireUpToDate()
        if checksRole, let why = try? await schema.excessPower() {
            logger.warning(
                "DATABASE_URL connects with more power than the application needs: \(why); it could drop the audit trail's protection. Connect as the application role (README, Database roles)."
            )
        }
        try await service.run()
    }
}
