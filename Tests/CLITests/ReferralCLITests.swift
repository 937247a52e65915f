import Foundation
import TestSupport
import Testing

@Suite("CLI: hospitals and referrals")
struct ReferralCLITests {
    @Test("register a hospital, issue its token, refer a patient, move the referral and read its timeline")
    func referralFromTheCommandLine() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            #expect(try await cli.run("seed").status == 0)
            _ = try await cli.ok(
                "hospital", "add", "--code", "PJ9", "--name", "浦江第一人民医院", "--department",
                "ONC:肿瘤科:chemotherapy,radiotherapy",
                "--webhook-url", "https://his.example.org/cordon")
            #expect(try await cli.ok("hospital", "list").contains("ONC 肿瘤科"))
            #expect(try await cli.ok("hospital", "token", "PJ9").hasPrefix("cdn_"))
            let created = try await cli.ok(
                "referral", "create", "JS-01", "--patient", "4", "--hospital", "PJ9", "--department", "ONC",
                "--reason", "化疗周期到期", "--summary", "乳腺癌术后辅助化疗", "--services", "chemotherapy", "--urgency", "urgent",
                "--fast-lane")
            let id = String(created.split(separator: ":")[0].dropFirst("referral ".count))
            let refused = try await cli.run("referral", "transition", "JS-01", id, "scheduled")
            #expect(refused.status != 0)
            #expect(refused.err.contains("cannot go from requested to scheduled"))
            _ = try await cli.ok("referral", "transition", "JS-01", id, "accepted", "--note", "床位已留")
            _ = try await cli.ok(
                "referral", "transition", "JS-01", id, "scheduled", "--appointment", Soon.local(30, hour: 9))
            let shown = try await cli.ok("referral", "show", "JS-01", id)
            #expect(shown.contains("床位已留"))
            #expect(shown.contains("scheduled"))
            #expect(try await cli.ok("referral", "list", "JS-01").contains("scheduled"))
            let overdue = try await cli.ok("referral", "overdue")
            #expect(
                overdue.contains("杜月娥") && overdue.contains("respond"),
                "the seeded unanswered urgent referral:\n\(overdue)")
        }
    }
}

@Suite("CLI: webhook endpoints and the outbox")
struct WebhookCLITests {
    @Test(
        "point a hospital at an endpoint, see the event a referral writes, retry the dead-lettered ones, remove the endpoint"
    )
    func outboxFromTheCommandLine() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            #expect(try await cli.run("seed").status == 0)
            let set = try await cli.ok("hospital", "webhook", "PJ1", "http://127.0.0.1:9/cordon-webhooks")
            #expect(set.contains("webhook secret (shown once): whsec_"), "\(set)")
            #expect(try await cli.run("hospital", "webhook", "PJ1", "ftp://his.example").err.contains("url"))
            _ = try await cli.ok(
                "referral", "create", "JS-01", "--patient", "4", "--hospital", "PJ1", "--reason", "血透", "--summary",
                "规律透析",
                "--services", "dialysis", "--urgency", "urgent")
            let pending = try await cli.ok("webhook", "list", "--status", "pending", "--hospital", "PJ1", "--last", "1")
            #expect(
                pending.contains("referral.created") && pending.contains("PJ1 ")
                    && pending.split(separator: "\n").count == 3, "\(pending)")
            #expect(try await cli.ok("webhook", "retry", "--dead").contains("no dead-lettered events"))

            try await db.client.query(
                "UPDATE webhook_events SET status = 'dead', attempts = 12, last_error = 'HTTP 503: maintenance'")
            let dead = try await cli.ok("webhook", "list", "--status", "dead")
            #expect(dead.contains("HTTP 503: maintenance"), "\(dead)")
            let retried = try await cli.ok("webhook", "retry", "--dead", "--hospital", "PJ1")
            #expect(retried.contains("pending again"), "\(retried)")
            // The seeded referrals to PJ1 wrote events too: every one was dead, every one is pending again.
            let total = try await db.count("SELECT count(*)::int FROM webhook_events")
            #expect(total > 1)
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM webhook_events WHERE status = 'pending' AND round_start = 12") == total)
            let again = try await cli.run("webhook", "retry", "not-an-id")
            #expect(again.status != 0 && again.err.contains("is not an event id"))
            let id = try #require(
                pending.split(separator: "\n").dropFirst(2).first?.split(separator: " ").first.map(String.init))
            let busy = try await cli.run("webhook", "retry", id)
            #expect(busy.status != 0 && busy.err.contains("pending already"), "\(busy.err)")

            #expect(try await cli.ok("hospital", "webhook", "PJ1", "--remove").contains("webhook removed"))
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM hospitals WHERE code = 'PJ1' AND webhook_url IS NULL AND webhook_secret IS NULL"
                ) == 1)
        }
    }
}
