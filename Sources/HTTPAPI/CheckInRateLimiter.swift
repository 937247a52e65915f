import Crypto
import Domain
import Foundation

/// Limits check-in attempts per code and client address: a fixed window of `limit` attempts.
/// The check-in endpoint takes no bearer token, so this is what stops a guessing script.
/// In memory, per process: a restart forgives everyone, which is acceptable for a poster code.
actor CheckInRateLimiter {
    let limit: Int
    let window: TimeInterval
    private var windows: [String: (start: Date, count: Int)] = [:]

    init(limit: Int = 10, window: TimeInterval = 600) {
        self.limit = limit
        self.window = window
    }

    /// Counts an attempt; throws `TooManyCheckIns` with the seconds to wait once over the limit.
    func admit(code: String, address: String, now: Date = Date()) throws {
        let key = SHA256.hash(data: Data(code.utf8)).hexString.prefix(32) + "|" + address
        if windows.count > 10_000 { windows = windows.filter { now.timeIntervalSince($0.value.start) < window } }
        var entry = windows[String(key)] ?? (now, 0)
        if now.timeIntervalSince(entry.start) >= window { entry = (now, 0) }
        entry.count += 1
        windows[String(key)] = entry
        if entry.count > limit {
            throw TooManyCheckIns(retryAfter: Int((window - now.timeIntervalSince(entry.start)).rounded(.up)))
        }
    }
}

/// Over the check-in rate limit; answered 429 with `Retry-After`.
struct TooManyCheckIns: Error {
    var retryAfter: Int
}
