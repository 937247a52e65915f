import AsyncHTTPClient
import Domain
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Storage
import Synchronization
import Tracing

/// Delivers the webhook outbox to hospitals' and residential committees' endpoints: claims due events, posts each signed,
/// and records the answer; failures wait out an exponential backoff, then go to the dead letter.
///
/// Run it as a lifecycle service (`cordon serve` does). It wakes on the notification a new
/// event sends and otherwise looks at the outbox every `pollInterval`. Several dispatchers
/// may run against one database: a claim skips events another holds. A dispatcher stopped
/// mid-delivery records nothing for that attempt; the event's lease runs out and it goes out
/// again with the same id, so a receiver may see an event twice and must dedupe by id.
public struct WebhookDispatcher: Service {
    let database: Database
    let settings: WebhookSettings
    let logger: Logger
    /// How often the dispatcher has looked at the outbox: an idle one looks rarely.
    public let activity = DispatcherActivity()
    let recorder: AttemptRecorder
    /// Finds the endpoints' addresses (the system's resolver, unless a test gives another).
    let resolver: WebhookResolver

    public init(database: Database, settings: WebhookSettings, logger: Logger) {
        self.init(database: database, settings: settings, logger: logger, resolver: .system)
    }

    init(database: Database, settings: WebhookSettings, logger: Logger, resolver: WebhookResolver) {
        self.database = database
        self.settings = settings
        self.logger = logger
        self.resolver = resolver
        recorder = AttemptRecorder { attempts in
            try await database.statement(Self.actor) { tx in try await tx.webhooks.record(attempts) }
        }
    }

