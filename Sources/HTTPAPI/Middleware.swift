import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Services
import Settings

/// One structured log line per request (id, method, path, status, duration), the request id
/// echoed in `X-Request-ID`, and every error turned into problem+json, so the line logs the
/// status the client really got.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    static var requestIdHeader: HTTPField.Name { HTTPField.Name("X-Request-ID")! }
    static var forwardedForHeader: HTTPField.Name { HTTPField.Name("X-Forwarded-For")! }
    /// Whose `X-Forwarded-For` names the client.
    var trustedProxies = TrustedProxies.none

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let requestId = Self.acceptableId(request.headers[Self.requestIdHeader]) ?? UUID().uuidString.lowercased()
        let address = trustedProxies.clientAddress(
            peer: (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress,
            forwardedFor: request.headers[values: Self.forwardedForHeader])
        let facts = RequestFacts()
        RequestMetrics.inFlight.increment()
        defer { RequestMetrics.inFlight.decrement() }
        var response = await RequestScope.$requestId.withValue(requestId) {
            do {
                return try await RequestScope.$clientAddress.withValue(address) {
                    try await RequestScope.$facts.withValue(facts) { try await next(request, context) }
                }
            } catch {
                let problem = ProblemDetails.from(error)
                if problem.status >= 500 {
                    let safe = LogSafeError(error)
                    context.logger.error(
                        "request failed",
                        metadata: [
                            "request_id": "\(requestId)", "operation": "\(safe.operation ?? request.method.rawValue)",
                            "error_type": "\(safe.kind)", "status": "\(problem.status)",
                        ])
                }
                return request.uri.path == "/fhir" || request.uri.path.hasPrefix("/fhir/")
                    ? problem.operationOutcome() : problem.response()
            }
        }
        response.headers[Self.requestIdHeader] = requestId
        let elapsed = ContinuousClock.now - started
        let operation = RequestFacts.label(operation: facts.operation, path: request.uri.path)
        RequestMetrics.record(
            operation: operation, method: request.method, status: Int(response.status.code), elapsed: elapsed)
        context.logger.info(
            "request",
            metadata: [
                "request_id": "\(requestId)",
                "operation": "\(operation)",
                "method": "\(request.method.rawValue)",
                "path": "\(Self.loggable(request.uri.path))",
                "status": "\(response.status.code)",
                "duration_ms":
                    "\(String(format: "%.2f", Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000))",
            ])
        return response
    }

    /// The path as logged: a calendar address's secret, a certificate's code (the holder's opens
    /// their whole certificate) and a committee's link never reach the log.
    static func loggable(_ path: String) -> String {
        for prefix in [AuthMiddleware<Context>.calendarFeedPrefix, "/verify/", "/certificate/", "/committee-notice/"]
        where path.hasPrefix(prefix) {
            return prefix + "(secret)"
        }
        return path
    }

    /// A client's own request id is kept when it is short and plain.
    static func acceptableId(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.count),
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) })
        else { return nil }
        return value
    }
}

/// Resolves the bearer token into an `Actor` for everything but `/health/*`, the calendar
/// addresses (their secret is in the path) and check-ins (the signed code is in the body).
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    static var calendarFeedPrefix: String { "/calendar-feeds/" }
    /// Paths whose credential is in the request itself, not a bearer token.
    static func isOpen(_ path: String) -> Bool {
        path.hasPrefix("/health/") || path.hasPrefix(calendarFeedPrefix) || path == "/check-ins" || path == "/check-in"
    }
    let access: AccessService

    let security: SecurityLogService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if Self.isOpen(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw DomainError.unauthenticated
        }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        let actor: Actor
        do {
            actor = try await access.authenticate(
                token: token, origin: .http(requestId: RequestScope.requestId, address: RequestScope.clientAddress))
        } catch DomainError.unauthenticated {
            // A credential was presented and refused: the security log hears of it (never the token).
            await security.record(
                SecurityEvent(
                    kind: .badToken, status: 401, method: request.method.rawValue,
                    path: RequestLogMiddleware<Context>.loggable(request.uri.path), address: RequestScope.clientAddress,
                    requestId: RequestScope.requestId, username: nil, detail: "unknown, revoked or expired token"))
            throw DomainError.unauthenticated
        }
        return try await RequestScope.$actor.withValue(actor) { try await next(request, context) }
    }
}

/// Records refusals a person or a script should not be able to repeat unnoticed (403, 429) in
/// the security log, with who was signed in, the address and the request id.
struct SecurityLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let security: SecurityLogService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let problem = ProblemDetails.from(error)
            let kind: SecurityEventKind? =
                switch problem.status {
                case 403: .forbidden
                case 429: .rateLimited
                default: nil
                }
            if let kind {
                await security.record(
                    SecurityEvent(
                        kind: kind, status: problem.status, method: request.method.rawValue,
                        path: RequestLogMiddleware<Context>.loggable(request.uri.path),
                        address: RequestScope.clientAddress, requestId: RequestScope.requestId,
                        username: RequestScope.actor?.username, detail: problem.detail ?? ""))
            }
            throw error
        }
    }
}

/// The OpenAPI runtime percent-encodes string header values (`"1"` becomes `%221%22`); ETag and
/// Location must reach clients verbatim, so they are decoded back here.
struct VerbatimHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var names: [HTTPField.Name] { [.eTag, .location, HTTPField.Name("Idempotency-Replayed")!] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        for name in Self.names {
            if let value = response.headers[name], let decoded = value.removingPercentEncoding {
                response.headers[name] = decoded
            }
        }
        return response
    }
}

/// While the server drains before it stops, every answer says `Connection: close`, so a client
/// (or a load balancer) opens its next connection to another instance.
struct DrainingMiddleware<Context: RequestContext>: RouterMiddleware {
    let shutdown: ShutdownState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        if shutdown.isDraining { response.headers[.connection] = "close" }
        return response
    }
}
