import CordonAPI
import Foundation
import HTTPTypes
import Hummingbird
import Metrics
import OpenAPIRuntime
import Tracing

/// What a request turned out to be, learnt inside it and read by the outer middleware once the
/// response is known: the API operation it reached.
final class RequestFacts: @unchecked Sendable {
    private let lock = NSLock()
    private var _operation: String?

    var operation: String? {
        get { lock.withLock { _operation } }
        set { lock.withLock { _operation = newValue } }
    }

    /// The operation label of a request: the OpenAPI operation id, or what else it reached.
    static func label(operation: String?, path: String) -> String {
        if let operation { return operation }
        if path.hasPrefix("/console") { return "console" }
        if path.hasPrefix("/health/") { return "health" }
        if path == "/openapi.yaml" { return "openapi" }
        if path == "/check-in" { return "checkInPage" }
        if path.hasPrefix("/verify/") { return "certificateCheckPage" }
        if path.hasPrefix("/certificate/") { return "certificateHolderPage" }
        if path.hasPrefix("/committee-notice/") { return "committeeNoticePage" }
        return "unmatched"
    }
}

/// Tells the request's `RequestFacts` which OpenAPI operation it reached, and runs the operation
/// (the use case) in a span of its own.
struct OperationRecorder: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        RequestScope.facts?.operation = operationID
        return try await withSpan(operationID, ofKind: .internal) { _ in try await next(request, body, metadata) }
    }
}

/// The request metrics, through swift-metrics (Prometheus at `/metrics` in `cordon serve`):
/// requests by operation, method and status; latency by operation; requests in flight; bodies
/// refused for size.
enum RequestMetrics {
    static let inFlight = Meter(label: "cordon_http_requests_in_flight")
    static let bodiesRefused = Counter(label: "cordon_http_bodies_refused_total")

    static func record(operation: String, method: HTTPRequest.Method, status: Int, elapsed: Duration) {
        Counter(
            label: "cordon_http_requests_total",
            dimensions: [("operation", operation), ("method", method.rawValue), ("status", String(status))]
        ).increment()
        Timer(label: "cordon_http_request_duration_seconds", dimensions: [("operation", operation)])
            .record(duration: elapsed)
        if status == 413 { bodiesRefused.increment() }
    }
}
