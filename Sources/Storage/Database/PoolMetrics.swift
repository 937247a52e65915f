import Foundation
import Metrics

/// The database pool as Prometheus sees it: callers waiting for a connection, connections in
/// use, how long getting one took, how long each use of the database took by kind, and the
/// conflicts PostgreSQL resolved by aborting a transaction.
enum PoolMetrics {
    static let waiting = Meter(label: "cordon_db_callers_waiting")
    static let inUse = Meter(label: "cordon_db_connections_in_use")
    static let acquisition = Timer(label: "cordon_db_acquire_seconds")

    static func conflict(_ kind: String) {
        Counter(label: "cordon_db_conflicts_total", dimensions: [("kind", kind)]).increment()
    }
}

/// One use of the pool, from the call to the connection's return. `acquired()` is called when
/// the connection is handed over; `finished()` once, whatever happened.
final class PoolUse: @unchecked Sendable {
    private let lock = NSLock()
    private let kind: String
    private let started = ContinuousClock.now
    private var gotConnection = false

    init(_ kind: String) {
        self.kind = kind
        PoolMetrics.waiting.increment()
    }

    func acquired() {
        let first = lock.withLock {
            defer { gotConnection = true }
            return !gotConnection
        }
        guard first else { return }
        PoolMetrics.waiting.decrement()
        PoolMetrics.inUse.increment()
        PoolMetrics.acquisition.record(duration: ContinuousClock.now - started)
    }

    func finished() {
        if lock.withLock({ gotConnection }) {
            PoolMetrics.inUse.decrement()
        } else {
            PoolMetrics.waiting.decrement()
        }
        Timer(label: "cordon_db_use_seconds", dimensions: [("kind", kind)]).record(
            duration: ContinuousClock.now - started)
    }
}
