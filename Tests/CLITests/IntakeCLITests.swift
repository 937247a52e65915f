import Foundation
import TestSupport
import Testing

@Suite("Intake from the command line")
struct IntakeCLITests {
    @Test("a bus's CSV refused by line, then imported, proposed, admitted, admitted again safely, and listed")
    func bus() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            try await cli.siteWithZoneA()
            _ = try await cli.ok(
                "bed", "add", "JS-09", "--zone", "A", "--prefix", "A-", "--from", "1", "--to", "4", "--near-station")
            _ = try await cli.ok(
                "bed", "add", "JS-09", "--zone", "A", "--prefix", "R-", "--from", "1", "--to", "2", "--room", "301")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("bus-\(UUID()).csv")
            defer { try? FileManager.default.removeItem(at: file) }
            let rows = [
                "name,sex,date_of_birth,national_id,household,vulnerabilities",
                "张三,男,1969-09-02,\(testNationalID(sequence: 1)),H1,",
                "张嫂,女,1969-09-02,\(testNationalID(sequence: 2)),H1,",
                "李奶奶,女,1944-01-01,\(testNationalID(born: "19440101", sequence: 3)),,慢性病",
            ]
            let valid = testNationalID(sequence: 5)
            let badCheckDigit = String(valid.dropLast()) + (valid.last == "1" ? "2" : "1")
            try (rows + ["错行,男,1969-09-02,\(badCheckDigit),,"]).joined(separator: "\n").write(
                to: file, atomically: true, encoding: .utf8)
            let refused = try await cli.run("intake", "import", "JS-09", file.path, "--reference", "金山-0412-03")
            #expect(refused.status != 0 && refused.err.contains("line 5: national_id: check digit"), "\(refused.err)")
            #expect(refused.err.contains("expectedAt: give when the bus is expected"), "\(refused.err)")
            try rows.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            #expect(
                try await cli.ok(
                    "intake", "import", "JS-09", file.path, "--reference", "金山-0412-03", "--expected",
                    "2022-04-12 22:30"
                ).contains("3 people expected"))
            #expect(try await cli.ok("intake", "list", "JS-09").contains("金山-0412-03"))
            let proposal = try await cli.ok("intake", "propose", "JS-09", "金山-0412-03")
            #expect(proposal.contains("3 of 3 expected have a bed"), "\(proposal)")
            #expect(proposal.contains(" and a chronic disease; opens zone A"), "\(proposal)")
            #expect(proposal.contains("with household H1 (2 people) in room 301"), "\(proposal)")
            #expect(
                try await cli.ok("intake", "admit", "JS-09", "金山-0412-03").contains(
                    "3 admitted now, 0 already admitted"))
            #expect(
                try await cli.ok("intake", "admit", "JS-09", "金山-0412-03").contains(
                    "0 admitted now, 3 already admitted"))
            let people = try await cli.ok("intake", "list", "JS-09", "金山-0412-03")
            #expect(people.components(separatedBy: "admitted").count - 1 == 3, "\(people)")
            let cancel = try await cli.run("intake", "cancel", "JS-09", "1")
            #expect(cancel.status != 0 && cancel.err.contains("cannot go from admitted to cancelled"), "\(cancel.err)")
            #expect(try await db.count("SELECT count(*)::int FROM patients") == 3)
        }
    }
}
