import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Prunes what only needs keeping for a while: stored idempotent answers past their retention
/// rate-limit windows long over, and console sessions that have ended. Runs inside `cordon serve` every `interval`; an advisory
/// lock lets one instance at a time do it when several share a database. Never touches the
/// audit trail, the ledger or the security log.
public struct Housekeeping: Service {
    let database: Database
    let interval: TimeInterval
    /// Console sessions idle for longer than this are removed.
    let consoleIdle: TimeInterval

    public init(database: Database, interval: TimeInterval = 600, consoleIdle: TimeInterval = 1800) {
        self.database = database
        self.interval = interval
        self.consoleIdle = consoleIdle
    }

    /// What one run removed.
    public struct Removed: Sendable, Equatable {
        public var idempotencyKeys = 0
        public var rateLimitWindows = 0
        public var consoleSessions = 0
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                if let removed = try await runOnce() {
                    database.logger.info(
                        "housekeeping",
                        metadata: [
                            "idempotency_keys_removed": "\(removed.idempotencyKeys)",
                            "rate_limit_windows_removed": "\(removed.rateLimitWindows)",
                            "console_sessions_removed": "\(removed.consoleSessions)",
                        ])
                }
            } catch {
                if Task.isCancelled { return }
                database.logger.warning(
                    "housekeeping did not run; it tries again later", metadata: ["error_type": "\(type(of: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
        }
    }

    /// One pass, unless another instance holds the lock (then nil).
    public func runOnce() async throws -> Removed? {
        try await database.transaction(.system("housekeeping")) { tx in
            guard try await tx.tryLock("housekeeping") else { return nil }
            var removed = Removed()
            removed.idempotencyKeys = try await tx.idempotency.prune(olderThan: database.idempotencyRetention)
            removed.rateLimitWindows = try await tx.rateLimits.prune(olderThan: 86_400)
            removed.consoleSessions = try await tx.consoleSessions.pruneSessions(idle: consoleIdle)
            return removed
        }
    }
}
