import Foundation
import TestSupport
import Testing

@Suite("CLI: stock and care")
struct StockAndCareCLITests {
    @Test("receive, dispense, transfer, count, write off, and read on-hand, ledger and alerts from the command line")
    func stock() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            try await cli.siteWithZoneA()
            _ = try await cli.ok(
                "medication", "add", "--code", "AMLO-5", "--name", "amlodipine", "--strength", "5 mg", "--pack-size",
                "28")
            _ = try await cli.ok(
                "stock", "location", "JS-09", "--code", "PHARM", "--name", "Pharmacy", "--kind", "pharmacy")
            _ = try await cli.ok(
                "stock", "location", "JS-09", "--code", "CAB-A", "--name", "Cabinet A", "--kind", "cabinet", "--zone",
                "A")
            #expect(
                try await cli.ok(
                    "stock", "receive", "JS-09", "--location", "PHARM", "--medication", "AMLO-5", "--lot", "L1",
                    "--expires", "2031-01-31", "--packs", "2", "--quantity", "3"
                ).contains("+59"))
            #expect(
                try await cli.ok(
                    "stock", "dispense", "JS-09", "--location", "PHARM", "--medication", "AMLO-5", "--quantity", "1",
                    "--reason", "morning round"
                ).contains("-1"))
            _ = try await cli.ok(
                "stock", "transfer", "JS-09", "--from", "PHARM", "--to", "CAB-A", "--medication", "AMLO-5",
                "--quantity", "10",
                "--reason", "restock ward A")
            let noReason = try await cli.run(
                "stock", "count", "JS-09", "--location", "PHARM", "--medication", "AMLO-5", "--lot", "L1", "--counted",
                "40")
            #expect(noReason.status != 0)
            #expect(noReason.err.contains("reason: is required: the count differs from the books by -8"))
            _ = try await cli.ok(
                "stock", "count", "JS-09", "--location", "PHARM", "--medication", "AMLO-5", "--lot", "L1", "--counted",
                "40",
                "--reason", "8 found crushed")
            _ = try await cli.ok(
                "stock", "write-off", "JS-09", "--location", "CAB-A", "--medication", "AMLO-5", "--lot", "L1",
                "--quantity", "2",
                "--reason", "dropped on the ward floor")
            let onHand =
                try JSONSerialization.jsonObject(
                    with: Data(try await cli.ok("stock", "on-hand", "JS-09", "--json").utf8))
                as! [[String: Any]]
            #expect(onHand.compactMap { $0["quantity"] as? Int }.sorted() == [8, 40])
            let ledger =
                try JSONSerialization.jsonObject(
                    with: Data(try await cli.ok("stock", "ledger", "JS-09", "--json").utf8))
                as! [[String: Any]]
            #expect(
                ledger.map { $0["kind"] as? String } == [
                    "receipt", "dispense", "transfer_out", "transfer_in", "count", "write_off",
                ])
            #expect(ledger.compactMap { $0["quantityChange"] as? Int }.reduce(0, +) == 48)
            _ = try await cli.ok(
                "stock", "level", "JS-09", "--medication", "AMLO-5", "--minimum", "50", "--reorder", "100")
            #expect(try await cli.ok("stock", "alerts", "JS-09").contains("below_minimum"))
        }
    }

    @Test("the demo seed's care plans, worklist and stock read back from the command line")
    func careFromSeed() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            #expect(try await cli.run("seed").status == 0)
            let plans =
                try JSONSerialization.jsonObject(
                    with: Data(try await cli.run("careplan", "list", "JS-01", "--json").out.utf8)) as! [[String: Any]]
            #expect(plans.count == 4)
            #expect(plans.allSatisfy { $0["status"] as? String == "active" })
            let shown = try await cli.run("careplan", "show", "JS-01", "1")
            #expect(shown.status == 0)
            #expect(shown.out.contains("systolic 186 mmHg (>= 180)"))
            let worklist =
                try JSONSerialization.jsonObject(with: Data(try await cli.run("worklist", "JS-01", "--json").out.utf8))
                as! [String: Any]
            #expect((worklist["dosesDue"] as? [Any])?.isEmpty == false)
            #expect((worklist["plansDueForReview"] as? [Any])?.count == 4)
            #expect(
                ((worklist["stockAlerts"] as? [[String: Any]]) ?? []).contains {
                    $0["kind"] as? String == "expired_on_shelf"
                })
            #expect(try await db.count("SELECT count(*)::int FROM medications") >= 8)
        }
    }
}

@Suite("CLI: seed")
struct SeedCLITests {
    @Test("a demo site that is only partly loaded is reported, not mistaken for a loaded one")
    func partialSeed() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            _ = try await cli.ok(
                "site", "create", "--code", "JS-01", "--name", "half", "--district", "金山区", "--capacity", "10")
            let result = try await cli.run("seed")
            #expect(result.status != 0)
            #expect(result.err.contains("demo site JS-01 is only partly loaded (0 of 38 patients)"))
        }
    }
}
