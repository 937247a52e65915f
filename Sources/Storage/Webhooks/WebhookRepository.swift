import Domain
import Foundation
import Logging
import PostgresNIO
import Tracing

/// The webhook outbox and its delivery attempts in SQL.
public struct WebhookRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    /// The channel a new or retried event is announced on (see `0007_webhook_outbox.sql`).
    public static let channel = "cordon_webhook_events"

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Writes an event for the referral's hospital when it has a webhook endpoint. Call it in
    /// the transaction that made the change.
    public func enqueue(_ payload: WebhookPayload) async throws {
        let body = try payload.encoded()
        let r = payload.referral
        // The trace of the change writing the event, if one is being recorded.
        var trace: [String: String] = [:]
        if let context = ServiceContext.current {
            InstrumentationSystem.instrument.inject(context, into: &trace, using: DictionaryInjector())
        }
        try await connection.query(
            """
            INSERT INTO webhook_events (site_id, id, hospital_id, referral_id, type, body, created_at, trace_context)
            SELECT \(r.siteId), \(payload.id), id, \(r.id), \(payload.type.rawValue), \(body), \(payload.occurredAt),
                   \(trace["traceparent"])
            FROM hospitals WHERE id = \(r.hospitalId) AND webhook_url IS NOT NULL
            """, logger: logger)
    }

    /// Claims up to `limit` due events, each the earliest pending one of its referral, so that
    /// a referral's events go out in order. The claim counts the attempt and holds the event
    /// for `lease` seconds: should the dispatcher die, the event becomes due again then.
    public func claimDue(limit: Int, lease: TimeInterval) async throws -> [WebhookDelivery] {
        var out: [WebhookDelivery] = []
        for try await r in try await connection.execute(ClaimDueStatement(limit: limit, lease: lease), logger: logger) {
            out.append(
                WebhookDelivery(
                    eventId: r.0, siteId: r.1, type: r.2, body: r.3, attempt: r.4,
                    attemptInRound: r.5, url: r.6, secret: r.7, hospitalCode: r.8, traceContext: r.9))
        }
        return out
    }

    /// Seconds until an event may next be sent (0 if one may go now), or nil when none waits.
    /// Only the earliest pending event of each referral may go (its events keep their order),
    /// so a later event that is due behind one waiting for its retry is not counted: the
    /// dispatcher sleeps until the retry instead of looking again at once.
    public func secondsUntilNextSendable() async throws -> Double? {
        for try await s in try await connection.execute(NextSendableStatement(), logger: logger) { return s }
        return nil
    }

    /// Records attempts and moves each event on: delivered, due again after its `retryAfter`
    /// seconds, or dead when `retryAfter` is nil. A dispatcher whose lease ran out (another
    /// one claimed the event since) records its attempt but leaves the event alone. One
    /// prepared statement for the lot: atomic without a transaction, planned once per connection.
    public func record(_ attempts: [WebhookAttemptRecord]) async throws {
        guard !attempts.isEmpty else { return }
        // Rows in key order, so that two dispatchers recording at once lock events in one order.
        let sorted = attempts.sorted {
            ($0.delivery.siteId, $0.delivery.eventId.uuidString) < ($1.delivery.siteId, $1.delivery.eventId.uuidString)
        }
        for try await _ in try await connection.execute(RecordAttemptsStatement(sorted), logger: logger) {}
    }

    static let columns = """
        e.id, e.seq, e.hospital_id, h.code, e.site_id, e.referral_id, e.type, e.status, e.attempts, e.next_attempt_at,
        e.last_status_code, e.last_error, e.created_at, e.delivered_at
        """

    /// Events by sequence, filtered by status and hospital, a page after `afterSequence`.
    public func events(status: WebhookDeliveryStatus?, hospitalId: Hospital.ID?, page: PageRequest) async throws
        -> [WebhookEvent]
    {
        try await events(
            connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM webhook_events e JOIN hospitals h ON h.id = e.hospital_id
                WHERE (\(status?.rawValue)::text IS NULL OR e.status = \(status?.rawValue)::text)
                  AND (\(hospitalId)::bigint IS NULL OR e.hospital_id = \(hospitalId)::bigint)
                  AND (\(page.afterId)::bigint IS NULL OR e.seq > \(page.afterId)::bigint)
                ORDER BY e.seq LIMIT \(page.limit + 1)
                """, logger: logger))
    }

    /// One event by id; with `lock`, locked until the transaction ends.
    public func event(id: UUID, lock: Bool = false) async throws -> WebhookEvent? {
        try await events(
            connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM webhook_events e JOIN hospitals h ON h.id = e.hospital_id WHERE
                    e.id = \(id)
                \(unescaped: lock ? "FOR UPDATE OF e" : "")
                """, logger: logger)
        ).first
    }

    /// Starts a new round of attempts for a dead or delivered event, due now.
    /// Removes events delivered before `retention` ago, with their attempts; pending and dead
    /// events stay whatever their age. Returns how many events and attempts went. Two
    /// statements with one cutoff, attempts first: an attempt may go only while its event is
    /// there and delivered.
    public func pruneDelivered(olderThan retention: TimeInterval) async throws -> (events: Int, attempts: Int) {
        let cutoff = Date().addingTimeInterval(-retention)
        let attempts = try await connection.single(
            """
            WITH gone AS (
                DELETE FROM webhook_attempts a USING webhook_events e
                WHERE a.site_id = e.site_id AND a.event_id = e.id AND e.status = 'delivered' AND e.delivered_at < \(cutoff)
                RETURNING 1)
            SELECT count(*)::int FROM gone
            """, as: Int.self, logger: logger)
        let events = try await connection.single(
            """
            WITH gone AS (DELETE FROM webhook_events WHERE status = 'delivered' AND delivered_at < \(cutoff) RETURNING 1)
            SELECT count(*)::int FROM gone
            """, as: Int.self, logger: logger)
        return (events, attempts)
    }

    public func restart(siteId: Site.ID, id: UUID) async throws {
        try await connection.query(
            """
            UPDATE webhook_events SET status = 'pending', round_start = attempts, next_attempt_at = now(), delivered_at
                = NULL
            WHERE site_id = \(siteId) AND id = \(id) AND status <> 'pending'
            """, logger: logger)
    }

    private func events(_ rows: PostgresRowSequence) async throws -> [WebhookEvent] {
        var out: [WebhookEvent] = []
        for try await r in rows.decode(
            (
                UUID, Int64, Hospital.ID, String, Site.ID, Referral.ID, WebhookEventType, WebhookDeliveryStatus, Int,
                Date, Int?, String?, Date, Date?
            ).self)
        {
            let status = r.7
            out.append(
                WebhookEvent(
                    id: r.0, sequence: r.1, hospitalId: r.2, hospitalCode: r.3, siteId: r.4, referralId: r.5,
                    type: r.6, status: status, attempts: r.8,
                    nextAttemptAt: status == .pending ? r.9 : nil, lastStatusCode: r.10, lastError: r.11,
                    createdAt: r.12,
                    deliveredAt: r.13))
        }
        return out
    }
}

