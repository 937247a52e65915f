import Foundation

/// Exponential backoff between delivery attempts, then the dead letter. Configuration
/// (`WEBHOOK_RETRY_BASE_SECONDS`, `WEBHOOK_RETRY_MAX_SECONDS`, `WEBHOOK_MAX_ATTEMPTS`), not code.
public struct WebhookRetryPolicy: Sendable, Equatable {
    /// The wait after the first failed attempt; each later wait doubles.
    public var baseDelay: TimeInterval
    /// No wait is longer than this.
    public var maximumDelay: TimeInterval
    /// Attempts in one round before the event is dead-lettered.
    public var maximumAttempts: Int

    public init(baseDelay: TimeInterval = 30, maximumDelay: TimeInterval = 3_600, maximumAttempts: Int = 12) {
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.maximumAttempts = maximumAttempts
    }

    /// The wait before the next attempt after attempt `n` (1-based, within the round) failed;
    /// nil when `n` was the last and the event goes to the dead letter.
    public func delay(afterFailedAttempt n: Int) -> TimeInterval? {
        guard n < maximumAttempts else { return nil }
        return min(baseDelay * pow(2, Double(max(n - 1, 0))), maximumDelay)
    }

    /// How long a round lasts before the dead letter if every attempt fails (waits only).
    public var totalWait: TimeInterval {
        (1..<max(maximumAttempts, 1)).reduce(0) { $0 + (delay(afterFailedAttempt: $1) ?? 0) }
    }
}
