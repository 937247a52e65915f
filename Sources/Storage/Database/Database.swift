import Crypto
import Domain
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

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
        [
            ("statement_timeout", "\(Int(statementSeconds * 1000))"),
            ("idle_in_transaction_session_timeout", "\(Int(callSeconds * 1000))"),
        ]
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
public struct Database: Service, Sendable {
    let client: PostgresClient
    public let logger: Logger
    /// How long the first answer to an `Idempotency-Key` is kept (`IDEMPOTENCY_KEY_HOURS`).
    public let idempotencyRetention: TimeInterval
    public let limits: DatabaseLimits

    public init(
        client: PostgresClient, logger: Logger, idempotencyRetention: TimeInterval = 24 * 3600,
        limits: DatabaseLimits = DatabaseLimits()
    ) {
        self.client = client
        self.logger = logger.forDatabaseDriver
        self.idempotencyRetention = idempotencyRetention
        self.limits = limits
    }

    /// A pool of up to `poolSize` connections to `url`; run it (`run()`, as a lifecycle
    /// service) before use.
    public init(
        url: String, poolSize: Int, limits: DatabaseLimits = DatabaseLimits(),
        idempotencyRetention: TimeInterval = 24 * 3600,
        logger: Logger
    ) throws {
        let configuration = try DatabaseConfiguration(url: url).clientConfiguration(
            maximumConnections: poolSize, limits: limits)
        self.init(
            client: PostgresClient(configuration: configuration, backgroundLogger: logger.forDatabaseDriver),
            logger: logger,
            idempotencyRetention: idempotencyRetention, limits: limits)
    }

    /// Runs the connection pool until cancelled.
    public func run() async {
        await client.run()
    }

    /// The migrator over this pool, with the migrations of this build.
    public func migrator() throws -> Migrator {
        Migrator(client: client, migrations: try Migration.bundled(), logger: logger)
    }

    /// Grants the application role row access (after migrating, as the schema's owner).
    public func grantRowAccess(to role: String) async throws -> RowAccess.Outcome {
        try await client.withConnection { try await RowAccess.grant(to: role, on: $0, logger: logger) }
    }

    /// Why the connected role is more powerful than the application should be, or nil.
    public func excessPower() async throws -> String? {
        try await client.withConnection { try await RowAccess.excessPower(on: $0, logger: logger) }
    }

    /// How long a use of the database may take.
    public enum Work: Sendable {
        /// A request's work: `DATABASE_TIMEOUT_SECONDS`.
        case request
        /// Known long work (imports, the seed): `bulkSeconds`, statements included.
        case bulk
    }

    /// Runs `body` in one transaction for `actor` within the deadline of `work`; a thrown error
    /// rolls it back, the audit entries `body` recorded with it.
    public func transaction<T: Sendable>(
        _ actor: Actor, _ work: Work = .request,
        _ body: @escaping @Sendable (Transaction) async throws -> T
    ) async throws -> T {
        let phase = TransactionPhase()
        let use = PoolUse(work == .bulk ? "bulk" : "transaction")
        defer { use.finished() }
        do {
            return try await withDeadline(seconds: deadline(work), "the database") {
                try await client.withTransaction(logger: logger) { connection in
                    use.acquired()
                    guard phase.begin() else { throw TransactionAbandoned() }
                    if work == .bulk {
                        try await connection.query(
                            "SELECT set_config('statement_timeout', \(String(Int(limits.bulkSeconds * 1000))), true)",
                            logger: logger)
                    }
                    let value = try await body(Transaction(connection, logger: logger, actor: actor))
                    // Past the deadline the caller was told nothing was written: keep it true.
                    guard phase.commit() else { throw TransactionAbandoned() }
                    return value
                }
            }
        } catch let error as DeadlineExceeded {
            throw phase.abandon() == .committing
                ? DomainError.outcomeUnknown(
                    "the connection went quiet while the change was being committed (\(error))")
                : DomainError.unavailable("\(error)")
        } catch {
            throw DatabaseErrorMapper.map(error)
        }
    }

