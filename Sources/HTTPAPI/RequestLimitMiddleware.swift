import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOPosix
import Settings

extension RequestLimits {
    /// The HTTP/1.1 channel with these limits.
    public var channel: HTTP1Channel.Configuration {
        HTTP1Channel.Configuration(
            idleTimeout: .seconds(Int64(idleTimeoutSeconds)),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: Self.maximumHeaderBytes, maxHeaderListSize: Self.maximumHeaderBytes,
                maxHeaderFieldCount: Self.maximumHeaderFields))
    }
}

/// Reads a request's body up to its limit before anything decodes it, and answers 413 as soon
/// as the declared length or the bytes read pass the limit: an oversized body is never held
/// whole in memory.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: RequestLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let limit = limits.bodyBytes(at: request.uri.path)
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw Self.tooLarge(limit)
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge(limit)
        }
        return try await next(request, context)
    }

    static func tooLarge(_ limit: Int) -> ProblemDetails {
        ProblemDetails(
            .contentTooLarge, slug: "body-too-large",
            detail: "the body is larger than the \(limit) bytes this endpoint accepts",
            errors: [.init(field: "body", detail: "must be at most \(limit) bytes")])
    }
}

/// Answers every request within its time limit, reading the body included: past it the handler
/// is cancelled and the client gets 503 with `Retry-After`. Database calls have their own,
/// shorter deadline that answers even when a connection hangs, so the handler always ends.
struct RequestDeadlineMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: RequestLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let seconds = limits.requestSeconds(at: request.uri.path)
        return try await withoutActuallyEscaping(next) { next in
            // The group waits for its tasks before returning, so `next` never outlives this call.
            let handler = Unchecked(value: (next, request, context))
            return try await withThrowingTaskGroup(of: Unchecked<Response>?.self) { group in
                group.addTask { Unchecked(value: try await handler.value.0(handler.value.1, handler.value.2)) }
                group.addTask {
                    // An event loop's timer rather than `Task.sleep`: no dispatch timer per request.
                    let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(
                        in: .milliseconds(Int64(seconds * 1000))
                    ) {}
                    try await withTaskCancellationHandler {
                        try await timer.futureResult.get()
                    } onCancel: {
                        timer.cancel()
                    }
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let response = first else {
                    var problem = ProblemDetails(
                        .serviceUnavailable, slug: "request-timeout",
                        detail:
                            "the request took longer than \(seconds.formatted()) s and was given up. Try again shortly."
                    )
                    problem.headers[.retryAfter] = String(ProblemDetails.retryAfterSeconds)
                    throw problem
                }
                return response.value
            }
        }
    }
}

/// A value handed to a child task that the task group keeps within its caller's scope.
struct Unchecked<Value>: @unchecked Sendable {
    var value: Value
}

extension Double {
    fileprivate func formatted() -> String { self == rounded() ? String(Int(self)) : String(self) }
}
