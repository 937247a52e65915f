import Foundation
import Logging
import Domain
import PostgresNIO

/// How long the database may take: every wait on it has a deadline.
public struct DatabaseLimits: Sendable, Equatable {
    /// The longest one use of the database may take, waiting for a connection included
    /// (`DATABASE_TIMEOUT_SECONDS`); past it the caller gets `unavailable` (503).
    public var callSeconds: Double
    /// The longest one statement may run on the server (`DATABASE_STATEMENT_TIMEOUT_SECONDS`),
    /// set on every session, so the server gives up first and a lock wait ends in an answer.
    public var statementSeconds: Double
    /// Work that is known to be long (a roster import, the demo seed) may take this long instead.
    public var bulkSeconds: Double

    public init(callSeconds: Double = 10, statementSeconds: Double = 5, bulkSeconds: Double = 120) {
        self.callSeconds = callSeconds
        self.statementSeconds = statementSeconds
        self.bulkSeconds = bulkSeconds
    }

    /// The session settings every pooled connection starts with: the statement limit, and an
    /// idle-in-transaction limit so a transaction whose client vanished releases its locks.
    public var startupParameters: [(String, String)] {
        [("statement_timeout", "\(Int(statementSeconds * 1000))"),
         ("idle_in_transaction_session_timeout", "\(Int(callSeconds * 1000))")]
    }
}

/// The connection pool and the one way this codebase runs SQL: in a transaction or a read,
/// each within a deadline, with database errors translated into `DomainError` on the way out.
///
/// A call that passes its deadline answers at once, whatever the connection does: PostgresNIO
/// can leave a query unanswered for ever when its connection dies at the wrong moment, and a
/// request must not wait with it. A transaction whose deadline passed before COMMIT is rolled
/// back if it ever gets that far, so "nothing was written" is then true; one whose COMMIT was
/// already on its way is reported as of unknown outcome.
public struct Database: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    /// How long the first answer to an `Idempotency-Key` is kept (`IDEMPOTENCY_KEY_HOURS`).
    public let idempotencyRetention: TimeInterval
    public let limits: DatabaseLimits

    public init(client: PostgresClient, logger: Logger, idempotencyRetention: TimeInterval = 24 * 3600,
                limits: DatabaseLimits = DatabaseLimits()) {
        self.client = client
        self.logger = logger.forDatabaseDriver
        self.idempotencyRetention = idempotencyRetention
        self.limits = limits
    }

    /// How long a use of the database may take.
    public enum Work: Sendable {
        /// A request's work: `DATABASE_TIMEOUT_SECONDS`.
        case request
        /// Known long work (imports, the seed): `bulkSeconds`, statements included.
        case bulk
    }

    /// Runs `body` in one transaction within the deadline of `work`; a thrown error rolls it back.
    public func transaction<T: Sendable>(_ work: Work = .request,
                                         _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let phase = TransactionPhase()
        let (seconds, logger, client, limits) = (deadline(work), logger, client, limits)
        do {
            return try await withDeadline(seconds: seconds, "the database") {
                try await client.withTransaction(logger: logger) { connection in
                    guard phase.begin() else { throw TransactionAbandoned() }
                    if work == .bulk {
                        try await connection.query("SELECT set_config('statement_timeout', \(String(Int(limits.bulkSeconds * 1000))), true)",
                                                   logger: logger)
                    }
                    let value = try await body(connection)
                    // Past the deadline the caller was told nothing was written: keep it true.
                    guard phase.commit() else { throw TransactionAbandoned() }
                    return value
                }
            }
        } catch let error as DeadlineExceeded {
            throw phase.abandon() == .committing
                ? DomainError.outcomeUnknown("the connection went quiet while the change was being committed (\(error))")
                : DomainError.unavailable("\(error)")
        } catch {
            throw DatabaseErrorMapper.map(error)
        }
    }

    /// Runs `body`, one statement that writes, on a pooled connection without a transaction
    /// around it: a single statement is atomic by itself, and this saves two round trips.
    public func statement<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await read(body)
    }

    /// Runs read-only `body` on a pooled connection, within the request deadline.
    public func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let client = client
        do {
            return try await withDeadline(seconds: limits.callSeconds, "the database") {
                try await client.withConnection { connection in try await body(connection) }
            }
        } catch let error as DeadlineExceeded {
            throw DomainError.unavailable("\(error)")
        } catch {
            throw DatabaseErrorMapper.map(error)
        }
    }

    func deadline(_ work: Work) -> Double {
        switch work {
        case .request: limits.callSeconds
        case .bulk: limits.bulkSeconds + limits.callSeconds
        }
    }
}

/// Thrown inside a transaction whose caller has been answered already, to roll it back.
struct TransactionAbandoned: Error {}

/// Where a transaction stands, shared between it and the deadline that may abandon it.
final class TransactionPhase: @unchecked Sendable {
    enum State { case waiting, running, committing, abandoned }
    private let lock = NSLock()
    private var state = State.waiting

    /// The transaction starts, unless it was abandoned while it waited for a connection.
    func begin() -> Bool { move(from: .waiting, to: .running) }
    /// COMMIT goes out, unless the transaction was abandoned meanwhile.
    func commit() -> Bool { move(from: .running, to: .committing) }
    /// The deadline passed: returns where the transaction was.
    func abandon() -> State {
        lock.withLock {
            let was = state
            if state != .committing { state = .abandoned }
            return was
        }
    }

    private func move(from: State, to: State) -> Bool {
        lock.withLock {
            guard state == from else { return false }
            state = to
            return true
        }
    }
}

extension Logger {
    /// This logger for the database driver: never below `debug`, because at `trace` PostgresNIO
    /// logs every message it exchanges with the server, rows and parameters included.
    public var forDatabaseDriver: Logger {
        var copy = self
        copy.logLevel = Swift.max(logLevel, .debug)
        return copy
    }
}