    /// A create that is safe to retry: `body` runs in a transaction unless `idempotency`'s key
    /// was used before by this actor for this operation, in which case the first answer comes
    /// back and nothing is written. The key is claimed in the same transaction as the write.
    public func transaction<Value: Codable & Sendable>(
        _ actor: Actor, idempotency: IdempotentRequest?, _ body: @escaping @Sendable (Transaction) async throws -> Value
    ) async throws -> Created<Value> {
        guard let idempotency else {
            return Created(value: try await transaction(actor, .request, body), replayed: false)
        }
        let scope = "\(actor.userId.map(String.init) ?? actor.username):\(idempotency.operation)"
        let retention = idempotencyRetention
        return try await transaction(actor) { tx in
            if try await tx.idempotency.claim(
                scope: scope, key: idempotency.key.value, fingerprint: idempotency.fingerprint, retention: retention)
            {
                let value = try await body(tx)
                try await tx.idempotency.complete(
                    scope: scope, key: idempotency.key.value, response: try AuditJSON.encode(value))
                return Created(value: value, replayed: false)
            }
            guard let stored = try await tx.idempotency.stored(scope: scope, key: idempotency.key.value) else {
                throw DomainError.conflict("the Idempotency-Key is in use by a request still running; retry shortly")
            }
            guard stored.fingerprint == idempotency.fingerprint else {
                throw DomainError.invalid(
                    "Idempotency-Key", "was already used for a different request; use a new key for a new request")
            }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return Created(value: try decoder.decode(Value.self, from: Data(stored.response.utf8)), replayed: true)
        }
    }

    /// Runs `body`, one statement that writes, on a pooled connection without a transaction
    /// around it: a single statement is atomic by itself, and this saves two round trips.
    public func statement<T: Sendable>(_ actor: Actor, _ body: @escaping @Sendable (Transaction) async throws -> T)
        async throws -> T
    {
        try await read(actor, body)
    }

    /// Runs read-only `body` on a pooled connection, within the request deadline.
    public func read<T: Sendable>(_ actor: Actor, _ body: @escaping @Sendable (Transaction) async throws -> T)
        async throws -> T
    {
        let use = PoolUse("read")
        defer { use.finished() }
        do {
            return try await withDeadline(seconds: limits.callSeconds, "the database") {
                try await client.withConnection { connection in
                    use.acquired()
                    return try await body(Transaction(connection, logger: logger, actor: actor))
                }
            }
        } catch let error as DeadlineExceeded {
            throw DomainError.unavailable("\(error)")
        } catch {
            throw DatabaseErrorMapper.map(error)
        }
    }

    /// Runs read-only `body` in one repeatable-read snapshot: everything it reads is of the same
    /// moment, however many statements it takes.
    public func snapshot<T: Sendable>(_ actor: Actor, _ body: @escaping @Sendable (Transaction) async throws -> T)
        async throws -> T
    {
        try await transaction(actor) { tx in
            try await tx.beginSnapshot()
            return try await body(tx)
        }
    }

    /// Keeps a connection listening on `channel`, calling `heard` on every notification (and once
    /// when listening starts, for anything sent before); returns when the connection is lost.
    public func listen(on channel: String, _ heard: @escaping @Sendable () -> Void) async throws {
        try await client.withConnection { connection in
            try await connection.listen(on: channel) { notifications in
                heard()
                for try await _ in notifications { heard() }
            }
        }
    }

    func deadline(_ work: Work) -> Double {
        switch work {
        case .request: limits.callSeconds
        case .bulk: limits.bulkSeconds + limits.callSeconds
        }
    }
}

/// A create's idempotency: the client's key, the operation and the request it was used for.
public struct IdempotentRequest: Sendable {
    public let key: IdempotencyKey
    public let operation: String
    /// SHA-256 of the request as JSON: the same key with another request is refused.
    public let fingerprint: String

    /// With no key there is nothing to remember: nil.
    public init?<Request: Encodable>(_ key: IdempotencyKey?, operation: String, request: Request) throws {
        guard let key else { return nil }
        self.key = key
        self.operation = operation
        self.fingerprint = SHA256.hash(data: Data(try AuditJSON.encode(request).utf8)).hexString
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
