import Domain
import Foundation
import Storage

/// Counts attempts per bucket (a check-in code and an address, a user name) in PostgreSQL, so
/// every replica shares the count and no process holds it in memory.
public struct RateLimiter: Sendable {
    let database: Database

    /// Who a per-address limit counts: the client's address, "unknown" when a request has
    /// none, "local" for the CLI.
    static func address(of origin: Origin) -> String {
        if case .http(_, let from) = origin { return from ?? "unknown" }
        return "local"
    }

    /// Counts an attempt in `bucket`; past `limit` in `window` seconds it throws
    /// `tooManyAttempts` with the seconds left in the window.
    func admit(bucket: String, limit: Int, window: TimeInterval, what: String) async throws {
        let (hits, secondsLeft) = try await database.statement(.system("rate-limiter")) { tx in
            try await tx.rateLimits.hit(bucket: bucket, window: window)
        }
        if hits > limit { throw DomainError.tooManyAttempts(what, retryAfter: max(1, Int(secondsLeft.rounded(.up)))) }
    }

    /// Throws `tooManyAttempts` when `bucket` already holds `limit` hits in its window, without
    /// counting one: for limits counted on an outcome (a refusal) but enforced on every try.
    func refuseIfSpent(bucket: String, limit: Int, window: TimeInterval, what: String) async throws {
        let hits = try await database.statement(.system("rate-limiter")) { tx in
            try await tx.rateLimits.hits(bucket: bucket, window: window)
        }
        if hits >= limit { throw DomainError.tooManyAttempts(what, retryAfter: Int(window)) }
    }
}
