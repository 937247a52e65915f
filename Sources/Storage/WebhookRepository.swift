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
        for try await r in try await connection.query(
            """
            WITH due AS (
                SELECT e.site_id, e.id FROM webhook_events e
                WHERE e.status = 'pending' AND e.next_attempt_at <= now()
                  AND NOT EXISTS (SELECT 1 FROM webhook_events earlier
                                  WHERE earlier.site_id = e.site_id AND earlier.referral_id = e.referral_id
                                    AND earlier.status = 'pending' AND earlier.seq < e.seq)
                ORDER BY e.next_attempt_at, e.seq
                LIMIT \(limit)
                FOR UPDATE OF e SKIP LOCKED
            )
            UPDATE webhook_events e SET attempts = e.attempts + 1, next_attempt_at = now() + make_interval(secs =>
                \(lease))
            FROM due JOIN hospitals h ON true
            WHERE e.site_id = due.site_id AND e.id = due.id AND h.id = e.hospital_id
            RETURNING e.id, e.site_id, e.type, e.body, e.attempts, e.attempts - e.round_start, h.webhook_url,
                h.webhook_secret, e.seq, h.code, e.trace_context
            """, logger: logger
        ).decode((UUID, Site.ID, String, String, Int, Int, String?, String?, Int64, String, String?).self) {
            out.append(
                WebhookDelivery(
                    eventId: r.0, siteId: r.1, type: WebhookEventType(rawValue: r.2)!, body: r.3, attempt: r.4,
                    attemptInRound: r.5, url: r.6, secret: r.7, hospitalCode: r.9, traceContext: r.10))
        }
        return out
    }

    /// Seconds until an event may next be sent (0 if one may go now), or nil when none waits.
    /// Only the earliest pending event of each referral may go (its events keep their order),
    /// so a later event that is due behind one waiting for its retry is not counted: the
    /// dispatcher sleeps until the retry instead of looking again at once.
    public func secondsUntilNextSendable() async throws -> Double? {
        for try await s in try await connection.query(
            """
            SELECT CASE WHEN min(next_attempt_at) IS NULL THEN NULL  -- greatest() would turn "none" into 0
                        ELSE extract(epoch FROM greatest(min(next_attempt_at) - now(), interval '0'))::float8 END
            FROM (SELECT DISTINCT ON (site_id, referral_id) next_attempt_at FROM webhook_events
                  WHERE status = 'pending' ORDER BY site_id, referral_id, seq) AS heads
            """, logger: logger
        ).decode(Double?.self) { return s }
        return nil
    }

    /// Records one attempt and moves the event on: delivered, due again after `retryAfter`
    /// seconds, or dead when `retryAfter` is nil. A dispatcher whose lease ran out (another
    /// one claimed the event since) records its attempt but leaves the event alone. One
    /// prepared statement: atomic without a transaction, planned once per connection.
    public func record(_ delivery: WebhookDelivery, _ result: WebhookAttemptResult, retryAfter: TimeInterval?)
        async throws
    {
        let status: WebhookDeliveryStatus = result.succeeded ? .delivered : (retryAfter == nil ? .dead : .pending)
        let statement = RecordAttemptStatement(
            siteId: delivery.siteId, eventId: delivery.eventId, attempt: delivery.attempt,
            startedAt: result.startedAt, statusCode: result.statusCode, error: result.error,
            status: status.rawValue, retryAfter: retryAfter ?? 0)
        for try await _ in try await connection.execute(statement, logger: logger) {}
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
                UUID, Int64, Hospital.ID, String, Site.ID, Referral.ID, String, String, Int, Date, Int?, String?, Date,
                Date?
            ).self)
        {
            let status = WebhookDeliveryStatus(rawValue: r.7)!
            out.append(
                WebhookEvent(
                    id: r.0, sequence: r.1, hospitalId: r.2, hospitalCode: r.3, siteId: r.4, referralId: r.5,
                    type: WebhookEventType(rawValue: r.6)!, status: status, attempts: r.8,
                    nextAttemptAt: status == .pending ? r.9 : nil, lastStatusCode: r.10, lastError: r.11,
                    createdAt: r.12,
                    deliveredAt: r.13))
        }
        return out
    }
}

/// The attempt's line in `webhook_attempts` and the event's new state, in one statement.
struct RecordAttemptStatement: PostgresPreparedStatement {
    static let sql = """
        WITH attempt AS (
            INSERT INTO webhook_attempts (site_id, event_id, attempt, started_at, status_code, error)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING
        )
        UPDATE webhook_events SET status = $7, last_status_code = $5, last_error = $6,
            delivered_at = CASE WHEN $7 = 'delivered' THEN now() END, next_attempt_at = now() + make_interval(secs =>
                $8)
        WHERE site_id = $1 AND id = $2 AND status = 'pending' AND attempts = $3
        RETURNING status
        """
    typealias Row = String
    var siteId: Site.ID
    var eventId: UUID
    var attempt: Int
    var startedAt: Date
    var statusCode: Int?
    var error: String?
    var status: String
    var retryAfter: Double

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 8)
        bindings.append(siteId)
        bindings.append(eventId)
        bindings.append(Int32(attempt))
        bindings.append(startedAt)
        bindings.append(statusCode.map(Int32.init))
        bindings.append(error)
        bindings.append(status)
        bindings.append(retryAfter)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// Writes trace context into a dictionary (to store it with an event).
struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}
