import Crypto
import Domain
import Foundation
import PostgresNIO
import Services
import TestSupport
import Testing

/// Settings for tests: short waits, so retries and leases play out in a second or two.
func quickWebhooks(base: TimeInterval = 0.2, attempts: Int = 4, timeout: TimeInterval = 10, concurrency: Int = 4)
    -> WebhookSettings
{
    var s = WebhookSettings(
        retry: WebhookRetryPolicy(baseDelay: base, maximumDelay: 5, maximumAttempts: attempts), timeout: timeout,
        concurrency: concurrency, pollInterval: 0.05)
    s.leaseMargin = 0.5
    s.allowPrivateNetworks = true  // the receivers listen on loopback
    return s
}

/// Runs a dispatcher for the length of `body`, then stops it as a crash would (cancelled).
func withDispatcher<T>(_ services: CordonServices, _ settings: WebhookSettings, _ body: () async throws -> T)
    async throws -> T
{
    let dispatcher = Task { try await services.webhookDispatcher(settings: settings).run() }
    defer { dispatcher.cancel() }
    let result = try await body()
    dispatcher.cancel()
    _ = await dispatcher.result
    return result
}

extension ReferralFixture {
    /// Points the oncology hospital's webhook at `url`; returns the new signing secret.
    func endpoint(_ url: String) async throws -> String {
        try await services.hospitals.setWebhook(hospitalId: oncology.id, url: url, actor: op).webhookSecret!
    }

    func events(_ status: WebhookDeliveryStatus? = nil) async throws -> [WebhookEvent] {
        try await services.webhooks.events(status: status, page: PageRequest(limit: 500), actor: op).items
    }
}

