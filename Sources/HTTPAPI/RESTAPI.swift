import CordonAPI
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime
import Services
import Settings

/// The REST API's share of the router, and the front every request passes through. The
/// composition root (`CordonApp`) adds the front, then the API's routes and the console's
/// beside them.
public struct RESTAPI: Sendable {
    let services: CordonServices
    let http: HTTPSettings
    /// The API's paths and methods, for 405 on a known path asked with another method.
    let table = RouteTable()

    public init(services: CordonServices, http: HTTPSettings) {
        self.services = services
        self.http = http
    }

    /// What every request passes, API or console: its span, the drain before a stop, one log
    /// line with every thrown error turned into problem+json, 405s for the API's paths, the
    /// request's deadline and its body's limit.
    public func addFront(to router: Router<CordonRequestContext>) {
        router.middlewares.add(RequestSpanMiddleware())
        router.middlewares.add(DrainingMiddleware(shutdown: services.health.shutdown))
        router.middlewares.add(RequestLogMiddleware(trustedProxies: http.trustedProxies))
        router.middlewares.add(MethodNotAllowedMiddleware(table: table))
        router.middlewares.add(RequestDeadlineMiddleware(limits: http.limits))
        router.middlewares.add(BodyLimitMiddleware(limits: http.limits))
    }

    /// The API's operations, the spec and the check-in page, in a group of their own: bearer
    /// tokens, the security log, date-time fields named and verbatim headers are the API's
    /// alone.
    public func addRoutes(to router: Router<CordonRequestContext>) throws {
        let api = router.group()
            .add(middleware: MalformedDateTimeMiddleware<CordonRequestContext>(limits: http.limits))
            .add(middleware: AuthMiddleware<CordonRequestContext>(access: services.access, security: services.security))
            .add(middleware: SecurityLogMiddleware<CordonRequestContext>(security: services.security))
            .add(middleware: VerbatimHeadersMiddleware<CordonRequestContext>())
            .add(
                middleware: FHIRBundleMiddleware<CordonRequestContext>(
                    results: services.labResults, limit: http.limits.importBodyBytes))
        let spec = OpenAPIDocument.bytes()
        table.add(.get, "/openapi.yaml")
        api.get("/openapi.yaml") { _, _ in
            guard let spec else {
                throw HTTPError(.internalServerError, message: "openapi.yaml is missing from the build")
            }
            return Self.file(spec, type: "application/yaml")
        }
        // The page a patient's phone opens from the poster's QR code; it posts to /check-ins.
        let checkInPage = try CheckInPage.bytes()
        table.add(.get, "/check-in")
        api.get("/check-in") { _, _ in Self.file(checkInPage, type: "text/html; charset=utf-8") }
        try APIImplementation(services: services).registerHandlers(
            on: RecordingTransport(routes: api, table: table),
            configuration: OpenAPIRuntime.Configuration(dateTranscoder: RFC3339DateTranscoder()),
            middlewares: [OperationRecorder()])
    }

    /// Who is asking in the request being served (its id and address), as the audit trail
    /// records it: for the console, whose requests pass the same front.
    public static var currentOrigin: Origin {
        .http(requestId: RequestScope.requestId, address: RequestScope.clientAddress)
    }

    static func file(_ bytes: [UInt8], type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// The check-in page shipped with the build.
enum CheckInPage {
    static func bytes() throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "check-in", withExtension: "html") else {
            throw HTTPError(.internalServerError, message: "check-in.html is missing from the build")
        }
        return Array(try Data(contentsOf: url))
    }
}
