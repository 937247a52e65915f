import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Dispatch: collected tubes to a laboratory in a box, with its manifest")
struct SwabDispatchTests {
    typealias F = SwabFixture

    /// Site A with `count` patients due, today's round made, and the first `taken` tubes taken.
    static func collected(_ f: F, count: Int, taken: Int) async throws -> [Specimen] {
        var patients: [Patient] = []
        for n in 0..<count { patients.append(try await f.admit(n + 1, bed: n, daysAgo: 2)) }
        _ = try await f.services.swabs.makeRound(siteId: f.site, actor: F.op)
        let tubes = try await f.tubes()
        for tube in tubes.prefix(taken) {
            _ = try await f.services.swabs.recordCollection(
                siteId: f.site, accession: tube.accession,
                .collected(wristband: WristbandCode(patientId: tube.patientId)!, at: Date()), actor: F.op)
        }
        return tubes
    }

    @Test("a box takes only collected tubes, every other one named by its line, and its manifest counts what it holds")
    func packing() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let lab = try await f.services.laboratories.add(
                LaboratoryDraft(code: "JS-LAB1", name: "金山方舱实验室"), actor: F.op)
            await #expect(throws: DomainError.self) {
                _ = try await f.services.laboratories.add(LaboratoryDraft(code: "js-lab1", name: "again"), actor: F.op)
            }
            let tubes = try await Self.collected(f, count: 4, taken: 3)
            let taken = tubes.prefix(3).map(\.accession)
            do {
                _ = try await f.services.swabs.dispatch(
                    siteId: f.site, laboratoryId: lab.id,
                    scanned: [taken[0], tubes[3].accession, taken[0]].map(\.description), actor: F.op)
                Issue.record("a box with a tube not taken was sent")
            } catch DomainError.invalid(let issues) {
                #expect(issues.map(\.field) == ["accessions[1]", "accessions[2]"])
                #expect(issues[0].detail == "tube \(tubes[3].accession) has not been taken")
                #expect(issues[1].detail == "tube \(taken[0]) is scanned twice")
            }
            #expect(try await db.count("SELECT count(*)::int FROM specimen_boxes") == 0)

            let box = try await f.services.swabs.dispatch(
                siteId: f.site, laboratoryId: lab.id, scanned: taken.prefix(2).map(\.description), actor: F.op)
            #expect(box.box.tubes == 2 && box.tubes.map(\.accession) == Array(taken.prefix(2)))
            #expect(box.tubes.allSatisfy { $0.status == .sent })
            let csv = try await f.services.swabs.manifestCSV(siteId: f.site, boxId: box.box.id, actor: F.op)
            let lines = csv.split(separator: "\n")
            #expect(lines.first == "accession,name,bed,round_date,collected_at")
            #expect(lines.count - 1 == box.box.tubes && csv.contains("病人1") && csv.contains(taken[0].description))
            let pdf = try await f.services.swabs.manifestPDF(siteId: f.site, boxId: box.box.id, actor: F.op)
            let text = try await SwabLabelTests.text(pdf)
            #expect(text.contains("金山方舱实验室") && text.contains(taken[1].description), "\(text)")

            // The rest: every collected tube not yet sent, which is the third.
            let rest = try await f.services.swabs.dispatch(
                siteId: f.site, laboratoryId: lab.id, scanned: nil, actor: F.op)
            #expect(rest.tubes.map(\.accession) == [taken[2]])
            await #expect(throws: DomainError.conflict("no collected tube is waiting to be sent", field: "accessions"))
            {
                _ = try await f.services.swabs.dispatch(siteId: f.site, laboratoryId: lab.id, scanned: nil, actor: F.op)
            }
            let round = try await f.services.swabs.round(siteId: f.site, actor: F.op)
            #expect(round.total.sent == 3 && round.total.due == 1)
            #expect(try await f.services.swabs.boxes(siteId: f.site, actor: F.op).map(\.tubes) == [1, 2])
        }
    }

    @Test(
        "two clerks packing the same tubes at once: one box holds them, the other is refused and nothing of it is kept")
    func racingBoxes() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let lab = try await f.services.laboratories.add(LaboratoryDraft(code: "LAB2", name: "Lab 2"), actor: F.op)
            let tubes = try await Self.collected(f, count: 3, taken: 3).map(\.accession)
            async let one = Result(awaiting: {
                try await f.services.swabs.dispatch(
                    siteId: f.site, laboratoryId: lab.id, scanned: tubes.map(\.description), actor: F.op)
            })
            async let two = Result(awaiting: {
                try await f.services.swabs.dispatch(
                    siteId: f.site, laboratoryId: lab.id, scanned: tubes.map(\.description), actor: F.op)
            })
            let results = await [one, two]
            #expect(results.filter { (try? $0.get()) != nil }.count == 1)
            #expect(try await db.count("SELECT count(*)::int FROM specimen_boxes") == 1)
            #expect(try await db.count("SELECT count(DISTINCT box_id)::int FROM specimens WHERE status = 'sent'") == 1)
        }
    }
}

extension Result where Failure == any Error {
    init(awaiting body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