/// Claims due events (see `WebhookRepository.claimDue`), prepared: the dispatcher runs it for
/// every batch.
struct ClaimDueStatement: PostgresPreparedStatement {
    static let sql = """
        WITH due AS (
            SELECT e.site_id, e.id FROM webhook_events e
            WHERE e.status = 'pending' AND e.next_attempt_at <= now()
              AND NOT EXISTS (SELECT 1 FROM webhook_events earlier
                              WHERE earlier.site_id = e.site_id AND earlier.referral_id = e.referral_id
                                AND earlier.status = 'pending' AND earlier.seq < e.seq)
            ORDER BY e.next_attempt_at, e.seq
            LIMIT $1
            FOR UPDATE OF e SKIP LOCKED
        )
        UPDATE webhook_events e SET attempts = e.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
        FROM due JOIN hospitals h ON true
        WHERE e.site_id = due.site_id AND e.id = due.id AND h.id = e.hospital_id
        RETURNING e.id, e.site_id, e.type, e.body, e.attempts, e.attempts - e.round_start, h.webhook_url,
            h.webhook_secret, h.code, e.trace_context
        """
    typealias Row = (UUID, Site.ID, WebhookEventType, String, Int, Int, String?, String?, String, String?)
    var limit: Int
    var lease: TimeInterval

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(Int64(limit))
        bindings.append(lease)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// Seconds until the next sendable event (see `WebhookRepository.secondsUntilNextSendable`).
struct NextSendableStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT CASE WHEN min(next_attempt_at) IS NULL THEN NULL  -- greatest() would turn "none" into 0
                    ELSE extract(epoch FROM greatest(min(next_attempt_at) - now(), interval '0'))::float8 END
        FROM (SELECT DISTINCT ON (site_id, referral_id) next_attempt_at FROM webhook_events
              WHERE status = 'pending' ORDER BY site_id, referral_id, seq) AS heads
        """
    typealias Row = Double?

    func makeBindings() throws -> PostgresBindings { PostgresBindings() }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// Each attempt's line in `webhook_attempts` and its event's new state, for many attempts in
/// one statement. Arrays cannot carry NULL here, so a missing status code is 0 and a missing
/// error is empty.
struct RecordAttemptsStatement: PostgresPreparedStatement {
    static let sql = """
        WITH result AS (
            SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::int[], $4::timestamptz[], $5::int[], $6::text[],
                                 $7::text[], $8::float8[])
                AS r(site_id, event_id, attempt, started_at, status_code, error, status, retry_after)
        ), attempt AS (
            INSERT INTO webhook_attempts (site_id, event_id, attempt, started_at, status_code, error)
            SELECT site_id, event_id, attempt, started_at, NULLIF(status_code, 0), NULLIF(error, '') FROM result
            ON CONFLICT DO NOTHING
        )
        UPDATE webhook_events e SET status = r.status, last_status_code = NULLIF(r.status_code, 0),
            last_error = NULLIF(r.error, ''), delivered_at = CASE WHEN r.status = 'delivered' THEN now() END,
            next_attempt_at = now() + make_interval(secs => r.retry_after)
        FROM result r
        WHERE e.site_id = r.site_id AND e.id = r.event_id AND e.status = 'pending' AND e.attempts = r.attempt
        """
    typealias Row = PostgresRow
    let attempts: [WebhookAttemptRecord]

    init(_ attempts: [WebhookAttemptRecord]) { self.attempts = attempts }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 8)
        bindings.append(attempts.map { $0.delivery.siteId.rawValue })
        bindings.append(attempts.map(\.delivery.eventId))
        bindings.append(attempts.map { Int32($0.delivery.attempt) })
        bindings.append(attempts.map(\.result.startedAt))
        bindings.append(attempts.map { Int32($0.result.statusCode ?? 0) })
        bindings.append(attempts.map { $0.result.error ?? "" })
        bindings.append(attempts.map(\.status.rawValue))
        bindings.append(attempts.map { $0.retryAfter ?? 0 })
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { row }
}

/// Writes trace context into a dictionary (to store it with an event).
struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}
