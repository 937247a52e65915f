import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// The framework's floor, for `Deploy/bench.sh`: Hummingbird answering the smallest JSON body
/// at `GET /plain` with no middleware, and at `GET /layered/plain` through as many pass-through
/// middlewares as a Cordon API request meets (10). Cordon's own figures are read against these,
/// measured in the same run, so each says how much of a request's cost is Cordon's.
@main
struct FrameworkFloor {
    /// The middlewares an API request passes in Cordon: six for every request, four of the API's.
    static let cordonMiddlewareCount = 10

    static func main() async throws {
        // The same executor as `cordon serve`, so the difference is Cordon's code alone.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let port = Int(ProcessInfo.processInfo.environment["PORT"] ?? "") ?? 18099
        var logger = Logger(label: "framework-floor")
        logger.logLevel = .warning
        let router = Router()
        let body = ByteBuffer(string: #"{"status":"ok"}"#)
        router.get("/plain") { _, _ in Self.json(body) }
        let layered = router.group("layered")
        for _ in 0..<cordonMiddlewareCount { layered.add(middleware: PassThrough()) }
        layered.get("/plain") { _, _ in Self.json(body) }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        try await app.runService()
    }

    static func json(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }
}

/// A middleware that does what every middleware does at least: calls the next.
struct PassThrough<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        try await next(request, context)
    }
}
