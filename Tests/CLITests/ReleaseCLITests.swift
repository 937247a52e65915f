import Domain
import Foundation
import TestSupport
import Testing

@Suite("Release from the command line")
struct ReleaseCLITests {
    @Test(
        "criteria set, the list with its reasons, a zone signed off after the names are shown and confirmed, everyone ready released, a repeat reported"
    )
    func release() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            try await cli.siteWithZoneA()
            _ = try await cli.ok("bed", "add", "JS-09", "--zone", "A", "--prefix", "A-", "--from", "1", "--to", "3")
            let twoDaysAgo = Date(timeIntervalSinceNow: -2 * 86_400)
            var ids: [String] = []
            for (n, name) in [(1, "张三"), (2, "李四"), (3, "王五")] {
                let out = try await cli.ok(
                    "patient", "admit", "JS-09", "--bed", "A-00\(n)", "--name", name, "--sex", "male", "--born",
                    "1969-09-02", "--national-id", testNationalID(sequence: n), "--at", RFC3339.string(twoDaysAgo),
                    "--committee", "卫零居委会", "--household", "H\(n)", "--home-address", "卫零路 \(n) 号")
                let id = out.split(whereSeparator: \.isWhitespace).last.map(String.init) ?? ""
                ids.append(id)
                // The third has one clear test only: not yet.
                for hoursAgo in (n == 3 ? [2.0] : [30.0, 2.0]) {
                    _ = try await cli.ok(
                        "test-result", "add", "JS-09", id, "--sampled",
                        RFC3339.string(Date(timeIntervalSinceNow: -hoursAgo * 3600)), "--result", "negative")
                }
            }
            let criteria = try await cli.ok("release", "criteria", "JS-09", "--no-fever-hours", "72")
            #expect(criteria.contains("no fever (37.3 °C or more) for 72 h"), "\(criteria)")
            let refused = try await cli.run("release", "criteria", "JS-09", "--no-fever-hours", "12")
            #expect(refused.status != 0 && refused.err.contains("noFeverHours"), "\(refused.err)")

            let list = try await cli.ok("release", "list", "JS-09")
            #expect(list.contains("张三") && list.contains("no clinician has signed off yet"), "\(list)")
            #expect(!list.contains("王五"), "whose tests do not meet the rule are not on the list")

            let declined = try await cli.run(["release", "sign-off", "JS-09", "--zone", "A"], stdin: "n\n")
            #expect(declined.out.contains("张三") && declined.out.contains("nothing signed"), "\(declined.out)")
            let signed = try await cli.run(
                ["release", "sign-off", "JS-09", "--zone", "A", "--symptoms-improved"], stdin: "y\n")
            #expect(signed.status == 0 && signed.out.contains("signed off 2 patient(s)"), "\(signed.out)\(signed.err)")
            let unknown = try await cli.run("release", "run", "JS-09", "--patient", ids[0], "--patient", "999999")
            #expect(unknown.status != 0 && unknown.err.contains("patientIds[1]"), "\(unknown.err)")

            let run = try await cli.ok("release", "run", "JS-09", "--all-ready")
            #expect(run.contains("released 2 of 2"), "\(run)")
            let again = try await cli.ok("release", "run", "JS-09", "--patient", ids[0], "--patient", ids[2])
            #expect(again.contains("already released") && again.contains("left out"), "\(again)")
            #expect(try await db.count("SELECT count(*)::int FROM beds WHERE status = 'cleaning'") == 2)

            // Their certificates: listed with the check link, printed as one file, one revoked.
            let certificates = try await cli.ok("release", "certificate", "JS-09")
            #expect(certificates.contains("JS-09-RC-") && certificates.contains("/verify/"), "\(certificates)")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("certificates-\(UUID()).pdf")
            defer { try? FileManager.default.removeItem(at: file) }
            let wrote = try await cli.ok(
                "release", "certificate", "JS-09", "--patient", ids[1], "--patient", ids[0], "--out", file.path)
            #expect(wrote.contains("wrote 2 certificate(s)"), "\(wrote)")
            #expect(try Data(contentsOf: file).prefix(4) == Data("%PDF".utf8))
            let notReleased = try await cli.run(
                "release", "certificate", "JS-09", "--patient", ids[2], "--out", file.path)
            #expect(notReleased.status != 0 && notReleased.err.contains("patientIds[0]"), "\(notReleased.err)")
            let revoked = try await cli.ok(
                "release", "certificate", "JS-09", "--patient", ids[0], "--revoke", "issued to the wrong person")
            #expect(revoked.contains("revoked"), "\(revoked)")
            let json = try await cli.ok("release", "certificate", "JS-09", "--patient", ids[0], "--json")
            #expect(json.contains("issued to the wrong person"), "\(json)")

