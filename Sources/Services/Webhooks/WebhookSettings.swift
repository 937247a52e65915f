import Domain
import Foundation

/// How webhook events are delivered (`WEBHOOK_*`).
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
    public var lease: TimeInterval { attemptLimit * Double(claimBatch / concurrency) + leaseMargin }
    /// The longest one attempt takes, all in: the address check, the client's `timeout`, and a
    /// second more to end an answer that never finishes.
    public var attemptLimit: TimeInterval { timeout + 1 }
    /// Deliveries in flight at once (`WEBHOOK_CONCURRENCY`).
    public var concurrency: Int
    /// The longest the dispatcher sleeps between looks at the outbox when no notification
    /// wakes it (`WEBHOOK_POLL_SECONDS`).
    public var pollInterval: TimeInterval
    /// Whether endpoints may be on loopback, private or link-local addresses, and plain http
    /// there (`WEBHOOK_ALLOW_PRIVATE_NETWORKS`): for a lab and the tests, never a real site.
    public var allowPrivateNetworks = false
    /// How long a delivered event is kept (`WEBHOOK_RETENTION_DAYS`); housekeeping removes it after.
    public var retention: TimeInterval = 30 * 86_400

    public init(
        retry: WebhookRetryPolicy = WebhookRetryPolicy(), timeout: TimeInterval = 10, concurrency: Int = 8,
        pollInterval: TimeInterval = 30
    ) {
        self.retry = retry
        self.timeout = timeout
        self.concurrency = concurrency
        self.pollInterval = pollInterval
    }
}
