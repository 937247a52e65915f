import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Committees told through the webhook outbox")
struct CommitteeWebhookTests {
    typealias F = SwabFixture

    @Test(
        "a committee with an endpoint is posted its notice with the plan, signed with its own secret, names and dates but no identity; one without is told by its link alone"
    )
    func postedWithThePlan() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let (district, ids) = try await BusTests.committees(f, ["卫零居委会", "山阳村"])
            let people = try await BusTests.released(
                f, [(1, "卫零居委会", "H1", false), (2, "卫零居委会", "H1", true), (3, "山阳村", nil, false)])
            try await WebhookReceiver.serving { receiver, url in
                let registered = try await f.services.committees.setWebhook(ids["卫零居委会"]!, url: url, actor: F.op)
                let secret = try #require(registered.webhookSecret)
                #expect(registered.committee.webhookUrl == url)
                let listed = try await f.services.committees.list(districtId: district.id, actor: F.op)
                #expect(listed.first { $0.name == "卫零居委会" }?.webhookUrl == url)

                let clerk = try await f.actor("managerA")
                let departs = Date(timeIntervalSinceNow: 3600)
                _ = try await f.services.buses.plan(siteId: f.site, seats: 40, departsAt: departs, actor: clerk)
                let events = try await f.services.webhooks.events(page: PageRequest(limit: 50), actor: F.op).items
                #expect(events.count == 1, "only the committee with an endpoint gets an event")
                let event = try #require(events.first)
                #expect(event.type == .committeeArrivals && event.committeeName == "卫零居委会")
                #expect(event.hospitalId == nil && event.referralId == nil && event.committeeNoticeId != nil)

                try await withDispatcher(f.services, quickWebhooks()) {
                    try await eventually("the notice is delivered") {
                        try await f.services.webhooks.events(
                            status: .delivered, page: PageRequest(limit: 5), actor: F.op
                        )
                        .items.count == 1
                    }
                }
                let got = try #require(await receiver.received.first)
                #expect(got.eventId == event.id.uuidString.lowercased())
                #expect(WebhookSignature.verify(got.signature, body: got.body, secret: secret))
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                let payload = try decoder.decode(CommitteeArrivalsPayload.self, from: Data(got.body.utf8))
                let notice = try #require(
                    try await f.services.committeeNotices.notices(siteId: f.site, actor: clerk).first {
                        $0.notice.committee == "卫零居委会"
                    })
                #expect(payload.type == .committeeArrivals && payload.notice.id == notice.notice.id.rawValue)
                #expect(payload.notice.acknowledgementLink == notice.link)
                #expect(payload.notice.arrivals.map(\.name) == ["返家1", "返家2"])
                #expect(payload.notice.arrivals.map(\.seats) == [1, 2])
                #expect(payload.notice.arrivals.allSatisfy { $0.household == "H1" })
                let ackSeconds = Double(ServiceSettings.forTests.committeeAckHours) * 3600
                #expect(abs(payload.notice.acknowledgeBy.timeIntervalSince(notice.notice.sentAt) - ackSeconds) < 1)
                #expect(abs(payload.notice.departsAt.timeIntervalSince(departs)) < 1)
                for (n, _) in people.enumerated() {
                    #expect(!got.body.contains(testNationalID(sequence: n + 1)), "no identity number leaves")
                }
            }
        }
    }

    @Test(
        "only the district's commander or an admin sets a committee's endpoint; a bad address or an unknown committee is refused and nothing changes; removing it issues no secret"
    )
    func settingTheEndpoint() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let committee = try #require(try await BusTests.committees(f, ["卫零居委会"]).ids["卫零居委会"])
            let service = f.services.committees
            await #expect(throws: DomainError.self, "a site manager does not keep committees") {
                _ = try await service.setWebhook(
                    committee, url: "https://committee.example/hook", actor: try await f.actor("managerA"))
            }
            await #expect(throws: DomainError.self, "no such committee") {
                _ = try await service.setWebhook(.init(999_999), url: "https://committee.example/hook", actor: F.op)
            }
            await #expect {
                _ = try await service.setWebhook(committee, url: "ftp://committee.example", actor: F.op)
            } throws: { error in
                guard case DomainError.invalid(let issues) = error else { return false }
                return issues.map(\.field) == ["url"]
            }
            #expect(
                try await db.count("SELECT count(*)::int FROM residential_committees WHERE webhook_url IS NOT NULL")
                    == 0)
            let set = try await service.setWebhook(committee, url: "https://committee.example/hook", actor: F.op)
            #expect(set.webhookSecret?.hasPrefix("whsec_") == true)
            let removed = try await service.setWebhook(committee, url: nil, actor: F.op)
            #expect(removed.webhookSecret == nil && removed.committee.webhookUrl == nil)
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM audit_log WHERE entity = 'residential_committee' AND action = 'set_webhook'"
                )
                    == 2)
        }
    }
}
