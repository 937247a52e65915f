import Domain
import Foundation
import TestSupport
import Testing

@Suite("The swab round from the command line")
struct SwabCLITests {
    @Test(
        "a round made twice, its tubes listed, a tube refused against another wristband and taken against its own, then sent in a box with its manifest"
    )
    func round() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            try await cli.siteWithZoneA()
            _ = try await cli.ok("bed", "add", "JS-09", "--zone", "A", "--prefix", "A-", "--from", "1", "--to", "3")
            let twoDaysAgo = Date(timeIntervalSinceNow: -2 * 86_400)
            var ids: [Int64] = []
            for (n, name) in [(1, "张三"), (2, "李四")] {
                let out = try await cli.ok(
                    "patient", "admit", "JS-09", "--bed", "A-00\(n)", "--name", name, "--sex", "male", "--born",
                    "1969-09-02", "--national-id", testNationalID(sequence: n), "--at", RFC3339.string(twoDaysAgo))
                ids.append(Int64(out.split(whereSeparator: \.isWhitespace).last.map(String.init) ?? "") ?? 0)
            }
            let made = try await cli.ok("swab", "round", "JS-09")
            #expect(made.contains("2 tube(s) printed, 0 moved, 0 cancelled"), "\(made)")
            #expect(try await cli.ok("swab", "round", "JS-09").contains("0 tube(s) printed"))
            let listed = try await cli.ok("swab", "list", "JS-09", "--zone", "A")
            #expect(listed.contains("A-001") && listed.contains("张三") && listed.contains("due"), "\(listed)")
            struct Tube: Decodable {
                var accession: String
                var patientId: Int64
            }
            let tubes = try JSONDecoder().decode(
                [Tube].self, from: Data(try await cli.ok("swab", "list", "JS-09", "--json").utf8))
            let zhang = try #require(tubes.first { $0.patientId == ids[0] })
            let liBand = WristbandCode(patientId: Patient.ID(ids[1]))!.description
            let refused = try await cli.run("swab", "collect", "JS-09", zhang.accession, "--wristband", liBand)
            #expect(refused.status != 0 && refused.err.contains("another patient's"), "\(refused.err)")
            let zhangBand = WristbandCode(patientId: Patient.ID(ids[0]))!.description
            let taken = try await cli.ok("swab", "collect", "JS-09", zhang.accession, "--wristband", zhangBand)
            #expect(taken.contains("张三 (bed A-001): collected"), "\(taken)")
            let misread = try await cli.run("swab", "collect", "JS-09", "S00000000019", "--not-collected", "asleep")
            #expect(misread.status != 0 && misread.err.contains("check character"), "\(misread.err)")
            #expect(try await cli.ok("lab", "add", "--code", "JS-PCR1", "--name", "金山检测").contains("registered"))
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("box-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let notTaken = tubes.first { $0.patientId == ids[1] }!.accession
            let unsent = try await cli.run("swab", "send", "JS-09", zhang.accession, notTaken, "--lab", "js-pcr1")
            #expect(unsent.status != 0 && unsent.err.contains("has not been taken"), "\(unsent.err)")
            let sent = try await cli.ok(
                "swab", "send", "JS-09", "--all", "--lab", "js-pcr1", "--csv",
                folder.appendingPathComponent("m.csv").path,
                "--pdf", folder.appendingPathComponent("m.pdf").path)
            #expect(sent.contains("box 1 of 1 tube(s) sent to 金山检测"), "\(sent)")
            let manifest = try String(contentsOf: folder.appendingPathComponent("m.csv"), encoding: .utf8)
            #expect(manifest.contains(zhang.accession) && manifest.split(separator: "\n").count == 2)
            #expect(try await cli.ok("swab", "boxes", "JS-09").contains("JS-PCR1"))
            _ = try await cli.ok(
                "swab", "labels", "JS-09", "--zone", "A", "--out", folder.appendingPathComponent("l.pdf").path)
            #expect(try Data(contentsOf: folder.appendingPathComponent("l.pdf")).starts(with: Data("%PDF".utf8)))
            #expect(try await cli.ok("swab", "schedule", "JS-09", "--interval", "2").contains("then every 2 day(s)"))
            #expect(try await db.count("SELECT count(*)::int FROM specimens WHERE status = 'sent'") == 1)
        }
    }
}