@Suite("Webhook outbox and delivery")
struct WebhookTests {
    @Test(
        "each change of a referral writes its event in the change's transaction, only for a hospital with an endpoint")
    func outbox() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            _ = try await f.endpoint("http://127.0.0.1:9/unused")
            let key = try IdempotencyKey("create-1")
            let referral = try await f.services.referrals.create(
                siteId: f.site, f.draft(), actor: f.clinician, idempotencyKey: key
            ).value
            _ = try await f.services.referrals.create(
                siteId: f.site, f.draft(), actor: f.clinician, idempotencyKey: key)  // replay
            _ = try await f.services.referrals.transition(
                id: referral.id, ReferralTransition(to: .accepted), actor: f.hospitalSystem)
            _ = try await f.services.referrals.addNote(id: referral.id, note: "请带上既往化疗记录", actor: f.hospitalSystem)
            // Refused changes write nothing, events included.
            await #expect(throws: DomainError.self) {
                try await f.services.referrals.transition(
                    id: referral.id, ReferralTransition(to: .completed, outcome: .admitted), actor: f.hospitalSystem)
            }
            // A hospital without an endpoint is not written to.
            var elsewhere = f.draft()
            elsewhere.hospitalId = f.other.id
            elsewhere.departmentId = nil
            _ = try await f.services.referrals.create(siteId: f.site, elsewhere, actor: f.clinician)

            let events = try await f.events()
            #expect(events.map(\.type) == [.referralCreated, .referralStatusChanged, .referralNoteAdded])
            #expect(
                events.allSatisfy {
                    $0.status == .pending && $0.attempts == 0 && $0.referralId == referral.id
                        && $0.hospitalCode == "PJ1"
                })
            #expect(Set(events.map(\.id)).count == 3)
        }
    }

    @Test(
        "a delivery carries the event as JSON, signed with HMAC-SHA256 over timestamp and body with the hospital's secret"
    )
    func signature() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            try await WebhookReceiver.serving { receiver, url in
                let secret = try await f.endpoint(url)
                let referral = try await f.refer()
                try await withDispatcher(f.services, quickWebhooks()) {
                    try await eventually("the event is delivered") { try await f.events(.delivered).count == 1 }
                }
                let got = try #require(await receiver.received.first)
                // Check the MAC as a hospital would, with its own HMAC, not with Cordon's code.
                let fields = Dictionary(
                    uniqueKeysWithValues: got.signature.split(separator: ",").map {
                        let kv = $0.split(separator: "=", maxSplits: 1)
                        return (String(kv[0]), String(kv[1]))
                    })
                let t = try #require(fields["t"].flatMap { Int($0) })
                #expect(abs(Double(t) - got.at.timeIntervalSince1970) < 5)
                let expected = HMAC<SHA256>.authenticationCode(
                    for: Data("\(t).\(got.body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
                #expect(fields["v1"] == expected.map { String(format: "%02x", $0) }.joined())
                #expect(WebhookSignature.verify(got.signature, body: got.body, secret: secret))
                #expect(
                    !WebhookSignature.verify(got.signature, body: got.body + " ", secret: secret),
                    "a changed body fails")
                #expect(
                    !WebhookSignature.verify(got.signature, body: got.body, secret: secret + "x"),
                    "another secret fails")
                #expect(
                    !WebhookSignature.verify(
                        got.signature, body: got.body, secret: secret, now: Date().addingTimeInterval(600)),
                    "a stale one fails")

                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                let payload = try decoder.decode(WebhookPayload.self, from: Data(got.body.utf8))
                #expect(payload.id.uuidString.lowercased() == got.eventId)
                #expect(payload.type == .referralCreated)
                #expect(
                    payload.referral.id == referral.id && payload.referral.status == .requested
                        && payload.referral.fastLane)
                #expect(payload.referral.events.count == 1)
                #expect(got.attempt == "1")
            }
        }
    }

    @Test("a receiver that fails twice then succeeds gets the event once as a success, retries spaced as configured")
    func backoff() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            try await WebhookReceiver.serving(answer: { _, seen in seen < 2 ? .serviceUnavailable : .ok }) {
                receiver, url in
                _ = try await f.endpoint(url)
                _ = try await f.refer()
                let settings = quickWebhooks(base: 0.4, attempts: 5)
                try await withDispatcher(f.services, settings) {
                    try await eventually("the event is delivered") { try await f.events(.delivered).count == 1 }
                }
                let got = await receiver.received
                #expect(got.map(\.status) == [503, 503, 200])
                #expect(got.map(\.attempt) == ["1", "2", "3"])
                #expect(
                    Set(got.map(\.eventId)).count == 1 && Set(got.map(\.body)).count == 1,
                    "every attempt sends the same event")
                #expect(await receiver.successes().values.sorted() == [1])
                // Waits of 0.4 s then 0.8 s. The slack allows for a loaded machine running every suite
                // (and a browser) at once, and still tells these waits from the 5 s maximum.
                let gaps = zip(got.dropFirst(), got).map { $0.at.timeIntervalSince($1.at) }
                #expect(gaps[0] >= 0.4 && gaps[0] < 0.4 + 3.0, "first wait \(gaps[0])")
                #expect(gaps[1] >= 0.8 && gaps[1] < 0.8 + 3.0, "second wait \(gaps[1])")
                let event = try #require(try await f.events().first)
                #expect(
                    event.attempts == 3 && event.lastStatusCode == 200 && event.lastError == nil
                        && event.deliveredAt != nil)
                #expect(try await db.count("SELECT count(*) FROM webhook_attempts WHERE status_code = 503") == 2)
            }
        }
    }

    @Test("a receiver down for good ends in dead-letter; an operator's retry sends it again under the same id")
    func deadLetter() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            _ = try await f.endpoint(try await WebhookReceiver.deadAddress())
            _ = try await f.refer()
            // The client keeps trying to connect until the attempt's time limit, so keep it short.
            try await withDispatcher(f.services, quickWebhooks(base: 0.05, attempts: 3, timeout: 0.5)) {
                try await eventually("the event is dead-lettered") { try await f.events(.dead).count == 1 }
            }
            let dead = try #require(try await f.events(.dead).first)
            #expect(dead.attempts == 3 && dead.lastStatusCode == nil && dead.nextAttemptAt == nil)
            #expect(dead.lastError?.lowercased().contains("refused") == true, "\(dead.lastError ?? "")")
            #expect(try await db.count("SELECT count(*) FROM webhook_attempts") == 3)

            // Only an admin retries, and only what is not already on its way.
            let clinician = f.clinician
            await #expect(throws: DomainError.self) {
                try await f.services.webhooks.retry(id: dead.id, actor: clinician)
            }
            try await WebhookReceiver.serving { receiver, url in
                _ = try await f.endpoint(url)
                let retried = try await f.services.webhooks.retry(id: dead.id, actor: f.op)
                #expect(retried.status == .pending)
                await #expect(throws: DomainError.self) {
                    try await f.services.webhooks.retry(id: dead.id, actor: f.op)
                }
                try await withDispatcher(f.services, quickWebhooks()) {
                    try await eventually("the retried event is delivered") { try await f.events(.delivered).count == 1 }
                }
                #expect(await receiver.received.map(\.eventId) == [dead.id.uuidString.lowercased()])
                #expect(await receiver.received.map(\.attempt) == ["4"])
            }
            await #expect(throws: DomainError.self) { try await f.services.webhooks.retry(id: UUID(), actor: f.op) }
        }
    }

    @Test(
        "a dispatcher stopped mid-delivery loses nothing: the next one sends every event, the interrupted one again under its id"
    )
    func restart() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            // The first request ever hangs, as an endpoint does when the dispatcher dies under it,
            // and is never answered with success, however late it ends.
            let hung = Flag()
            try await WebhookReceiver.serving(answer: { _, _ in
                guard hung.setOnce() else { return .ok }
                try? await Task.sleep(for: .seconds(60))
                return .serviceUnavailable
            }) { receiver, url in
                _ = try await f.endpoint(url)
                for _ in 0..<3 { _ = try await f.refer() }
                // The first dispatcher's timeout outlasts the hang, so it is stopped mid-delivery
                // however slowly the test reacts on a loaded machine (with a short one, the hang timed
                // out and the next event went out before the stop, unrecorded, and so twice).
                try await withDispatcher(f.services, quickWebhooks(timeout: 90, concurrency: 1)) {
                    try await eventually("the first delivery is in flight") { await receiver.received.count == 1 }
                }
                let interrupted = await receiver.received[0].eventId
                #expect(try await f.events(.delivered).isEmpty, "nothing was recorded by the stopped dispatcher")
                // Its leases (3 minutes) run out, as they would while nobody delivers.
                try await db.asOwner("UPDATE webhook_events SET next_attempt_at = now() WHERE status = 'pending'")
                for _ in 0..<2 { _ = try await f.refer() }  // written while no dispatcher runs
                try await withDispatcher(f.services, quickWebhooks(timeout: 30, concurrency: 1)) {
                    try await eventually("every event is delivered") { try await f.events(.delivered).count == 5 }
                }
                let events = try await f.events()
                let successes = await receiver.successes()
                let seen = await receiver.received.map { ($0.eventId.prefix(6), $0.attempt, $0.status) }
                #expect(successes.count == 5 && successes.values.allSatisfy { $0 == 1 }, "\(successes) \(seen)")
                #expect(Set(successes.keys) == Set(events.map { $0.id.uuidString.lowercased() }))
                let interruptedRequests = await receiver.received.filter { $0.eventId == interrupted }
                #expect(interruptedRequests.count == 2 && Set(interruptedRequests.map(\.body)).count == 1)
            }
        }
    }
}

