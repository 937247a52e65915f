import Domain
import Foundation
import Hummingbird
import Logging
import Services
import TestSupport
import Testing

@Suite("Webhook endpoints: where deliveries may go, and how long an attempt may take")
struct WebhookEndpointTests {
    @Test(
        "on a real site a URL must be https to a public address: loopback, private and link-local ones, plain http and credentials are refused, writing nothing"
    )
    func refusedWhenSet() async throws {
        try await TestDatabase.withMigrated { db in
            var site = ServiceSettings.forTests
            site.webhooks.allowPrivateNetworks = false
            let services = db.services(settings: site)
            let demo = try await DemoFixture.make(services)
            _ = demo
            let hospital = try await services.hospitals.add(
                HospitalDraft(code: "PJ1", name: "浦江第一人民医院"), actor: DemoFixture.operatorActor)
            for url in [
                "http://his.pj1.example.org/hook", "https://127.0.0.1/hook", "https://10.1.2.3/hook",
                "https://[::1]/hook",
                "https://169.254.169.254/latest", "https://localhost/hook",
                "https://nurse:secret@his.pj1.example.org/hook",
            ] {
                do {
                    _ = try await services.hospitals.setWebhook(
                        hospitalId: hospital.hospital.id, url: url, actor: DemoFixture.operatorActor)
                    Issue.record("\(url) was accepted")
                } catch DomainError.invalid(let issues) {
                    #expect(issues.map(\.field) == ["url"], "\(url)")
                }
            }
            #expect(try await db.count("SELECT count(*)::int FROM hospitals WHERE webhook_url IS NOT NULL") == 0)
            // A name that does not resolve yet is accepted over https (deliveries fail until it does).
            _ = try await services.hospitals.setWebhook(
                hospitalId: hospital.hospital.id, url: "https://his.pj1.invalid/hook",
                actor: DemoFixture.operatorActor)
        }
    }

    @Test(
        "at delivery the address is checked again: an endpoint that now resolves to loopback is not sent to, and the attempt says why"
    )
    func refusedAtDelivery() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            try await WebhookReceiver.serving { receiver, url in
                _ = try await f.endpoint(url)  // set in a lab
                _ = try await f.refer()
                var site = quickWebhooks(base: 30, attempts: 3)
                site.allowPrivateNetworks = false  // delivered by a server configured for a real site
                try await withDispatcher(f.services, site) {
                    try await eventually("the attempt is recorded") {
                        let event = try await f.events().first
                        return event?.attempts == 1 && event?.lastError != nil
                    }
                }
                #expect(await receiver.received.isEmpty)
                let event = try #require(try await f.events().first)
                #expect(
                    event.lastError?.hasPrefix("endpoint refused: must be https") == true, "\(event.lastError ?? "")")
                #expect(event.status == .pending)
            }
        }
    }

    @Test(
        "an endpoint that answers 500 and trickles an endless body is cut off at the attempt's time limit, and holds no one else up"
    )
    func endlessBody() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            try await TrickleReceiver.serving { trickling in
                try await WebhookReceiver.serving { fine, url in
                    _ = try await f.endpoint(trickling)
                    _ = try await f.services.hospitals.setWebhook(hospitalId: f.other.id, url: url, actor: f.op)
                    _ = try await f.refer()
                    var elsewhere = f.draft()
                    elsewhere.hospitalId = f.other.id
                    elsewhere.departmentId = nil
                    _ = try await f.services.referrals.create(siteId: f.site, elsewhere, actor: f.clinician)
                    let started = Date()
                    // One delivery slot: a slot held for ever by the trickle would stop the other hospital's event.
                    try await withDispatcher(
                        // A 2 s timeout (3 s for the whole attempt): short enough to cut the trickle
                        // off quickly, long enough for the good endpoint on a machine busy with the
                        // rest of the suite.
                        f.services, quickWebhooks(base: 60, attempts: 3, timeout: 2, concurrency: 1)
                    ) {
                        try await eventually("both attempts are recorded") {
                            let events = try await f.events()
                            return events.count == 2
                                && events.allSatisfy {
                                    $0.attempts >= 1 && ($0.status == .delivered || $0.lastError != nil)
                                }
                        }
                    }
                    #expect(Date().timeIntervalSince(started) < 20)
                    let events = try await f.events()
                    let cut = try #require(events.first { $0.hospitalId == f.oncology.id })
                    #expect(cut.lastError?.contains("did not finish within 3 s") == true, "\(cut.lastError ?? "")")
                    let other = events.first { $0.hospitalId == f.other.id }
                    #expect(other?.status == .delivered, "\(other?.lastError ?? "")")
                    #expect(await fine.successes().count == 1)
                }
            }
        }
    }
}

/// An endpoint that answers 500 at once and then sends one byte every 100 ms, for ever.
enum TrickleReceiver {
    static func serving<T: Sendable>(_ body: (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/hook") { _, _ -> Response in
            Response(
                status: .internalServerError,
                body: ResponseBody { writer in
                    while !Task.isCancelled {
                        try await writer.write(ByteBuffer(string: "x"))
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    try await writer.finish(nil)
                })
        }
        return try await LoopbackServer.serving(router) { port in try await body("http://127.0.0.1:\(port)/hook") }
    }
}

@Suite("Webhook dispatcher at rest")
struct IdleDispatcherTests {
    @Test(
        "a referral whose first event waits for its retry, with a later one due behind it: the dispatcher sleeps until the retry instead of looking again and again"
    )
    func sleepsWhenNothingMayGo() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            try await WebhookReceiver.serving(answer: { _, _ in .serviceUnavailable }) { receiver, url in
                _ = try await f.endpoint(url)
                let referral = try await f.refer()
                var settings = quickWebhooks(base: 60, attempts: 5)
                settings.retry = WebhookRetryPolicy(baseDelay: 60, maximumDelay: 60, maximumAttempts: 5)
                settings.pollInterval = 30
                let dispatcher = f.services.webhookDispatcher(settings: settings)
                let running = Task { try await dispatcher.run() }
                defer { running.cancel() }
                try await eventually("the first attempt fails") { await receiver.received.count == 1 }
                // Due now, but behind the first, which waits a minute for its retry.
                _ = try await f.services.referrals.addNote(id: referral.id, note: "家属已通知", actor: f.clinician)
                // The note's NOTIFY wakes it once; let that look pass, then count. A spinning
                // dispatcher looks hundreds of times a second; at rest it looks at most once.
                try await Task.sleep(for: .seconds(1))
                let before = dispatcher.activity.lookCount
                try await Task.sleep(for: .seconds(5))
                let looks = dispatcher.activity.lookCount - before
                #expect(looks <= 5, "\(looks) looks in 5 s")
                #expect(await receiver.received.count == 1, "nothing may go before the retry")
                running.cancel()
                _ = await running.result
            }
        }
    }

    @Test("an empty outbox is looked at once per poll interval, not in a loop")
    func emptyOutbox() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            var settings = quickWebhooks()
            settings.pollInterval = 30
            let dispatcher = services.webhookDispatcher(settings: settings)
            let running = Task { try await dispatcher.run() }
            try await Task.sleep(for: .seconds(3))
            #expect(dispatcher.activity.lookCount <= 3, "\(dispatcher.activity.lookCount) looks in 3 s")
            running.cancel()
            _ = await running.result
        }
    }
}
