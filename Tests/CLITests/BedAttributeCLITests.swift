import Foundation
import TestSupport
import Testing

@Suite("Bed attributes from the command line")
struct BedAttributeCLITests {
    @Test("a bay added with its attributes, a room set on one bed, both listed; a clash is refused on stderr")
    func bedAttributes() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            try await cli.siteWithZoneA()
            _ = try await cli.ok(
                "bed", "add", "JS-09", "--zone", "A", "--prefix", "B3-", "--from", "1", "--to", "4", "--width", "2",
                "--bay", "B3", "--single-sex", "female", "--oxygen")
            _ = try await cli.ok("bed", "add", "JS-09", "--zone", "A", "--code", "A-301")
            #expect(
                try await cli.ok(
                    "bed", "attributes", "JS-09", "A-301", "--room", "301", "--near-station", "--accessible"
                )
                .contains("bed A-301: room 301"))
            let table = try await cli.ok("bed", "list", "JS-09")
            #expect(table.contains("bay B3") && table.contains("female") && table.contains("oxygen"))
            #expect(table.contains("room 301") && table.contains("near-station accessible"))
            let beds =
                try JSONSerialization.jsonObject(with: Data(try await cli.ok("bed", "list", "JS-09", "--json").utf8))
                as! [[String: Any]]
            let first = beds.first { $0["code"] as? String == "B3-01" }?["attributes"] as? [String: Any]
            #expect(first?["bay"] as? String == "B3" && first?["singleSex"] as? String == "female")

            let clash = try await cli.run(
                "bed", "add", "JS-09", "--zone", "A", "--code", "B3-05", "--bay", "B3", "--single-sex", "male")
            #expect(clash.status != 0 && clash.err.contains("bay B3 is kept for women"), "\(clash.err)")
            let badSex = try await cli.run(
                "bed", "attributes", "JS-09", "A-301", "--room", "301", "--single-sex", "other")
            #expect(badSex.status != 0 && badSex.err.contains("--single-sex must be one of female, male"))
            #expect(try await db.count("SELECT count(*)::int FROM beds WHERE code = 'B3-05'") == 0)
        }
    }
}
