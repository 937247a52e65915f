import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Storage

/// Prunes what only needs keeping for a while: stored idempotent answers past their retention,
/// rate-limit windows long over, console sessions and reset links that have ended, API tokens
/// ended a month ago, and webhook events delivered longer ago than their retention, with their
/// attempts; and folds the census's change rows into its kept counts. Runs inside `cordon serve` every `interval`, and once from `cordon maintenance run`;
/// an advisory lock lets one instance at a time do it when several share a database. Never
/// touches the audit trail, the ledger or the security log.
public struct Housekeeping: Service {
    let database: Database
    let interval: TimeInterval
    /// Console sessions idle for longer than this are removed.
    let consoleIdle: TimeInterval
    /// Delivered webhook events older than this are removed (`WEBHOOK_RETENTION_DAYS`).
    let webhookRetention: TimeInterval
    /// Tokens that ended (expired or revoked) this long ago are removed; until then `cordon token
    /// list` still shows them.
    static let endedTokenGrace: TimeInterval = 30 * 86_400

    public init(
        database: Database, interval: TimeInterval = 600, consoleIdle: TimeInterval = 1800,
        webhookRetention: TimeInterval = 30 * 86_400
    ) {
        self.database = database
        self.interval = interval
        self.consoleIdle = consoleIdle
        self.webhookRetention = webhookRetention
    }

    /// What one run removed.
    public struct Removed: Sendable, Equatable {
        public var idempotencyKeys = 0
        public var rateLimitWindows = 0
        public var consoleSessions = 0
        public var passwordResets = 0
        public var apiTokens = 0
        public var webhookEvents = 0
        public var webhookAttempts = 0
        /// Census change rows folded into the kept counts (not removed information).
        public var censusChanges = 0

        /// Each count by the name of what was removed (`webhook_events`), for the log, the
        /// metrics and `cordon maintenance run`.
        public var byKind: [(kind: String, count: Int)] {
            [
                ("idempotency_keys", idempotencyKeys), ("rate_limit_windows", rateLimitWindows),
                ("console_sessions", consoleSessions), ("password_resets", passwordResets),
                ("api_tokens", apiTokens), ("webhook_events", webhookEvents), ("webhook_attempts", webhookAttempts),
                ("census_changes", censusChanges),
            ]
        }

        /// Adds the counts to `cordon_housekeeping_removed_total{kind}`.
        func count() {
            for (kind, removed) in byKind {
                Counter(label: "cordon_housekeeping_removed_total", dimensions: [("kind", kind)])
                    .increment(by: Int64(removed))
            }
        }

        /// The counts as log metadata, one `KIND_removed` field each.
        public var metadata: Logger.Metadata {
            Dictionary(uniqueKeysWithValues: byKind.map { ("\($0.kind)_removed", .stringConvertible($0.count)) })
        }
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                if let removed = try await runOnce() {
                    database.logger.info("housekeeping", metadata: removed.metadata)
                    removed.count()
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
            removed.passwordResets = try await tx.consoleSessions.pruneResets()
            removed.apiTokens = try await tx.access.pruneEndedTokens(olderThan: Self.endedTokenGrace)
            (removed.webhookEvents, removed.webhookAttempts) = try await tx.webhooks.pruneDelivered(
                olderThan: webhookRetention)
            removed.censusChanges = try await tx.census.foldCounts()
            return removed
        }
    }
}
