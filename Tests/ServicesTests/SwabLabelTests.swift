import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Tube labels and wristbands: PDF a scanner reads")
struct SwabLabelTests {
    typealias F = SwabFixture

    /// The codes zbar reads from each page of `pdf`, rendered at `dpi` as a printer would (a
    /// thermal printer prints 203 or 300 dpi; an office printer more).
    static func decoded(_ pdf: Data, pages: ClosedRange<Int>? = nil, dpi: Int = 200) async throws -> [[String]] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("labels-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("labels.pdf")
        try pdf.write(to: file)
        let range = pages.map { ["-f", String($0.lowerBound), "-l", String($0.upperBound)] } ?? []
        _ = try await Tools.output(
            "pdftoppm",
            arguments: ["-r", String(dpi), "-png"] + range + [file.path, folder.appendingPathComponent("page").path])
        let images = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".png") }
            .sorted()
        var codes: [[String]] = []
        for image in images {
            codes.append(
                try await Tools.output("zbarimg", "--quiet", "--raw", folder.appendingPathComponent(image).path)
                    .split(separator: "\n").map(String.init))
        }
        return codes
    }

    static func text(_ pdf: Data) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("labels-\(UUID()).pdf")
        try pdf.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await Tools.output("pdftotext", "-layout", file.path, "-")
    }

    @Test(
        "a zone's labels on A4 sheets of 24 and on thermal labels: every barcode decodes to its tube, with bed and name in print"
    )
    func zoneLabels() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let beds = try await f.services.beds.createRange(
                siteId: f.site, BedRange(zoneId: f.demo.zoneA.id, prefix: "L-", first: 1, last: 26, width: 2),
                actor: F.op)
            for n in 0..<26 { _ = try await f.admit(n + 1, bed: n, daysAgo: 2, beds: beds) }
            _ = try await f.services.swabs.makeRound(siteId: f.site, actor: F.op)
            let tubes = try await f.tubes()
            #expect(tubes.count == 26)

            let a4 = try await f.services.swabs.labels(
                siteId: f.site, day: f.demo.siteA.today, zoneId: f.demo.zoneA.id, sheet: .a4, actor: F.op)
            let pages = try await Self.decoded(a4)
            #expect(pages.map(\.count) == [24, 2], "24 labels a sheet")
            #expect(Set(pages.joined()) == Set(tubes.map(\.accession.description)))
            let text = try await Self.text(a4)
            #expect(text.contains("病人1") && text.contains("L-01") && text.contains(f.demo.siteA.today.description))

            let thermal = try await f.services.swabs.labels(
                siteId: f.site, day: f.demo.siteA.today, sheet: .thermal, actor: F.op)
            let first = try await Self.decoded(thermal, pages: 1...2, dpi: 300)
            #expect(first.map(\.count) == [1, 1])
            #expect(first.joined().allSatisfy { code in tubes.contains { $0.accession.description == code } })
            #expect(try await Self.text(thermal).components(separatedBy: "\u{0C}").count - 1 == 26, "one label a page")

            // Reprint two tubes only.
            let two = Array(tubes.suffix(2).map(\.accession))
            let reprint = try await f.services.swabs.labels(
                siteId: f.site, day: f.demo.siteA.today, accessions: two, sheet: .a4, actor: F.op)
            #expect(Set(try await Self.decoded(reprint).joined()) == Set(two.map(\.description)))

            await #expect(throws: DomainError.self) {
                _ = try await f.services.swabs.labels(
                    siteId: f.site, day: f.demo.siteA.today.adding(days: 1), sheet: .a4, actor: F.op)
            }
            await #expect(throws: DomainError.self) {
                _ = try await f.services.swabs.labels(
                    siteId: f.site, day: f.demo.siteA.today, sheet: .a4, actor: try await f.actor("pharmacistA"))
            }
        }
    }

    @Test("a wristband's barcode decodes to the code the bedside page checks, beside the name and birth date")
    func wristband() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let patient = try await f.admit(7, bed: 0, daysAgo: 1)
            let pdf = try await f.services.swabs.wristband(siteId: f.site, patientId: patient.id, actor: F.op)
            let code = try #require(WristbandCode(patientId: patient.id)).description
            #expect(try await Self.decoded(pdf) == [[code]])
            #expect(try WristbandCode(parsing: code).patientId == patient.id)
            let text = try await Self.text(pdf)
            #expect(text.contains("病人7") && text.contains("1969-09-02") && text.contains("A-001"), "\(text)")
        }
    }

    @Test("a bus admitted at once prints its wristbands one a page, each decoding to its patient's code")
    func busWristbands() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let born = CalendarDate(year: 1969, month: 9, day: 2)
            let list = TransferList(
                reference: "金山-0412-09", expectedAt: Date(timeIntervalSinceNow: 3600),
                persons: (1...3).map {
                    TransferPerson(
                        name: "乘客\($0)", sex: .male, dateOfBirth: born, nationalId: testNationalID(sequence: $0))
                })
            let batch = try await f.services.intake.importList(siteId: f.site, list, actor: F.op)
            await #expect(throws: DomainError.self, "nobody admitted yet") {
                _ = try await f.services.swabs.wristbands(siteId: f.site, batchId: batch.id, actor: F.op)
            }
            _ = try await f.services.intake.propose(siteId: f.site, batchId: batch.id, actor: F.op)
            let admitted = try await f.services.intake.admit(siteId: f.site, batchId: batch.id, actor: F.op).admitted
            #expect(admitted.count == 3)
            let pdf = try await f.services.swabs.wristbands(siteId: f.site, batchId: batch.id, actor: F.op)
            let codes = try await Self.decoded(pdf)
            #expect(codes.count == 3 && codes.allSatisfy { $0.count == 1 })
            #expect(
                Set(codes.joined())
                    == Set(admitted.map { WristbandCode(patientId: $0.patientId)!.description }))
            #expect(try await Self.text(pdf).contains("乘客2"))
        }
    }
}
