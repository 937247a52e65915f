import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Bed attributes: rooms, bays, and rooms kept for one sex")
struct BedAttributeTests {
    static let op = DemoFixture.operatorActor

    /// The fields a refusal names, or nil when `body` did not refuse its input.
    static func refusedFields(_ body: () async throws -> Void) async -> [String]? {
        do {
            try await body()
            return nil
        } catch DomainError.invalid(let issues) {
            return issues.map(\.field)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    static func admission(_ sex: Sex, _ n: Int, bed: Bed.ID) -> Admission {
        Admission(
            name: "病人\(n)", sex: sex, dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2), phone: nil,
            nationalId: testNationalID(sequence: n), severity: .mild, partyMember: false, bedId: bed)
    }

    @Test(
        "a bay imported with its beds is kept for one sex; a bed added later takes the mark, and a clashing one is refused"
    )
    func bayImported() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let demo = try await DemoFixture.make(services)
            let site = demo.siteA.id
            let bay = try await services.beds.createRange(
                siteId: site,
                BedRange(
                    zoneId: demo.zoneA.id, prefix: "B3-", first: 1, last: 4, width: 2,
                    attributes: BedAttributes(bay: "B3", oxygen: true, singleSex: .female)), actor: Self.op)
            #expect(bay.allSatisfy { $0.attributes.place == "bay B3" && $0.attributes.singleSex == .female })
            #expect(bay.allSatisfy { $0.attributes.oxygen && !$0.attributes.nearStation })

            let added = try await services.beds.create(
                siteId: site, zoneId: demo.zoneA.id, code: "B3-05", attributes: BedAttributes(bay: "B3"),
                actor: Self.op)
            #expect(added.attributes.singleSex == .female, "a bed added to a women's bay is a women's bed")

            let clash = await Self.refusedFields {
                _ = try await services.beds.create(
                    siteId: site, zoneId: demo.zoneA.id, code: "B3-06",
                    attributes: BedAttributes(bay: "B3", singleSex: .male), actor: Self.op)
            }
            #expect(clash == ["attributes.singleSex"])
            let clean = try await services.sites.zone(siteId: site, code: "CLN", actor: Self.op)
            let elsewhere = await Self.refusedFields {
                _ = try await services.beds.create(
                    siteId: site, zoneId: clean.id, code: "B3-07", attributes: BedAttributes(bay: "B3"),
                    actor: Self.op)
            }
            #expect(elsewhere == ["attributes.bay"], "a bay lies in one zone")
            #expect(try await db.count("SELECT count(*)::int FROM beds WHERE bay = 'B3'") == 5)
        }
    }

    @Test("attributes that cannot hold are refused, naming the field, and nothing is written")
    func malformedAttributes() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let demo = try await DemoFixture.make(services)
            let bed = demo.bedsA[0]
            for (attributes, field) in [
                (BedAttributes(room: "301", bay: "B3"), "bay"),
                (BedAttributes(singleSex: .male), "singleSex"),
                (BedAttributes(room: " 301"), "room"),
                (BedAttributes(bay: String(repeating: "舱", count: 33)), "bay"),
            ] {
                let fields = await Self.refusedFields {
                    _ = try await services.beds.setAttributes(
                        siteId: demo.siteA.id, bedId: bed.id, attributes, expectedVersion: bed.version,
                        actor: Self.op)
                }
                #expect(fields == [field], "\(attributes)")
            }
            let range = await Self.refusedFields {
                _ = try await services.beds.createRange(
                    siteId: demo.siteA.id,
                    BedRange(
                        zoneId: demo.zoneA.id, prefix: "R-", first: 1, last: 2, width: 1,
                        attributes: BedAttributes(singleSex: .female)), actor: Self.op)
            }
            #expect(range == ["attributes.singleSex"])
            let unchanged = try await services.beds.get(siteId: demo.siteA.id, bedId: bed.id, actor: Self.op)
            #expect(unchanged == bed)
        }
    }

    @Test(
        "marking one bed marks its whole room; a man is not admitted or moved into a women's room; a room holding a man cannot be marked for women"
    )
    func roomKeptForOneSex() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let demo = try await DemoFixture.make(services)
            let site = demo.siteA.id
            let (b1, b2, b3) = (demo.bedsA[0], demo.bedsA[1], demo.bedsA[2])
            for bed in [b1, b2] {
                _ = try await services.beds.setAttributes(
                    siteId: site, bedId: bed.id, BedAttributes(room: "301"), expectedVersion: bed.version,
                    actor: Self.op)
            }
            let marked = try await services.beds.get(siteId: site, bedId: b1.id, actor: Self.op)
            _ = try await services.beds.setAttributes(
                siteId: site, bedId: b1.id, BedAttributes(room: "301", nearStation: true, singleSex: .female),
                expectedVersion: marked.version, actor: Self.op)
            let roommate = try await services.beds.get(siteId: site, bedId: b2.id, actor: Self.op)
            #expect(roommate.attributes == BedAttributes(room: "301", singleSex: .female))

            let refused = await Self.refusedFields {
                _ = try await services.patients.admit(
                    siteId: site, Self.admission(.male, 1, bed: b2.id), actor: Self.op)
            }
            #expect(refused == ["bedId"])
            #expect(try await db.count("SELECT count(*)::int FROM patients") == 0)

            let man = try await services.patients.admit(
                siteId: site, Self.admission(.male, 2, bed: b3.id), actor: Self.op
            ).value
            let moveRefused = await Self.refusedFields {
                _ = try await services.patients.move(
                    siteId: site, patientId: man.id, toBed: b2.id, expectedVersion: man.version, actor: Self.op)
            }
            #expect(moveRefused == ["bedId"])
            _ = try await services.patients.admit(siteId: site, Self.admission(.female, 3, bed: b2.id), actor: Self.op)

            // The man's bed joins room 302; marking 302 for women is refused while he lies there.
            let b3now = try await services.beds.get(siteId: site, bedId: b3.id, actor: Self.op)
            let markRefused = await Self.refusedFields {
                _ = try await services.beds.setAttributes(
                    siteId: site, bedId: b3.id, BedAttributes(room: "302", singleSex: .female),
                    expectedVersion: b3now.version, actor: Self.op)
            }
            #expect(markRefused == ["singleSex"])
            #expect(try await db.count("SELECT count(*)::int FROM beds WHERE room = '302'") == 0)
        }
    }

    @Test("the database refuses a wrong-sex assignment written past the services")
    func databaseFinalWord() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let demo = try await DemoFixture.make(services)
            let bed = demo.bedsA[0]
            _ = try await services.beds.setAttributes(
                siteId: demo.siteA.id, bedId: bed.id, BedAttributes(room: "301", singleSex: .female),
                expectedVersion: bed.version, actor: Self.op)
            let man = try await services.patients.admit(
                siteId: demo.siteA.id, Self.admission(.male, 1, bed: demo.bedsA[1].id), actor: Self.op
            ).value
            await #expect(throws: (any Error).self) {
                try await db.asOwner(
                    """
                    INSERT INTO bed_assignments (site_id, patient_id, bed_id, during)
                    VALUES (\(demo.siteA.id.rawValue), \(man.id.rawValue), \(bed.id.rawValue), tstzrange(now() + interval '1 day', NULL))
                    """)
            }
        }
    }

    @Test("marking a room for men races admitting a woman into it: one of them wins, never both")
    func markRacesAdmission() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let demo = try await DemoFixture.make(services)
            let site = demo.siteA.id
            var outcomes: [(marked: Bool, admitted: Bool)] = []
            for round in 0..<6 {
                let bed = try await services.beds.create(
                    siteId: site, zoneId: demo.zoneA.id, code: "R\(round)-1",
                    attributes: BedAttributes(room: "R\(round)"), actor: Self.op)
                async let mark: Bool = {
                    do {
                        _ = try await services.beds.setAttributes(
                            siteId: site, bedId: bed.id, BedAttributes(room: "R\(round)", singleSex: .male),
                            expectedVersion: bed.version, actor: Self.op)
                        return true
                    } catch { return false }
                }()
                async let admit: Bool = {
                    do {
                        _ = try await services.patients.admit(
                            siteId: site, Self.admission(.female, 10 + round, bed: bed.id), actor: Self.op)
                        return true
                    } catch { return false }
                }()
                outcomes.append(await (mark, admit))
            }
            #expect(outcomes.allSatisfy { $0.marked != $0.admitted }, "\(outcomes)")
            let wrong = try await db.count(
                """
                SELECT count(*)::int FROM bed_assignments a JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
                JOIN patients p ON p.site_id = a.site_id AND p.id = a.patient_id
                WHERE upper_inf(a.during) AND p.sex <> b.single_sex
                """)
            #expect(wrong == 0)
        }
    }
}
