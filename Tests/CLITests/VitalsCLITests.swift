import Domain
import Foundation
import TestSupport
import Testing

@Suite("Vital signs from the command line")
struct VitalsCLITests {
    @Test("a set recorded and scored, a partial one kept, the list, scale 2 set; a bad value refused naming the field")
    func vitals() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            try await cli.siteWithZoneA()
            _ = try await cli.ok("bed", "add", "JS-09", "--zone", "A", "--prefix", "A-", "--from", "1", "--to", "1")
            let admitted = try await cli.ok(
                "patient", "admit", "JS-09", "--bed", "A-001", "--name", "张三", "--sex", "male", "--born", "1950-03-02",
                "--national-id", testNationalID(born: "19500302", sequence: 1))
            let id = admitted.split(whereSeparator: \.isWhitespace).last.map(String.init) ?? ""
            let full = try await cli.ok(
                "vitals", "record", "JS-09", id, "--respiration", "26", "--spo2", "91", "--oxygen", "oxygen",
                "--systolic",
                "95", "--pulse", "125", "--consciousness", "confusion", "--temperature", "39.2")
            #expect(full.contains("NEWS2 17 (high, a red 3)"), "3 + 3 + 2 + 2 + 2 + 3 + 2: \(full)")
            let partial = try await cli.ok("vitals", "record", "JS-09", id, "--pulse", "88")
            #expect(partial.contains("partial"), "\(partial)")
            let refused = try await cli.run("vitals", "record", "JS-09", id, "--spo2", "130")
            #expect(refused.status != 0 && refused.err.contains("spo2"), "\(refused.err)")
            let list = try await cli.ok("vitals", "list", "JS-09", id)
            #expect(list.contains("17 high") && list.contains("partial"), "\(list)")
            let scale = try await cli.ok("vitals", "scale", "JS-09", id, "2")
            #expect(scale.contains("scale 2"), "\(scale)")
            #expect(try await db.count("SELECT count(*)::int FROM vital_signs") == 2)
            let alerts = try await cli.ok("alerts", "list", "JS-09")
            #expect(alerts.contains("emergency") && alerts.contains("nobody on shift"), "\(alerts)")
            let alertId = try await db.count("SELECT min(id)::int FROM deterioration_alerts")
            let ack = try await cli.ok("alerts", "ack", "JS-09", String(alertId), "--action", "医生已到床旁，给氧")
            #expect(ack.contains("acknowledged"), "\(ack)")
            let again = try await cli.run("alerts", "ack", "JS-09", String(alertId), "--action", "again")
            #expect(again.status != 0 && again.err.contains("acknowledged already"), "\(again.err)")
        }
    }
}