/// True for the first caller only.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    func setOnce() -> Bool {
        lock.withLock {
            defer { set = true }
            return !set
        }
    }

    @Test(
        "housekeeping removes events delivered longer ago than the retention, with their attempts; pending, dead and recent ones stay"
    )
    func retention() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            _ = try await f.endpoint("http://127.0.0.1:9/unused")
            let referral = try await f.services.referrals.create(siteId: f.site, f.draft(), actor: f.clinician).value
            _ = try await f.services.referrals.transition(
                id: referral.id, ReferralTransition(to: .accepted), actor: f.hospitalSystem)
            _ = try await f.services.referrals.addNote(id: referral.id, note: "请带上既往化疗记录", actor: f.hospitalSystem)
            _ = try await f.services.referrals.addNote(id: referral.id, note: "已安排床位", actor: f.hospitalSystem)
            let ids = try await f.events().map(\.id.uuidString)
            try await db.client.withConnection { connection in
                // Each event was tried once; then the first was delivered 31 days ago, the
                // second a day ago, the third died long ago, and the fourth is still pending.
                for id in ids {
                    try await connection.query(
                        """
                        INSERT INTO webhook_attempts (site_id, event_id, attempt, started_at, status_code)
                        SELECT site_id, id, 1, now() - interval '40 days', 500 FROM webhook_events WHERE id = \(id)::uuid
                        """, logger: db.logger)
                }
                for (id, status, daysAgo) in [(ids[0], "delivered", 31), (ids[1], "delivered", 1), (ids[2], "dead", 0)]
                {
                    try await connection.query(
                        """
                        UPDATE webhook_events SET status = \(status)::text,
                            delivered_at = CASE WHEN \(status)::text = 'delivered' THEN now() - make_interval(days => \(daysAgo)::int) END
                        WHERE id = \(id)::uuid
                        """, logger: db.logger)
                }
                await #expect(throws: (any Error).self, "an attempt of an undelivered event stays append-only") {
                    try await connection.query(
                        "DELETE FROM webhook_attempts WHERE event_id = \(ids[2])::uuid", logger: db.logger)
                }
            }
            let removed = try #require(try await f.services.housekeeping().runOnce())
            #expect(removed.webhookEvents == 1 && removed.webhookAttempts == 1)
            #expect(Set(try await f.events().map(\.id.uuidString)) == Set(ids.dropFirst()))
            #expect(try await db.count("SELECT count(*)::int FROM webhook_attempts") == 3)
            #expect(try await f.services.housekeeping().runOnce()?.webhookEvents == 0, "a second pass finds nothing")
        }
    }
}
