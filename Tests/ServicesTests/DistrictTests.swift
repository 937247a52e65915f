import Domain
import Foundation
import Services
import TestSupport
import Testing

/// The fixture's Jinshan site with a second Jinshan site beside it, and a commander of Jinshan.
struct DistrictFixture {
    var services: CordonServices
    var demo: DemoFixture
    var siteC: Site
    var jinshan: District
    var commander: Actor
    static let op = DemoFixture.operatorActor

    static func make(_ db: TestDatabase) async throws -> DistrictFixture {
        let services = db.services()
        let demo = try await DemoFixture.make(services)
        let siteC = try await services.sites.create(
            SiteDraft(
                code: "TC-01", name: "Test site C", district: "Jinshan", address: "3 Test Road",
                kind: .makeshiftHospital, bedCapacity: 40), actor: op
        ).value
        let hall = try await services.sites.createZone(
            siteId: siteC.id, ZoneDraft(code: "H", name: "Hall", kind: .contaminated), actor: op)
        _ = try await services.beds.createRange(
            siteId: siteC.id,
            BedRange(
                zoneId: hall.id, prefix: "W-", first: 1, last: 12, width: 2,
                attributes: BedAttributes(bay: "W", singleSex: .female)), actor: op)
        _ = try await services.beds.createRange(
            siteId: siteC.id,
            BedRange(
                zoneId: hall.id, prefix: "M-", first: 1, last: 8, width: 2,
                attributes: BedAttributes(bay: "M", nearStation: true, singleSex: .male)), actor: op)
        let jinshan = try await services.districts.district(named: "Jinshan", actor: op)
        _ = try await services.access.createUser(username: "cmd-wu", displayName: "吴指挥", actor: op)
        _ = try await services.access.setGrant(
            username: "cmd-wu", Grant(role: .districtCommander, siteId: nil, districtId: jinshan.id), actor: op)
        let token = try await services.access.issueToken(username: "cmd-wu", actor: op).token
        let commander = try await services.access.authenticate(token: token, origin: .seed)
        return DistrictFixture(services: services, demo: demo, siteC: siteC, jinshan: jinshan, commander: commander)
    }
}

@Suite("The district's bed board and the next bus")
struct DistrictTests {
    typealias F = DistrictFixture

