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
        try await connection.query(
            """
            INSERT INTO webhook_events (site_id, id, hospital_id, referral_id, type, body, created_at, trace_context)
            SELECT \(r.siteId), \(payload.id), id, \(r.id), \(payload.type.rawValue), \(body), \(payload.occurredAt),
                   \(Self.currentTraceparent())
            FROM hospitals WHERE id = \(r.hospitalId) AND webhook_url IS NOT NULL
            """, logger: logger)
    }

    /// Writes an event for each notice whose committee has a webhook endpoint (the others are
    /// told through the acknowledgement link alone), in one statement. Call it in the
    /// transaction that made the notices.
    public func enqueue(_ payloads: [CommitteeArrivalsPayload]) async throws {
        guard !payloads.isEmpty else { return }
        let bodies = try payloads.map { try $0.encoded() }
        try await connection.query(
            """
            INSERT INTO webhook_events (site_id, id, committee_id, committee_notice_id, type, body, created_at, trace_context)
            SELECT x.site_id, x.id, c.id, x.notice_id, 'committee.arrivals', x.body, x.created_at, \(Self.currentTraceparent())
            FROM unnest(\(payloads.map(\.notice.siteId))::bigint[], \(payloads.map(\.id))::uuid[],
                        \(payloads.map(\.notice.committeeId))::bigint[], \(payloads.map(\.notice.id))::bigint[],
                        \(bodies)::text[], \(payloads.map(\.occurredAt))::timestamptz[])
                AS x(site_id, id, committee_id, notice_id, body, created_at)
            JOIN residential_committees c ON c.id = x.committee_id AND c.webhook_url IS NOT NULL
            ORDER BY x.notice_id
            """, logger: logger)
    }

    /// The W3C `traceparent` of the change writing an event, if one is being recorded.
    private static func currentTraceparent() -> String? {
        var trace: [String: String] = [:]
        if let context = ServiceContext.current {
            InstrumentationSystem.instrument.inject(context, into: &trace, using: DictionaryInjector())
        }
        return trace["traceparent"]
    }

    /// Claims up to `limit` due events, each the earliest pending one of its referral, so that
    /// a referral's events go out in order (a committee's notices are each on their own). The claim counts the attempt and holds the event
    /// for `lease` seconds: should the dispatcher die, the event becomes due again then.
    public func claimDue(limit: Int, lease: TimeInterval) async throws -> [WebhookDelivery] {
        var out: [WebhookDelivery] = []
        for try await r in try await connection.execute(ClaimDueStatement(limit: limit, lease: lease), logger: logger) {
            out.append(
                WebhookDelivery(
                    eventId: r.0, siteId: r.1, type: r.2, body: r.3, attempt: r.4,
                    attemptInRound: r.5, url: r.6, secret: r.7, receiver: r.8, traceContext: r.9))
        }
        return out
    }

    /// Seconds until an event may next be sent (0 if one may go now), or nil when none waits.
    /// Only the earliest pending event of each referral may go (its events keep their order;
    /// a committee's notice is its own head),
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
        e.id, e.seq, e.hospital_id, h.code, e.site_id, e.referral_id, e.committee_id, c.name, e.committee_notice_id,
        e.type, e.status, e.attempts, e.next_attempt_at, e.last_status_code, e.last_error, e.created_at, e.delivered_at
        """

    /// The receivers an event may have, joined to it.
    static let receivers = """
        webhook_events e LEFT JOIN hospitals h ON h.id = e.hospital_id
        LEFT JOIN residential_committees c ON c.id = e.committee_id
        """

    /// Events by sequence, filtered by status and hospital, a page after `afterSequence`.
    public func events(status: WebhookDeliveryStatus?, hospitalId: Hospital.ID?, page: PageRequest) async throws
        -> [WebhookEvent]
    {
        try await events(
            connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.receivers)
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
                SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.receivers) WHERE e.id = \(id)
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
        for try await row in rows {
            // More columns than a tuple decode takes: read them by position.
            let c = row.makeRandomAccess()
            let id = try c[0].decode(UUID.self)
            let sequence = try c[1].decode(Int64.self)
            let hospitalId = try c[2].decode(Hospital.ID?.self)
            let hospitalCode = try c[3].decode(String?.self)
            let siteId = try c[4].decode(Site.ID.self)
            let referralId = try c[5].decode(Referral.ID?.self)
            let committeeId = try c[6].decode(Int64?.self)
            let committeeName = try c[7].decode(String?.self)
            let noticeId = try c[8].decode(Int64?.self)
            let type = try c[9].decode(WebhookEventType.self)
            let status = try c[10].decode(WebhookDeliveryStatus.self)
            let attempts = try c[11].decode(Int.self)
            let nextAttemptAt = try c[12].decode(Date.self)
            let lastStatusCode = try c[13].decode(Int?.self)
            let lastError = try c[14].decode(String?.self)
            let createdAt = try c[15].decode(Date.self)
            let deliveredAt = try c[16].decode(Date?.self)
            out.append(
                WebhookEvent(
                    id: id, sequence: sequence, hospitalId: hospitalId, hospitalCode: hospitalCode, siteId: siteId,
                    referralId: referralId, committeeId: committeeId.map { ResidentialCommittee.ID($0) },
                    committeeName: committeeName, committeeNoticeId: noticeId.map { CommitteeNotice.ID($0) },
                    type: type,
                    status: status, attempts: attempts, nextAttemptAt: status == .pending ? nextAttemptAt : nil,
                    lastStatusCode: lastStatusCode, lastError: lastError, createdAt: createdAt, deliveredAt: deliveredAt
                ))
        }
        return out
    }
}

/// Claims due events (see `WebhookRepository.claimDue`), prepared: the dispatcher runs it for
/// every batch.
struct ClaimDueStatement: PostgresPreparedStatement {
    static let sql = """
        WITH due AS (
            SELECT e.site_id, e.id, coalesce(h.webhook_url, c.webhook_url) AS url,
                   coalesce(h.webhook_secret, c.webhook_secret) AS secret,
                   coalesce(h.code, 'committee') AS receiver
            FROM webhook_events e
            LEFT JOIN hospitals h ON h.id = e.hospital_id
            LEFT JOIN residential_committees c ON c.id = e.committee_id
            WHERE e.status = 'pending' AND e.next_attempt_at <= now()
              AND NOT EXISTS (SELECT 1 FROM webhook_events earlier
                              WHERE earlier.site_id = e.site_id AND earlier.referral_id = e.referral_id
                                AND earlier.status = 'pending' AND earlier.seq < e.seq)
            ORDER BY e.next_attempt_at, e.seq
            LIMIT $1
            FOR UPDATE OF e SKIP LOCKED
        )
        UPDATE webhook_events e SET attempts = e.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
        FROM due
        WHERE e.site_id = due.site_id AND e.id = due.id
        RETURNING e.id, e.site_id, e.type, e.body, e.attempts, e.attempts - e.round_start, due.url, due.secret,
            due.receiver, e.trace_context
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
        FROM (SELECT DISTINCT ON (site_id, referral_id, CASE WHEN referral_id IS NULL THEN seq END) next_attempt_at
              FROM webhook_events
              WHERE status = 'pending' ORDER BY site_id, referral_id, CASE WHEN referral_id IS NULL THEN seq END, seq)
              AS heads
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
