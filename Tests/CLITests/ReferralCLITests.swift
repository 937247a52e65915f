import Foundation
import Testing
import TestSupport

@Suite("CLI: hospitals and referrals")
struct ReferralCLITests {
    @Test("register a hospital, issue its token, refer a patient, move the referral and read its timeline")
    func referralFromTheCommandLine() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            #expect(try cli.run("seed").status == 0)
            _ = try cli.ok("hospital", "add", "--code", "PJ9", "--name", "浦江第一人民医院", "--department", "ONC:肿瘤科:chemotherapy,radiotherapy",
                           "--webhook-url", "https://his.example.org/cordon")
            #expect(try cli.ok("hospital", "list").contains("ONC 肿瘤科"))
            #expect(try cli.ok("hospital", "token", "PJ9").hasPrefix("cdn_"))
            let created = try cli.ok("referral", "create", "JS-01", "--patient", "4", "--hospital", "PJ9", "--department", "ONC",
                                     "--reason", "化疗周期到期", "--summary", "乳腺癌术后辅助化疗", "--services", "chemotherapy", "--urgency", "urgent",
                                     "--fast-lane")
            let id = String(created.split(separator: ":")[0].dropFirst("referral ".count))
            let refused = try cli.run("referral", "transition", "JS-01", id, "scheduled")
            #expect(refused.status != 0)
            #expect(refused.err.contains("cannot go from requested to scheduled"))
            _ = try cli.ok("referral", "transition", "JS-01", id, "accepted", "--note", "床位已留")
            _ = try cli.ok("referral", "transition", "JS-01", id, "scheduled", "--appointment", "2030-04-14T09:00")
            let shown = try cli.ok("referral", "show", "JS-01", id)
            #expect(shown.contains("床位已留"))
            #expect(shown.contains("scheduled"))
            #expect(try cli.ok("referral", "list", "JS-01").contains("scheduled"))
            let overdue = try cli.ok("referral", "overdue")
            #expect(overdue.contains("杜月娥") && overdue.contains("respond"), "the seeded unanswered urgent referral:\n\(overdue)")
        }
    }
}