    public func run() async throws {
        var configuration = HTTPClient.Configuration()
        // A redirect would re-post a signed referral to an address nobody registered.
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .milliseconds(Int64(settings.timeout * 1000)))
        let clients = WebhookClients(configuration: configuration)
        let wakeup = Wakeup()
        await withDiscardingTaskGroup { group in
            group.addTask { await listen(wakeup) }
            await withGracefulShutdownHandler {
                await deliverUntilStopped(clients, wakeup)
            } onGracefulShutdown: {
                wakeup.signal()
            }
            group.cancelAll()
        }
        await clients.shutdown(logger: logger)
    }

    /// Claims and delivers until the task is cancelled or the service group shuts down; a
    /// graceful shutdown lets the deliveries in flight finish. At most `concurrency` are in
    /// flight, and the next batch is claimed while the last of the previous one is.
    func deliverUntilStopped(_ clients: WebhookClients, _ wakeup: Wakeup) async {
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    activity.looked()
                    // Stopping is not held up by a database that does not answer.
                    let batch = try await cancelWhenGracefulShutdown {
                        try await database.statement(Self.actor) { tx in
                            try await tx.webhooks.claimDue(limit: settings.claimBatch, lease: settings.lease)
                        }
                    }
                    if batch.isEmpty {
                        if inFlight > 0 {
                            await group.next()
                            inFlight -= 1
                            continue
                        }
                        let next = try await cancelWhenGracefulShutdown {
                            try await database.read(Self.actor) { tx in try await tx.webhooks.secondsUntilNextSendable()
                            }
                        }
                        await wakeup.wait(atMost: min(next ?? settings.pollInterval, settings.pollInterval))
                        continue
                    }
                    for delivery in batch {
                        if inFlight >= settings.concurrency {
                            await group.next()
                            inFlight -= 1
                        }
                        // Stopped meanwhile: the rest of the batch stays unsent, and its leases
                        // bring it back. A delivery started now would go out and not be recorded.
                        if Task.isCancelled || Task.isShuttingDownGracefully { break }
                        group.addTask { await deliver(delivery, clients) }
                        inFlight += 1
                    }
                } catch {
                    if Task.isCancelled || Task.isShuttingDownGracefully { return }
                    logger.error("webhook dispatcher cannot read the outbox", metadata: ["error": "\(error)"])
                    await wakeup.wait(atMost: min(settings.pollInterval, Self.retryAfterFailure))
                }
            }
        }
    }

    /// Who the dispatcher's work is done as.
    static let actor = Actor.system("webhook-dispatcher")

    /// How soon the dispatcher tries again after the database failed it.
    static let retryAfterFailure: TimeInterval = 2

    /// Keeps a connection listening for new events; without it the dispatcher still finds them
    /// at its next poll.
    func listen(_ wakeup: Wakeup) async {
        while !Task.isCancelled {
            do {
                // Heard once when listening starts too: anything written before LISTEN took effect.
                try await database.listen(on: WebhookRepository.channel) { wakeup.signal() }
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "webhook dispatcher lost its LISTEN connection; polling until it is back",
                    metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(min(settings.pollInterval, Self.retryAfterFailure)))
        }
    }

    /// One attempt: post, then record the answer. Cancelled mid-way, it records nothing.
    func deliver(_ delivery: WebhookDelivery, _ clients: WebhookClients) async {
        // The delivery continues the trace of the change that wrote the event, when there is one.
        var parent = ServiceContext.topLevel
        if let traceparent = delivery.traceContext {
            InstrumentationSystem.instrument.extract(
                ["traceparent": traceparent], into: &parent, using: DictionaryExtractor())
        }
        await withSpan("webhook delivery", context: parent, ofKind: .client) { span in
            span.attributes["cordon.webhook.receiver"] = delivery.receiver
            span.attributes["cordon.webhook.attempt"] = delivery.attempt
            await deliverInSpan(delivery, clients)
        }
    }

    func deliverInSpan(_ delivery: WebhookDelivery, _ clients: WebhookClients) async {
        let started = Date()
        let result: WebhookAttemptResult
        do {
            result = try await post(delivery, clients, startedAt: started)
        } catch {
            if Task.isCancelled { return }
            result = WebhookAttemptResult(
                statusCode: nil, error: String(String(describing: error).prefix(500)), startedAt: started)
        }
        let retryAfter = result.succeeded ? nil : settings.retry.delay(afterFailedAttempt: delivery.attemptInRound)
        OperationalMetrics.webhookAttempt(
            receiver: delivery.receiver,
            result: result.succeeded ? "delivered" : retryAfter == nil ? "dead" : "retry",
            seconds: Date().timeIntervalSince(started))
        let meta: Logger.Metadata = [
            "event": "\(delivery.eventId.uuidString.lowercased())", "attempt": "\(delivery.attempt)",
            "status": "\(result.statusCode.map(String.init) ?? "-")", "error": "\(result.error ?? "")",
        ]
        if result.succeeded {
            logger.debug("webhook delivered", metadata: meta)
        } else if let retryAfter {
            logger.warning("webhook attempt failed; retrying in \(retryAfter) s", metadata: meta)
        } else {
            logger.error(
                "webhook dead-lettered after \(delivery.attemptInRound) attempts; `cordon webhook retry` sends it again",
                metadata: meta)
        }
        do {
            try await recorder.record(WebhookAttemptRecord(delivery: delivery, result: result, retryAfter: retryAfter))
        } catch {
            logger.error(
                "webhook attempt not recorded; the lease will bring the event back",
                metadata: meta.merging(["error": "\(error)"]) { $1 })
        }
    }

    /// One attempt, bounded as a whole by `attemptLimit`: checking the endpoint's address
    /// again, connecting to the address checked, sending, and reading the answer (an endpoint
    /// that answers and then trickles an endless body is cut off).
    func post(_ delivery: WebhookDelivery, _ clients: WebhookClients, startedAt: Date) async throws
        -> WebhookAttemptResult
    {
        guard let url = delivery.url, let secret = delivery.secret else {
            return WebhookAttemptResult(
                statusCode: nil, error: "the receiver has no webhook endpoint", startedAt: startedAt)
        }
        // A cancelled dispatcher sends nothing more: what it sent now it could not record.
        try Task.checkCancellation()
        return try await withDeadline(seconds: settings.attemptLimit, "the delivery attempt") {
            let check = WebhookEndpointCheck(allowPrivateNetworks: settings.allowPrivateNetworks, resolver: resolver)
            let client: HTTPClient
            switch await check.beforeDelivery(url) {
            case .refused(let refusal):
                return WebhookAttemptResult(statusCode: nil, error: refusal, startedAt: startedAt)
            case .deliver(let host, let address):
                client = clients.client(host: host, pinnedTo: address)
            }
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.headers.add(name: "User-Agent", value: "Cordon-Webhooks/1")
            request.headers.add(name: "Cordon-Event-Id", value: delivery.eventId.uuidString.lowercased())
            request.headers.add(name: "Cordon-Event-Type", value: delivery.type.rawValue)
            request.headers.add(name: "Cordon-Delivery-Attempt", value: String(delivery.attempt))
            request.headers.add(
                name: WebhookSignature.header,
                value: WebhookSignature.sign(body: delivery.body, secret: secret, timestamp: Date()))
            request.body = .bytes(ByteBuffer(string: delivery.body))
            // W3C trace context: the hospital's system can join the delivery to its own trace.
            if let context = ServiceContext.current {
                InstrumentationSystem.instrument.inject(context, into: &request.headers, using: HTTPHeadersInjector())
            }
            let response = try await client.execute(
                request, timeout: .milliseconds(Int64(settings.timeout * 1000)), logger: logger)
            // Keep the start of the answer for the log; stop reading there, whatever follows.
            var head = ByteBuffer()
            for try await var chunk in response.body {
                head.writeBuffer(&chunk)
                if head.readableBytes >= Self.answerKept { break }
            }
            let code = Int(response.status.code)
            let ok = (200..<300).contains(code)
            let text = head.readString(length: min(head.readableBytes, Self.answerKept)) ?? ""
            return WebhookAttemptResult(
                statusCode: code, error: ok ? nil : "HTTP \(code)" + (text.isEmpty ? "" : ": \(text)"),
                startedAt: startedAt)
        }
    }

    /// How much of an endpoint's answer is kept in the attempt log.
    static let answerKept = 300
}

/// Counts the dispatcher's looks at the outbox, for tests and metrics.
public final class DispatcherActivity: Sendable {
    private let looks = Mutex(0)

    public init() {}

    func looked() { looks.withLock { $0 += 1 } }

    /// Looks at the outbox so far.
    public var lookCount: Int { looks.withLock { $0 } }
}

/// Reads trace context from a dictionary (an event's stored `traceparent`).
struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

/// Writes trace context into an outgoing request's headers.
struct HTTPHeadersInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout HTTPHeaders) {
        carrier.replaceOrAdd(name: key, value: value)
    }
}
