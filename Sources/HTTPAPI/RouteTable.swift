import Domain
import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// The paths and methods the API serves, recorded as routes are registered, so that a known
/// path asked with the wrong method gets 405 and an `Allow` header rather than 404.
final class RouteTable: @unchecked Sendable {
    private var routes: [(segments: [Substring], method: HTTPRequest.Method)] = []

    /// Records a route; `path` uses `{name}` or `:name` for parameters.
    func add(_ method: HTTPRequest.Method, _ path: String) {
        routes.append((path.split(separator: "/"), method))
    }

    /// The methods served at `path`, or an empty set when nothing matches it.
    func methods(at path: String) -> Set<HTTPRequest.Method> {
        let parts = path.split(separator: "/")
        return Set(
            routes.filter { route in
                route.segments.count == parts.count
                    && zip(route.segments, parts).allSatisfy { template, part in
                        template.hasPrefix("{") || template.hasPrefix(":") || template == part
                    }
            }.map(\.method))
    }
}

/// Registers OpenAPI handlers on the API's routes and records each in a `RouteTable`.
struct RecordingTransport<Routes: RouterMethods>: ServerTransport {
    let routes: Routes
    let table: RouteTable

    func register(
        _ handler:
            @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
                HTTPResponse, HTTPBody?
            ),
        method: HTTPRequest.Method, path: String
    ) throws {
        table.add(method, path)
        routes.register(handler, method: method, path: path)
    }
}

/// Answers 405 with `Allow` for a known path asked with a method it does not serve.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let table: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // Only a request that found no route pays for the lookup.
        do {
            let response = try await next(request, context)
            guard response.status == .notFound else { return response }
            try refuseWrongMethod(request)
            return response
        } catch let error as HTTPResponseError where error.status == .notFound {
            try refuseWrongMethod(request)
            throw error
        }
    }

    private func refuseWrongMethod(_ request: Request) throws {
        let methods = table.methods(at: request.uri.path)
        if !methods.isEmpty && !methods.contains(request.method) && !(request.method == .head && methods.contains(.get))
        {
            let allowed = methods.map(\.rawValue).sorted()
            var problem = ProblemDetails(
                .methodNotAllowed, slug: "method-not-allowed",
                detail: "\(request.method.rawValue) is not served here; use \(allowed.joined(separator: ", "))",
                allowed: allowed)
            problem.headers[.allow] = allowed.joined(separator: ", ")
            throw problem
        }
    }
}
