import Foundation
import TestSupport
import Testing

@Suite("CLI: staff and rosters")
struct RosterCLITests {
    @Test("the demo roster's deliberate problems are found by `roster check`, shown in the grid, and block publishing")
    func seededRoster() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            #expect(try await cli.run("seed").status == 0)
            let check = try await cli.run("roster", "check", "JS-01")
            #expect(check.status == 1, "hard findings exit with 1")
            for rule in [
                "not_present", "ppe_certification", "profession_mismatch", "minimum_rest", "contaminated_cap",
                "under_staffed", "consecutive_days",
            ] {
                #expect(check.out.contains(rule), "\(rule) missing from:\n\(check.out)")
            }
            #expect(check.out.contains("葛一鸣 is a doctor; the shift needs a nurse"))
            let grid = try await cli.ok("roster", "show", "JS-01")
            #expect(grid.contains("20:00-02:00  A     nurse"))
            #expect(grid.contains("1/2!"))
            let publish = try await cli.run("roster", "publish", "JS-01")
            #expect(publish.status != 0)
            #expect(publish.err.contains("ppe_certification"))
            #expect(
                try await db.count("SELECT count(*)::int FROM shift_assignments WHERE state = 'published'") > 0,
                "the seed published its first day")
            #expect(try await cli.ok("staff", "list", "JS-01").contains("许春梅"))
            #expect(try await cli.ok("team", "list", "JS-01").contains("第二批医疗队（申城中医）"))
            #expect(
                try await db.count("SELECT count(*)::int FROM staff WHERE user_id IS NOT NULL") == 2,
                "the seed links nurse-fang and dr-lin to their staff records")
            #expect(try await cli.ok("staff", "link", "JS-01", "SC-N02", "--unlink").contains("no longer linked"))
            #expect(
                try await cli.ok("staff", "link", "JS-01", "PJ-N01", "nurse-fang").contains(
                    "PJ-N01 signs in as nurse-fang"))
            #expect(
                try await cli.run("staff", "link", "JS-01", "PJ-N02", "nurse-fang").status != 0, "one person per user")
            #expect(try await cli.run("staff", "link", "JS-01", "PJ-N02").status != 0, "a user name or --unlink")
            let inAWeek = ISO8601DateFormatter.string(
                from: Date().addingTimeInterval(7 * 86_400), timeZone: TimeZone(identifier: "Asia/Shanghai")!,
                formatOptions: [.withFullDate])
            let expiring = try await cli.ok(
                "training", "list", "JS-01", "--kind", "ppe_donning_doffing", "--expiring-by", inAWeek)
            #expect(
                expiring.contains("PJ-N05") && expiring.contains("PJ-D04"),
                "the two certificates expiring in the demo week:\n\(expiring)")
            #expect(!expiring.contains("PJ-N02"))
            let ics = try await cli.ok("roster", "export", "JS-01", "--format", "ics", "--staff", "PJ-N02")
            #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\n"))
        }
    }

    @Test("`roster import` checks every row first: one bad line writes nothing; the fixed file loads and exports back")
    func importFile() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            _ = try await cli.ok(
                "site", "create", "--code", "JS-09", "--name", "演示点", "--district", "金山区", "--capacity", "40")
            _ = try await cli.ok("zone", "add", "JS-09", "--code", "A", "--name", "A 区", "--kind", "contaminated")
            _ = try await cli.ok(
                "team", "add", "JS-09", "--name", "第一批", "--hospital", "浦江一院", "--arrives", "2022-04-03")
            for code in ["N1", "N2"] {
                _ = try await cli.ok(
                    "staff", "add", "JS-09", "--code", code, "--name", "护士\(code)", "--hospital", "浦江一院",
                    "--profession", "nurse", "--team", "第一批")
                _ = try await cli.ok("training", "add", "JS-09", code, "--gained", "2022-04-03", "--by", "护士长")
            }
            let day = Soon.day(20)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: file) }
            try
                "date,start,end,zone,requires,min_staff,max_staff,staff_code\n\(day),08:00,12:00,A,nurse,1,2,N1\n\(day),08:00,12:00,A,nurse,1,2,N7\n"
                .write(to: file, atomically: true, encoding: .utf8)
            let refused = try await cli.run("roster", "import", "JS-09", file.path)
            #expect(refused.status != 0)
            #expect(refused.err.contains("line 3: staff_code: no member of staff N7 at this site"))
            #expect(try await db.count("SELECT count(*)::int FROM shift_assignments") == 0)
            try
                "date,start,end,zone,requires,min_staff,max_staff,staff_code\n\(day),08:00,12:00,A,nurse,1,2,N1\n\(day),08:00,12:00,A,nurse,1,2,N2\n"
                .write(to: file, atomically: true, encoding: .utf8)
            #expect(
                try await cli.ok("roster", "import", "JS-09", file.path).contains(
                    "2 assignment(s) and 1 shift(s) created"))
            let exported = try await cli.ok("roster", "export", "JS-09", "--from", day, "--through", day)
            #expect(
                exported
                    == "date,start,end,zone,requires,min_staff,max_staff,staff_code\n\(day),08:00,12:00,A,nurse,1,2,N1\n\(day),08:00,12:00,A,nurse,1,2,N2\n"
            )
            #expect(
                try await cli.ok("roster", "publish", "JS-09", "--from", day, "--through", day).contains(
                    "published 2 assignment(s)"))
            let id = String(try await db.count("SELECT min(id)::int FROM shift_assignments"))
            // A published assignment is edited against the version read, as the API's If-Match.
            let blind = try await cli.run("roster", "cancel", "JS-09", id)
            #expect(blind.status != 0)
            #expect(
                blind.err.contains("assignment \(id) is published: read it (`cordon roster assignment JS-09 \(id)`)"))
            let version =
                try JSONSerialization.jsonObject(
                    with: Data(try await cli.ok("roster", "assignment", "JS-09", id, "--json").utf8)) as! [String: Any]
            let read = version["version"] as! Int
            let stale = try await cli.run("roster", "cancel", "JS-09", id, "--if-version", String(read + 1))
            #expect(stale.status != 0)
            #expect(stale.err.contains("the record changed meanwhile (now version \(read))"))
            #expect(try await db.count("SELECT count(*)::int FROM shift_assignments WHERE state = 'cancelled'") == 0)
            #expect(
                try await cli.ok("roster", "cancel", "JS-09", id, "--if-version", String(read)).contains("cancelled"))
            let coverage =
                try JSONSerialization.jsonObject(
                    with: Data(
                        try await cli.ok("roster", "coverage", "JS-09", "--from", day, "--days", "1", "--json").utf8))
                as! [[String: Any]]
            #expect(
                coverage.map { [$0["assigned"] as? Int, $0["published"] as? Int, $0["gap"] as? Int] } == [[1, 1, 0]])
        }
    }
}