            // Home: the committee is added, a bus planned for the two released, its manifest read.
            let committee = try await cli.ok(
                "committee", "add", "金山区", "--name", "卫零居委会", "--street", "石化街道", "--contact-phone", "021-57940000")
            #expect(committee.contains("added"), "\(committee)")
            let committeeId = String(try #require(committee.split(whereSeparator: \.isWhitespace).last))
            let hook = try await cli.ok("committee", "webhook", committeeId, "https://committee.example/hook")
            #expect(hook.contains("webhook secret (shown once): whsec_"), "\(hook)")
            let departs = RFC3339.string(Date(timeIntervalSinceNow: 3600))
            let plan = try await cli.ok("release", "bus", "plan", "JS-09", "--seats", "10", "--departs", departs)
            #expect(plan.contains("planned 1 bus(es) for 2 people") && plan.contains("石化街道"), "\(plan)")
            let outbox = try await cli.ok("webhook", "list")
            #expect(outbox.contains("卫零居委会") && outbox.contains("committee.arrivals"), "\(outbox)")
            let buses = try await cli.ok("release", "bus", "list", "JS-09", "--json")
            let bus = try #require(
                (try JSONSerialization.jsonObject(with: Data(buses.utf8)) as? [[String: String]])?.first?["id"])
            let manifest = try await cli.ok("release", "manifest", "JS-09", bus)
            #expect(manifest.contains("张三") && manifest.contains("李四") && !manifest.contains("王五"), "\(manifest)")
            let departed = try await cli.ok("release", "bus", "depart", "JS-09", bus)
            #expect(departed.contains("left at"), "\(departed)")
        }
    }

    @Test(
        "the demo seed has people ready to go, signed off, others waiting for a clinician, one revoked certificate, a bus home waiting for its committee, and a patient turning worse with an alert waiting"
    )
    func seed() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            _ = try await cli.ok("seed")
            let signed = try await db.count("SELECT count(*)::int FROM release_sign_offs WHERE withdrawn_at IS NULL")
            #expect(signed >= 1)
            let site = try await db.strings(
                "SELECT s.code FROM sites s JOIN release_sign_offs r ON r.site_id = s.id LIMIT 1")
            let list = try await cli.ok("release", "list", try #require(site.first), "--json")
            let rows = try JSONSerialization.jsonObject(with: Data(list.utf8)) as? [[String: Any]] ?? []
            #expect(rows.contains { $0["signOff"] != nil } && rows.contains { $0["signOff"] == nil }, "\(list)")
            #expect(
                try await db.count("SELECT count(*)::int FROM release_certificates WHERE revoked_at IS NOT NULL") == 1)
            #expect(try await db.count("SELECT count(*)::int FROM release_certificates WHERE revoked_at IS NULL") >= 1)
            #expect(try await db.count("SELECT count(*)::int FROM release_buses WHERE departed_at IS NULL") >= 1)
            #expect(
                try await db.count("SELECT count(*)::int FROM committee_notices WHERE acknowledged_at IS NULL") >= 1,
                "a bus home waits for its committee's answer")
            let turning = try await db.strings(
                """
                SELECT s.code || ' ' || d.patient_id FROM deterioration_alerts d JOIN sites s ON s.id = d.site_id
                WHERE d.acknowledged_at IS NULL AND d.level = 'urgent' AND d.score = 6 LIMIT 1
                """)
            let code = try #require(turning.first, "an urgent alert waits").split(separator: " ").map(String.init)
            let sets = try await cli.ok("vitals", "list", code[0], code[1])
            #expect(
                sets.contains("6 medium") && sets.contains("4 low") && sets.contains("0 low"),
                "worse each time: \(sets)")
        }
    }
}