    @Test(
        "the commander's board shows every Jinshan site and no other, with beds by sex and mark, arrivals, today's movements and roster gaps"
    )
    func board() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let a = f.demo.siteA.id
            _ = try await f.services.patients.admit(
                siteId: a,
                Admission(
                    name: "甲", sex: .female, dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2), phone: nil,
                    nationalId: testNationalID(sequence: 1), severity: .mild, partyMember: false,
                    bedId: f.demo.bedsA[0].id), actor: F.op)
            _ = try await f.services.beds.setStatus(
                siteId: a, bedId: f.demo.bedsA[5].id, to: .cleaning, expectedVersion: 1, actor: F.op)
            let list = TransferList(
                reference: "JS-0412-01", expectedAt: Date(timeIntervalSinceNow: 7200),
                persons: [
                    TransferPerson(
                        name: "乙", sex: .male, dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2),
                        nationalId: testNationalID(sequence: 2))
                ])
            let batch = try await f.services.intake.importList(siteId: a, list, actor: F.op)
            _ = try await f.services.intake.propose(siteId: a, batchId: batch.id, actor: F.op)
            _ = try await f.services.roster.createShift(
                siteId: a,
                ShiftDraft(
                    zoneId: f.demo.zoneA.id, requires: nil, label: "夜班", startsAt: Date(timeIntervalSinceNow: 3600),
                    endsAt: Date(timeIntervalSinceNow: 4 * 3600), minStaff: 2, maxStaff: 4), actor: F.op)
            // Two medicines below their levels at TA-01, none at TC-01: the board reads every site's
            // shelves at once and must count as the site's own alerts do.
            for code in ["BRD-1", "BRD-2"] {
                let medication = try await f.services.stock.addMedication(
                    MedicationDraft(
                        code: code, genericName: "测试药", strength: "1 mg", form: "tablet", unitOfIssue: "tablet",
                        packSize: 10), actor: F.op)
                try await f.services.stock.setLevel(
                    siteId: a, StockLevel(medicationId: medication.id, minimum: 10, reorder: 20), actor: F.op)
            }

            let board = try await f.services.districts.board(districtId: f.jinshan.id, actor: f.commander)
            for line in board.sites {
                let own = try await f.services.stockCover.alerts(siteId: line.siteId, actor: F.op)
                #expect(line.stockAlerts == own.count, "\(line.code): the board counts the site's own alerts")
            }
            #expect(board.sites.map(\.stockAlerts) == [2, 0])
            #expect(board.district.name == "Jinshan" && board.sites.map(\.code) == ["TA-01", "TC-01"])
            let siteA = board.sites[0]
            #expect((siteA.beds.total, siteA.beds.occupied, siteA.beds.cleaning) == (6, 1, 1))
            #expect((siteA.beds.free, siteA.beds.heldForArrivals) == (3, 1), "a bed proposed to the bus is held")
            #expect((siteA.expectedArrivals, siteA.admittedToday, siteA.dischargedToday, siteA.inCare) == (1, 1, 0, 1))
            #expect(siteA.nextArrivalAt != nil && siteA.rosterGaps == 1)
            let siteC = board.sites[1]
            #expect((siteC.beds.freeForWomen, siteC.beds.freeForMen, siteC.beds.freeForEither) == (12, 8, 0))
            #expect((siteC.beds.freeNearStation, siteC.rosterGaps, siteC.expectedArrivals) == (8, 0, 0))

            let pudong = try await f.services.districts.district(named: "Pudong", actor: F.op)
            await #expect(throws: DomainError.notFound("district not found")) {
                _ = try await f.services.districts.board(districtId: pudong.id, actor: f.commander)
            }
            #expect(try await f.services.districts.districts(actor: f.commander).map(\.name) == ["Jinshan"])
        }
    }

    @Test(
        "the commander reads the district's daily reports but writes nothing, and another district's site is not there")
    func commanderReadsOnly() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let a = f.demo.siteA.id
            _ = try await f.services.reports.daily(siteId: f.siteC.id, date: nil, actor: f.commander)
            _ = try await f.services.reports.daily(siteId: a, date: nil, actor: f.commander)
            await #expect(throws: DomainError.notFound("site not found")) {
                _ = try await f.services.reports.daily(siteId: f.demo.siteB.id, date: nil, actor: f.commander)
            }
            let admission = Admission(
                name: "甲", sex: .female, dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2), phone: nil,
                nationalId: testNationalID(sequence: 1), severity: .mild, partyMember: false, bedId: f.demo.bedsA[0].id)
            for write in [
                { _ = try await f.services.patients.admit(siteId: a, admission, actor: f.commander) },
                {
                    _ = try await f.services.beds.setStatus(
                        siteId: a, bedId: f.demo.bedsA[0].id, to: .cleaning, expectedVersion: 1, actor: f.commander)
                },
                {
                    _ = try await f.services.intake.importList(
                        siteId: a, TransferList(reference: "x", expectedAt: Date(), persons: []), actor: f.commander)
                },
                { _ = try await f.services.census.census(siteId: a, actor: f.commander) },
            ] as [@Sendable () async throws -> Void] {
                do {
                    try await write()
                    Issue.record("a commander wrote or read a clinical record")
                } catch DomainError.forbidden {
                } catch { Issue.record("\(error)") }
            }
            #expect(try await db.count("SELECT count(*)::int FROM patients") == 0)
        }
    }

    @Test("the next bus: sites ranked by how many they could place, with why; the plan sends the rest on")
    func nextBus() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let small = try await f.services.districts.nextBus(
                districtId: f.jinshan.id, demand: BusDemand(women: 10, men: 5, nearStation: 2), actor: f.commander)
            // TC-01 keeps its near-station beds in the men's bay, so the woman who needs one is left out
            // there; TA-01 has six free beds in an open ward and none near the station.
            #expect(small.ranking.map(\.code) == ["TC-01", "TA-01"])
            #expect((small.ranking[0].placed, small.ranking[0].unplaced) == (14, 1))
            #expect(
                small.ranking[0].reasons
                    == ["1 × no free bed that keeps the rules: for a woman or women and 1 near the nurses' station"])
            #expect((small.ranking[1].placed, small.ranking[1].unplaced) == (6, 9))
            #expect(small.plan.map(\.code) == ["TC-01"] && small.plan.map(\.people) == [14] && small.leftOver == 1)

            let big = try await f.services.districts.nextBus(
                districtId: f.jinshan.id, demand: BusDemand(women: 20, men: 10), actor: f.commander)
            #expect(big.plan.map(\.code) == ["TC-01", "TA-01"] && big.plan.map(\.people) == [20, 6])
            #expect(big.leftOver == 4)
            do {
                _ = try await f.services.districts.nextBus(
                    districtId: f.jinshan.id, demand: BusDemand(women: -1, men: Int.max), actor: f.commander)
                Issue.record("impossible counts were accepted")
            } catch DomainError.invalid(let issues) {
                #expect(issues.map(\.field) == ["women", "men"])
            }
            let clinician = try await f.services.access.authenticate(
                token: f.demo.tokens["clinicianA"]!, origin: .seed)
            await #expect(throws: DomainError.self) {
                _ = try await f.services.districts.nextBus(
                    districtId: f.jinshan.id, demand: BusDemand(women: 1, men: 0), actor: clinician)
            }
        }
    }
}
