import Domain
import Foundation
import Services
import TestSupport
import Testing

/// Site A of the demo fixture with patients admitted days ago, as the round finds them.
struct SwabFixture {
    var services: CordonServices
    var demo: DemoFixture
    var site: Site.ID { demo.siteA.id }
    static let op = DemoFixture.operatorActor

    static func make(_ db: TestDatabase) async throws -> SwabFixture {
        let services = db.services()
        return SwabFixture(services: services, demo: try await DemoFixture.make(services))
    }

    /// Admits a patient into bed `bed` (index into site A's beds) `daysAgo` days ago.
    func admit(
        _ n: Int, bed: Int, daysAgo: Double, at: Date? = nil, site: Site.ID? = nil, beds: [Bed]? = nil
    ) async throws -> Patient {
        try await services.patients.admit(
            siteId: site ?? self.site,
            Admission(
                name: "病人\(n)", sex: n % 2 == 0 ? .female : .male,
                dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2), phone: nil,
                nationalId: testNationalID(sequence: n), severity: .mild, partyMember: false,
                bedId: (beds ?? demo.bedsA)[bed].id,
                admittedAt: at ?? Date(timeIntervalSinceNow: -daysAgo * 86_400 - 60)),
            actor: Self.op
        ).value
    }

    func tubes(_ site: Site.ID? = nil) async throws -> [Specimen] {
        let site = site ?? self.site
        let day = try await services.sites.get(site, actor: Self.op).today
        return try await services.swabs.tubes(
            siteId: site, day: day, page: PageRequest(limit: 500), actor: Self.op
        ).items
    }

    func actor(_ name: String) async throws -> Actor {
        try await services.access.authenticate(token: demo.tokens[name]!, origin: .seed)
    }
}

@Suite("The daily swab round: who is due, tubes, remaking, collection at the bedside")
struct SwabRoundTests {
    typealias F = SwabFixture

