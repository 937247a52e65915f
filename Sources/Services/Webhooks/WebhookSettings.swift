import Domain
import Foundation

/// How webhook events are delivered; each from an environment variable with a documented default.
public struct WebhookSettings: Sendable, Equatable {
    /// Backoff and dead letter (`WEBHOOK_RETRY_BASE_SECONDS`, `WEBHOOK_RETRY_MAX_SECONDS`, `WEBHOOK_MAX_ATTEMPTS`).
    public var retry: WebhookRetryPolicy
    /// How long one attempt may take before it counts as failed (`WEBHOOK_TIMEOUT_SECONDS`).
    public var timeout: TimeInterval
    /// How long past `timeout` a claimed event stays held for its dispatcher, so that only a
    /// dispatcher that died lets the lease lapse.
    public var leaseMargin: TimeInterval = 5
    /// Events claimed at once: two rounds of `concurrency`, to spread the claim's cost.
    public var claimBatch: Int { concurrency * 2 }
    /// How long a claimed event is held for its dispatcher: long enough for every round of its
    /// batch to time out, and the margin.
    public var lease: TimeInterval { timeout * Double(claimBatch / concurrency) + leaseMargin }
    /// Deliveries in flight at once (`WEBHOOK_CONCURRENCY`).
    public var concurrency: Int
    /// The longest the dispatcher sleeps between looks at the outbox when no notification
    /// wakes it (`WEBHOOK_POLL_SECONDS`).
    public var pollInterval: TimeInterval

    public init(retry: WebhookRetryPolicy = WebhookRetryPolicy(), timeout: TimeInterval = 10, concurrency: Int = 8, pollInterval: TimeInterval = 1) {
        self.retry = retry; self.timeout = timeout; self.concurrency = concurrency; self.pollInterval = pollInterval
    }

    /// Reads the settings, refusing values that make no sense.
    public static func fromEnvironment(_ env: [String: String]) throws -> WebhookSettings {
        var s = WebhookSettings()
        func number(_ name: String, _ range: ClosedRange<Double>, _ unit: String) throws -> Double? {
            guard let raw = env[name] else { return nil }
            guard let value = Double(raw), range.contains(value) else {
                throw ConfigurationError("\(name) must be a number of \(unit) between \(range.lowerBound.formatted()) and \(range.upperBound.formatted()), got \(raw)")
            }
            return value
        }
        if let v = try number("WEBHOOK_RETRY_BASE_SECONDS", 0.01...86_400, "seconds") { s.retry.baseDelay = v }
        if let v = try number("WEBHOOK_RETRY_MAX_SECONDS", 0.01...604_800, "seconds") { s.retry.maximumDelay = v }
        if let v = try number("WEBHOOK_MAX_ATTEMPTS", 1...100, "attempts") {
            guard v == v.rounded() else { throw ConfigurationError("WEBHOOK_MAX_ATTEMPTS must be a whole number, got \(env["WEBHOOK_MAX_ATTEMPTS"]!)") }
            s.retry.maximumAttempts = Int(v)
        }
        if let v = try number("WEBHOOK_TIMEOUT_SECONDS", 0.1...300, "seconds") { s.timeout = v }
        if let v = try number("WEBHOOK_CONCURRENCY", 1...256, "deliveries") {
            guard v == v.rounded() else { throw ConfigurationError("WEBHOOK_CONCURRENCY must be a whole number, got \(env["WEBHOOK_CONCURRENCY"]!)") }
            s.concurrency = Int(v)
        }
        if let v = try number("WEBHOOK_POLL_SECONDS", 0.01...60, "seconds") { s.pollInterval = v }
        guard s.retry.maximumDelay >= s.retry.baseDelay else {
            throw ConfigurationError("WEBHOOK_RETRY_MAX_SECONDS (\(s.retry.maximumDelay)) must not be below WEBHOOK_RETRY_BASE_SECONDS (\(s.retry.baseDelay))")
        }
        return s
    }
}
