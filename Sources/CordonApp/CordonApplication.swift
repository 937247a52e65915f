import HTTPAPI
import Hummingbird
import Logging
import ServiceLifecycle
import Services
import Settings
import WebConsole

/// Cordon as `cordon serve` runs it, wired in one place: the services over the database, the
/// HTTP application (the REST API and the web console side by side), and the work that runs
/// beside it. The tests build theirs here too, over their own database.
public struct CordonApplication: Sendable {
    public let services: CordonServices
    /// The HTTP server: the front every request passes, the API's routes, the console's.
    public let http: Application<RouterResponder<CordonRequestContext>>

    /// The work that runs while the server does, in the order to start it: housekeeping,
    /// webhook deliveries, the release-flags check, the access-change listener, and the sites'
    /// gauges when metrics are on. The pool (`services.database`) is the caller's to run first.
    public func background(metrics: Bool) -> [any Service] {
        var work: [any Service] = [
            services.housekeeping(), services.webhookDispatcher(), services.releaseFlagsCheck(),
            services.accessChangeListener(),
        ]
        if metrics { work.append(services.siteGauges()) }
        return work
    }
}

/// Builds Cordon from its configuration: a pool of connections to the configured database, the
/// services over it, and the HTTP application.
public func buildApplication(configuration: CordonConfiguration, logger: Logger) throws -> CordonApplication {
    let services = try CordonServices(
        url: configuration.database.url, poolSize: configuration.database.poolSize,
        settings: configuration.services, logger: logger)
    return try buildApplication(configuration: configuration, services: services, logger: logger)
}

/// Builds the HTTP application over services that already exist (the tests' own database).
public func buildApplication(configuration: CordonConfiguration, services: CordonServices, logger: Logger) throws
    -> CordonApplication
{
    let http = configuration.http
    return CordonApplication(
        services: services,
        http: Application(
            router: try buildRouter(services: services, http: http),
            server: .http1(configuration: http.limits.channel),
            configuration: .init(address: .hostname(http.host, port: http.port), serverName: "cordon"),
            logger: logger))
}

/// The router: the front every request passes, then the REST API's routes and the console's,
/// each with the middleware of its own.
public func buildRouter(services: CordonServices, http: HTTPSettings) throws -> Router<CordonRequestContext> {
    let router = Router(context: CordonRequestContext.self)
    let api = RESTAPI(services: services, http: http)
    api.addFront(to: router)
    try api.addRoutes(to: router)
    try WebConsole.load(services: services).register(on: router) { RESTAPI.currentOrigin }
    return router
}
