import Foundation
import Hummingbird
import Logging

/// A hospital's webhook endpoint on loopback, started by a test: it records every request and
/// answers as the test's `answer` says, given how many times it has seen that event before.
actor WebhookReceiver {
    struct Received: Sendable {
        var eventId: String
        var attempt: String
        var signature: String
        var body: String
        var at: Date
        var status: Int
    }

    typealias Answer = @Sendable (_ eventId: String, _ seenBefore: Int) async -> HTTPResponse.Status
    private(set) var received: [Received] = []
    private let answer: Answer

    init(answer: @escaping Answer) { self.answer = answer }

    /// Requests that got a 2xx, per event id.
    func successes() -> [String: Int] {
        received.filter { (200..<300).contains($0.status) }.reduce(into: [:]) { $0[$1.eventId, default: 0] += 1 }
    }

    func record(_ request: Request, body: String) async -> HTTPResponse.Status {
        let eventId = request.headers[.init("Cordon-Event-Id")!] ?? ""
        let seen = received.filter { $0.eventId == eventId }.count
        let at = Date()
        // Recorded before answering, so a request that never gets its answer still shows.
        received.append(
            Received(
                eventId: eventId, attempt: request.headers[.init("Cordon-Delivery-Attempt")!] ?? "",
                signature: request.headers[.init("Cordon-Signature")!] ?? "", body: body, at: at, status: 0))
        let index = received.count - 1
        let status = await answer(eventId, seen)
        // A request whose sender hung up while it was held was never answered.
        received[index].status = Task.isCancelled ? 0 : Int(status.code)
        return status
    }

    /// Serves on `host` (127.0.0.1) at `port` (a free one) for the length of `body`, which gets
    /// the endpoint's URL.
    static func serving<T: Sendable>(
        host: String = "127.0.0.1", port: Int = 0, answer: @escaping Answer = { _, _ in .ok },
        _ body: (WebhookReceiver, String) async throws -> T
    ) async throws -> T {
        let receiver = WebhookReceiver(answer: answer)
        let router = Router()
        router.post("/cordon-webhooks") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            return Response(status: await receiver.record(request, body: String(buffer: bytes)))
        }
        return try await LoopbackServer.serving(router, host: host, port: port) { port in
            try await body(receiver, "http://\(host):\(port)/cordon-webhooks")
        }
    }

    /// An address where nothing listens: a receiver's, after it stopped.
    static func deadAddress() async throws -> String {
        try await serving { _, url in url }
    }
}

/// A Hummingbird server on `host` (127.0.0.1) at `port` (a free one) for the length of `body`,
/// which gets the port.
enum LoopbackServer {
    static func serving<T: Sendable>(
        _ router: Router<BasicRequestContext>, host: String = "127.0.0.1", port: Int = 0,
        _ body: (Int) async throws -> T
    ) async throws -> T {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var quiet = Logger(label: "loopback-server")
        quiet.logLevel = .critical  // stopping mid-request is what some tests do on purpose
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: quiet)
        let server = Task { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        let result: Result<T, any Error>
        do { result = .success(try await body(port)) } catch { result = .failure(error) }
        server.cancel()
        _ = await server.result
        return try result.get()
    }
}
