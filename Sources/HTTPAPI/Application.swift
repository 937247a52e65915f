import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OpenAPIHummingbird
import OpenAPIRuntime
import Services
import WebConsole

/// Where and how the HTTP server listens.
public struct HTTPSettings: Sendable {
    public var host: String
    public var port: Int
    public var limits: RequestLimits
    /// The load balancers whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`).
    public var trustedProxies: TrustedProxies

    public init(
        host: String = "127.0.0.1", port: Int = 8080, limits: RequestLimits = RequestLimits(),
        trustedProxies: TrustedProxies = .none
    ) {
        self.host = host
        self.port = port
        self.limits = limits
        self.trustedProxies = trustedProxies
    }
}

/// Builds the router with every route and middleware. The server and the tests both call it.
public func buildRouter(
    services: CordonServices, limits: RequestLimits = RequestLimits(), trustedProxies: TrustedProxies = .none
) throws -> Router<CordonRequestContext> {
    let router = Router(context: CordonRequestContext.self)
    let table = RouteTable()
    router.middlewares.add(RequestSpanMiddleware())
    router.middlewares.add(DrainingMiddleware(shutdown: services.health.shutdown))
    router.middlewares.add(RequestLogMiddleware(trustedProxies: trustedProxies))
    router.middlewares.add(MethodNotAllowedMiddleware(table: table))
    router.middlewares.add(RequestDeadlineMiddleware(limits: limits))
    router.middlewares.add(BodyLimitMiddleware(limits: limits))
    router.middlewares.add(MalformedDateTimeMiddleware(limits: limits))
    router.middlewares.add(AuthMiddleware(access: services.access, security: services.security))
    router.middlewares.add(SecurityLogMiddleware(security: services.security))
    router.middlewares.add(VerbatimHeadersMiddleware())
    table.add(.get, "/openapi.yaml")
    router.get("/openapi.yaml") { _, _ in
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml"
        return Response(
            status: .ok, headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: try BundledFile.bytes("openapi", "yaml"))))
    }
    // The page a patient's phone opens from the poster's QR code; it posts to /check-ins.
    table.add(.get, "/check-in")
    router.get("/check-in") { _, _ in
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(
            status: .ok, headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: try BundledFile.bytes("check-in", "html"))))
    }
    try APIImplementation(services: services).registerHandlers(
        on: RecordingTransport(router: router, table: table),
        configuration: OpenAPIRuntime.Configuration(dateTranscoder: RFC3339DateTranscoder()),
        middlewares: [OperationRecorder()])
    try WebConsole.load(services: services).register(on: router) {
        .http(requestId: RequestScope.requestId, address: RequestScope.clientAddress)
    }
    return router
}

/// Builds the whole HTTP application: the composition root of `cordon serve`.
public func buildApplication(services: CordonServices, settings: HTTPSettings, logger: Logger) throws
    -> some ApplicationProtocol
{
    Application(
        router: try buildRouter(
            services: services, limits: settings.limits, trustedProxies: settings.trustedProxies),
        server: .http1(configuration: settings.limits.channel),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "cordon"),
        logger: logger)
}

/// Files shipped with the build: the spec this server implements, the check-in page.
enum BundledFile {
    static func bytes(_ name: String, _ ext: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext) else {
            throw HTTPError(.internalServerError, message: "\(name).\(ext) is missing from the build")
        }
        return Array(try Data(contentsOf: url))
    }
}
