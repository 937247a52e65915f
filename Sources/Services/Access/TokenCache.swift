import Foundation
import Logging
import ServiceLifecycle
import Storage
import Synchronization

/// Users behind bearer tokens, remembered for a short while so that a request does not look its
/// token up again. It is used only while `AccessChangeListener` is listening: every change to
/// tokens, grants or users NOTIFYs `cordon_access` (triggers in SQL/0016), and every replica's
/// listener empties its cache at once. When the listener is not connected, nothing is cached.
public final class TokenCache: Sendable {
    struct Entry {
        var user: UserRecord
        var tokenExpiresAt: Date?
        var cachedAt: ContinuousClock.Instant
    }

    struct State {
        var listening = false
        var entries: [String: Entry] = [:]
        /// Bumped at every change, so a lookup that raced a change is not remembered.
        var generation = 0
    }

    private let state = Mutex(State())
    /// How long an entry is trusted even without a notification (a notification lost on the way).
    let lifetime: Duration
    /// The most entries kept; when full, the cache starts again empty.
    let capacity: Int

    public init(lifetime: Duration = .seconds(60), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The remembered user behind `tokenHash`, if still good.
    func user(tokenHash: String, now: Date = Date()) -> UserRecord? {
        state.withLock { state in
            guard state.listening, let entry = state.entries[tokenHash] else { return nil }
            if ContinuousClock.now - entry.cachedAt > lifetime || entry.tokenExpiresAt.map({ $0 <= now }) == true {
                state.entries[tokenHash] = nil
                return nil
            }
            return entry.user
        }
    }

    /// Remembers a lookup made while listening; `since` is when the lookup started, so a change
    /// notified while it ran is not overwritten by what it read before.
    func remember(_ user: UserRecord, tokenExpiresAt: Date?, tokenHash: String, since generation: Int) {
        state.withLock { state in
            guard state.listening, generation == state.generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll() }
            state.entries[tokenHash] = Entry(user: user, tokenExpiresAt: tokenExpiresAt, cachedAt: .now)
        }
    }

    /// The current generation, taken before a lookup.
    var currentGeneration: Int { state.withLock { $0.generation } }

    /// Forgets everything: something changed, or may have. `listening` says whether a listener
    /// will hear the next change, and so whether to remember lookups from now on.
    func reset(listening: Bool) {
        state.withLock { state in
            state.generation += 1
            state.listening = listening
            state.entries.removeAll()
        }
    }

    /// How many users are remembered (for tests).
    public var count: Int { state.withLock { $0.entries.count } }
}

/// Inside `cordon serve`: holds one connection listening on `cordon_access` and empties the
/// token cache at every notification. A lost connection turns the cache off until listening
/// again, so a revoked token is never served from it.
public struct AccessChangeListener: Service {
    let database: Database
    let cache: TokenCache
    let logger: Logger

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // Heard once when listening starts, then at every change.
                try await cancelWhenGracefulShutdown {
                    try await database.listen(on: "cordon_access") { cache.reset(listening: true) }
                }
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { break }
                logger.warning(
                    "not listening for access changes; tokens are looked up every time until it is again",
                    metadata: ["error_type": "\(type(of: error))"])
            }
            cache.reset(listening: false)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(2)) }
        }
        cache.reset(listening: false)
    }
}