    @Test("the round prints one tube for each patient due: not on the day of admission, not twice on a day")
    func whoIsDue() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            // The site's midnight: today in its time zone, whenever the test runs.
            let midnight = f.demo.siteA.start(of: f.demo.siteA.today).addingTimeInterval(1)
            let due = try await f.admit(1, bed: 0, daysAgo: 3)
            _ = try await f.admit(2, bed: 1, daysAgo: 0, at: midnight)
            let swabbedToday = try await f.admit(3, bed: 2, daysAgo: 2)
            _ = try await f.services.patients.addTest(
                siteId: f.site, patientId: swabbedToday.id,
                NucleicAcidTestEntry(sampledAt: midnight, result: .positive, nGeneCt: 25, orf1abCt: 26),
                actor: F.op)
            let made = try await f.services.swabs.makeRound(siteId: f.site, actor: try await f.actor("clinicianA"))
            #expect(made.added == 1 && made.moved.isEmpty && made.cancelled == 0 && made.unplaced.isEmpty)
            #expect(made.round.total.due == 1 && made.round.zones.map(\.zoneCode) == ["A"])
            let tubes = try await f.tubes()
            #expect(tubes.map(\.patientId) == [due.id])
            let tube = try #require(tubes.first)
            #expect(try AccessionNumber(parsing: tube.accession.description) == tube.accession)
            #expect(tube.bedCode == f.demo.bedsA[0].code && tube.status == .due)
            #expect(try await db.count("SELECT count(*)::int FROM audit_log WHERE entity = 'swab_round'") == 1)
        }
    }

    @Test(
        "made again, the round prints only who became due, moves untaken tubes with their patient, cancels those of who left"
    )
    func remade() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let first = try await f.admit(1, bed: 0, daysAgo: 3)
            _ = try await f.services.swabs.makeRound(siteId: f.site, actor: F.op)
            let second = try await f.admit(2, bed: 1, daysAgo: 2)
            _ = try await f.services.patients.move(
                siteId: f.site, patientId: first.id, toBed: f.demo.bedsA[4].id, expectedVersion: nil, actor: F.op)
            let again = try await f.services.swabs.makeRound(siteId: f.site, actor: F.op)
            let tubes = try await f.tubes()
            #expect(again.added == 1 && again.cancelled == 0)
            #expect(again.moved == [tubes.first { $0.patientId == first.id }!.accession])
            #expect(tubes.first { $0.patientId == first.id }?.bedCode == f.demo.bedsA[4].code)
            _ = try await f.services.patients.discharge(
                siteId: f.site, patientId: second.id, reason: .transferred, note: "to hospital", expectedVersion: nil,
                actor: F.op)
            let third = try await f.services.swabs.makeRound(siteId: f.site, actor: F.op)
            #expect(third.added == 0 && third.moved.isEmpty && third.cancelled == 1)
            #expect(third.round.total.printed == 1 && third.round.total.cancelled == 1)
            #expect(try await f.tubes().first { $0.patientId == second.id }?.status == .cancelled)
        }
    }

    @Test("two clerks making the round at once print each tube once")
    func concurrentRounds() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            for n in 0..<6 { _ = try await f.admit(n + 1, bed: n, daysAgo: 2) }
            async let a = f.services.swabs.makeRound(siteId: f.site, actor: F.op)
            async let b = f.services.swabs.makeRound(siteId: f.site, actor: F.op)
            let (one, two) = try await (a, b)
            #expect(one.added + two.added == 6)
            #expect(try await db.count("SELECT count(*)::int FROM specimens") == 6)
        }
    }

    @Test("a longer interval skips a patient swabbed within it; the schedule's limits are enforced")
    func schedule() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let p = try await f.admit(1, bed: 0, daysAgo: 5)
            _ = try await f.services.patients.addTest(
                siteId: f.site, patientId: p.id,
                NucleicAcidTestEntry(
                    sampledAt: Date(timeIntervalSinceNow: -86_400), result: .negative, nGeneCt: nil, orf1abCt: nil),
                actor: F.op)
            await #expect(throws: DomainError.forbidden("role clinician may not do this; needs one of site_manager")) {
                _ = try await f.services.swabs.setSchedule(
                    siteId: f.site, SwabSchedule(intervalDays: 2), actor: try await f.actor("clinicianA"))
            }
            await #expect(throws: DomainError.invalid("intervalDays", "must be 1-7 days")) {
                _ = try await f.services.swabs.setSchedule(
                    siteId: f.site, SwabSchedule(intervalDays: 0), actor: F.op)
            }
            _ = try await f.services.swabs.setSchedule(siteId: f.site, SwabSchedule(intervalDays: 2), actor: F.op)
            #expect(try await f.services.swabs.makeRound(siteId: f.site, actor: F.op).added == 0)
            _ = try await f.services.swabs.setSchedule(siteId: f.site, SwabSchedule(intervalDays: 1), actor: F.op)
            #expect(try await f.services.swabs.makeRound(siteId: f.site, actor: F.op).added == 1)
        }
    }

    @Test("a round is for today or tomorrow, at an open site, by a clinician or site manager")
    func roundLimits() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let today = f.demo.siteA.today
            await #expect(throws: DomainError.self) {
                _ = try await f.services.swabs.makeRound(siteId: f.site, day: today.adding(days: -1), actor: F.op)
            }
            await #expect(throws: DomainError.self) {
                _ = try await f.services.swabs.makeRound(siteId: f.site, day: today.adding(days: 2), actor: F.op)
            }
            _ = try await f.services.swabs.makeRound(siteId: f.site, day: today.adding(days: 1), actor: F.op)
            await #expect(throws: DomainError.self) {
                _ = try await f.services.swabs.makeRound(siteId: f.site, actor: try await f.actor("pharmacistA"))
            }
            await #expect(throws: DomainError.self) {
                _ = try await f.services.swabs.makeRound(siteId: f.site, actor: try await f.actor("clinicianB"))
            }
        }
    }

    @Test("accession numbers are unique across every site and carry their check character")
    func accessionsAcrossSites() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            for n in 0..<3 {
                _ = try await f.admit(n + 1, bed: n, daysAgo: 2)
                _ = try await f.admit(n + 11, bed: n, daysAgo: 2, site: f.demo.siteB.id, beds: f.demo.bedsB)
            }
            _ = try await f.services.swabs.makeRound(siteId: f.site, actor: F.op)
            _ = try await f.services.swabs.makeRound(siteId: f.demo.siteB.id, actor: F.op)
            let all = try await f.tubes() + f.tubes(f.demo.siteB.id)
            #expect(all.count == 6 && Set(all.map(\.accession)).count == 6)
            for tube in all { #expect(try AccessionNumber(parsing: tube.accession.description) == tube.accession) }
            // A tube of site B is not found from site A.
            await #expect(throws: DomainError.notFound("specimen not found")) {
                _ = try await f.services.swabs.specimen(
                    siteId: f.site, accession: all.last!.accession, actor: F.op)
            }
        }
    }

    @Test(
        "a tube scanned against another patient's wristband is refused, naming the wristband, and nothing is recorded")
    func wrongPatient() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let zhang = try await f.admit(1, bed: 0, daysAgo: 2)
            let li = try await f.admit(2, bed: 1, daysAgo: 2)
            _ = try await f.services.swabs.makeRound(siteId: f.site, actor: F.op)
            let zhangTube = try #require(try await f.tubes().first { $0.patientId == zhang.id })
            let nurse = try await f.actor("clinicianA")
            do {
                _ = try await f.services.swabs.recordCollection(
                    siteId: f.site, accession: zhangTube.accession,
                    .collected(wristband: WristbandCode(patientId: li.id)!, at: Date()), actor: nurse)
                Issue.record("a tube was recorded against another patient's wristband")
            } catch DomainError.invalid(let issues) {
                #expect(issues.map(\.field) == ["wristband"])
                #expect(issues[0].detail.contains("is 病人1's, in bed A-001") && issues[0].explanation != nil)
            }
            #expect(try await f.tubes().allSatisfy { $0.status == .due })
            #expect(try await db.count("SELECT count(*)::int FROM audit_log WHERE entity = 'specimen'") == 0)

            let taken = try await f.services.swabs.recordCollection(
                siteId: f.site, accession: zhangTube.accession,
                .collected(wristband: WristbandCode(patientId: zhang.id)!, at: Date()), actor: nurse)
            #expect(taken.status == .collected && taken.collectedAt != nil)
            // The scanner fires twice: the second answers the tube as it is.
            let again = try await f.services.swabs.recordCollection(
                siteId: f.site, accession: zhangTube.accession,
                .collected(wristband: WristbandCode(patientId: zhang.id)!, at: Date()), actor: nurse)
            #expect(again == taken)
            await #expect(
                throws: DomainError.illegalTransition(
                    from: "collected", to: "not_collected", allowed: ["sent", "resulted"])
            ) {
                _ = try await f.services.swabs.recordCollection(
                    siteId: f.site, accession: zhangTube.accession, .notCollected(.refused), actor: nurse)
            }
            #expect(try await db.count("SELECT count(*)::int FROM audit_log WHERE entity = 'specimen'") == 1)
        }
    }

    @Test("a patient asleep is recorded as not collected, and swabbed later; a cancelled tube takes nothing")
    func notCollected() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let p = try await f.admit(1, bed: 0, daysAgo: 2)
            let leaving = try await f.admit(2, bed: 1, daysAgo: 2)
            _ = try await f.services.swabs.makeRound(siteId: f.site, actor: F.op)
            let tubes = try await f.tubes()
            let tube = tubes.first { $0.patientId == p.id }!
            let asleep = try await f.services.swabs.recordCollection(
                siteId: f.site, accession: tube.accession, .notCollected(.asleep), actor: F.op)
            #expect(asleep.status == .notCollected && asleep.notCollectedReason == .asleep)
            let round = try await f.services.swabs.round(siteId: f.site, actor: F.op)
            #expect(round.total.notCollected == 1 && round.total.due == 1)
            let later = try await f.services.swabs.recordCollection(
                siteId: f.site, accession: tube.accession,
                .collected(wristband: WristbandCode(patientId: p.id)!, at: Date()), actor: F.op)
            #expect(later.status == .collected && later.notCollectedReason == nil)

            _ = try await f.services.patients.discharge(
                siteId: f.site, patientId: leaving.id, reason: .transferred, note: "to hospital", expectedVersion: nil,
                actor: F.op)
            _ = try await f.services.swabs.makeRound(siteId: f.site, actor: F.op)
            let cancelled = tubes.first { $0.patientId == leaving.id }!.accession
            await #expect(throws: DomainError.self) {
                _ = try await f.services.swabs.recordCollection(
                    siteId: f.site, accession: cancelled,
                    .collected(wristband: WristbandCode(patientId: leaving.id)!, at: Date()), actor: F.op)
            }
        }
    }
}
