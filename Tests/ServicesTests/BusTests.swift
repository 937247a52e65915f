import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Buses home: committees, planning, manifests and departure")
struct BusTests {
    typealias F = SwabFixture

    /// Admits patient `n` with where they live, clears, signs off and releases them.
    static func released(_ f: F, _ people: [(n: Int, committee: String?, household: String?, carer: Bool)]) async throws
        -> [Patient]
    {
        var patients: [Patient] = []
        for person in people {
            let patient = try await f.services.patients.admit(
                siteId: f.site,
                Admission(
                    name: "返家\(person.n)", sex: .female, dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2),
                    phone: nil, nationalId: testNationalID(sequence: person.n), severity: .mild, partyMember: false,
                    bedId: f.demo.bedsA[person.n - 1].id, admittedAt: Date(timeIntervalSinceNow: -2 * 86_400),
                    home: HomeDetails(
                        homeAddress: "金山区卫零路 \(person.n) 号", committee: person.committee,
                        household: person.household, needsCarer: person.carer)),
                actor: F.op
            ).value
            for hoursAgo in [36.0, 1.0] {
                _ = try await f.services.patients.addTest(
                    siteId: f.site, patientId: patient.id,
                    NucleicAcidTestEntry(
                        sampledAt: Date(timeIntervalSinceNow: -hoursAgo * 3600), result: .negative, nGeneCt: nil,
                        orf1abCt: nil), actor: F.op)
            }
            patients.append(patient)
        }
        let clinician = try await f.actor("clinicianA")
        _ = try await f.services.releases.signOff(
            siteId: f.site, patientIds: patients.map(\.id), symptomsImproved: true, note: nil, actor: clinician)
        _ = try await f.services.releases.release(siteId: f.site, patientIds: patients.map(\.id), actor: clinician)
        return patients
    }

    /// Adds these committees, all of one street, to the site's district.
    static func committees(_ f: F, _ names: [String], street: String = "石化街道") async throws
        -> (district: District, ids: [String: ResidentialCommittee.ID])
    {
        let district = try await f.services.districts.district(named: f.demo.siteA.district, actor: F.op)
        var ids: [String: ResidentialCommittee.ID] = [:]
        for name in names {
            ids[name] = try await f.services.committees.create(
                districtId: district.id, ResidentialCommitteeDraft(name: name, street: street), actor: F.op
            ).id
        }
        return (district, ids)
    }

    @Test(
        "committees match patients by name; a plan seats everyone released once, households together; a repeat plans only the new; the manifest counts the bus; departure is recorded once"
    )
    func planAndDepart() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let district = try await f.services.districts.district(named: f.demo.siteA.district, actor: F.op)
            let committees = f.services.committees
            _ = try await committees.create(
                districtId: district.id, ResidentialCommitteeDraft(name: "卫零居委会", street: "石化街道"), actor: F.op)
            await #expect(throws: DomainError.self, "a name is used once per district") {
                _ = try await committees.create(
                    districtId: district.id, ResidentialCommitteeDraft(name: "卫零居委会", street: "别处"), actor: F.op)
            }
            await #expect(throws: DomainError.self, "a pharmacist keeps no committees") {
                _ = try await committees.create(
                    districtId: district.id, ResidentialCommitteeDraft(name: "x", street: "y"),
                    actor: try await f.actor("pharmacistA"))
            }
            let patients = try await Self.released(
                f,
                [
                    (1, "卫零居委会", "H1", false), (2, "卫零居委会", "H1", false), (3, "卫零居委会", nil, true),
                    (4, "山阳村", nil, false), (5, nil, nil, false),
                ])
            // A committee added after admission still matches those who named it.
            _ = try await committees.create(
                districtId: district.id,
                ResidentialCommitteeDraft(name: "山阳村", street: "山阳镇", contactPhone: "021-5794 0000"),
                actor: F.op)
            #expect(try await db.count("SELECT count(*)::int FROM patients WHERE committee_id IS NOT NULL") == 4)

            let clerk = try await f.actor("managerA")
            let buses = f.services.buses
            await #expect(throws: DomainError.self) {
                _ = try await buses.plan(siteId: f.site, seats: 2, departsAt: Date(), actor: clerk)
            }
            let plan = try await buses.plan(
                siteId: f.site, seats: 4, departsAt: Date(timeIntervalSinceNow: 3600), actor: clerk)
            #expect(plan.unplaced.map(\.patientId) == [patients[4].id], "nobody knows the fifth's committee")
            #expect(plan.buses.map(\.destination).sorted() == ["山阳镇", "石化街道"])
            let shihua = try #require(plan.buses.first { $0.destination == "石化街道" })
            #expect(shihua.seatsTaken == 4 && shihua.passengers.count == 3, "the carer's two seats and the household")
            #expect(shihua.passengers.allSatisfy { $0.monitoringEndsOn > f.demo.siteA.today })
            let again = try await buses.plan(
                siteId: f.site, seats: 4, departsAt: Date(timeIntervalSinceNow: 3600), actor: clerk)
            #expect(again.buses.isEmpty, "everyone placed already has a seat")
            #expect(try await db.count("SELECT count(*)::int FROM release_bus_passengers") == 4)

            let csv = try await buses.manifestCSV(siteId: f.site, busId: shihua.id, actor: clerk)
            let lines = csv.split(whereSeparator: \.isNewline)
            #expect(lines.count == 1 + shihua.passengers.count && lines[0].hasPrefix("bus,destination"), "\(csv)")
            #expect(csv.contains("返家3") && csv.contains("卫零居委会"))
            let pdf = try await buses.manifestPDF(siteId: f.site, busId: shihua.id, actor: clerk)
            let text = try await SwabLabelTests.text(pdf)
            #expect(text.contains("返家1") && text.contains("石化街道"), "\(text)")

            let gone = try await buses.depart(siteId: f.site, busId: shihua.id, actor: clerk)
            let twice = try await buses.depart(siteId: f.site, busId: shihua.id, actor: clerk)
            #expect(gone.departedAt != nil && twice.departedAt == gone.departedAt)
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM audit_log WHERE action = 'depart' AND entity = 'release_bus'")
                    == 1)
            await #expect(throws: DomainError.self) {
                _ = try await buses.depart(siteId: f.site, busId: ReleaseBus.ID(rawValue: 999_999), actor: clerk)
            }
        }
    }

    @Test(
        "each committee with people on a bus is told through a signed link; it acknowledges once; unanswered past COMMITTEE_ACK_HOURS it is overdue; an old link has expired"
    )
    func committeeNotices() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            _ = try await Self.committees(f, ["卫零居委会", "山阳村"])
            _ = try await Self.released(
                f, [(1, "卫零居委会", nil, false), (2, "卫零居委会", nil, false), (3, "山阳村", nil, false)])
            let clerk = try await f.actor("managerA")
            let plan = try await f.services.buses.plan(
                siteId: f.site, seats: 40, departsAt: Date(timeIntervalSinceNow: 3600), actor: clerk)
            #expect(plan.buses.count == 1, "one street, one bus")
            let notices = f.services.committeeNotices
            let told = try await notices.notices(siteId: f.site, actor: clerk)
            #expect(told.map(\.notice.committee).sorted() == ["山阳村", "卫零居委会"].sorted())
            let weiling = try #require(told.first { $0.notice.committee == "卫零居委会" })
            #expect(weiling.notice.arrivals.map(\.name) == ["返家1", "返家2"] && !weiling.isOverdue)
            let code = String(weiling.link.split(separator: "/").last ?? "")
            let origin = Origin.http(requestId: "t", address: "192.0.2.1")
            let seen = try await notices.view(code: code, origin: origin)
            #expect(seen.notice.arrivals.count == 2 && seen.notice.acknowledgedAt == nil)
            await #expect(throws: DomainError.self, "a name is needed") {
                _ = try await notices.acknowledge(code: code, name: " ", origin: origin)
            }
            let answered = try await notices.acknowledge(code: code, name: "居委王主任", origin: origin)
            let again = try await notices.acknowledge(code: code, name: "someone else", origin: origin)
            #expect(answered.notice.acknowledgedBy == "居委王主任" && again.notice.acknowledgedBy == "居委王主任")
            await #expect(throws: DomainError.self, "a made-up link") {
                _ = try await notices.view(code: String(repeating: "A", count: 44), origin: origin)
            }

            // Three hours on, the other committee has not answered: overdue; after three days its link is gone.
            try await db.asOwner("UPDATE committee_notices SET sent_at = now() - interval '3 hours'")
            #expect(try await notices.overdueCount(siteId: f.site, actor: clerk) == 1)
            let late = try await notices.notices(siteId: f.site, actor: clerk)
            #expect(late.filter(\.isOverdue).map(\.notice.committee) == ["山阳村"])
            try await db.asOwner("UPDATE committee_notices SET sent_at = now() - interval '4 days'")
            let shanyang = try #require(late.first { $0.notice.committee == "山阳村" })
            await #expect {
                _ = try await notices.view(
                    code: String(shanyang.link.split(separator: "/").last ?? ""), origin: origin)
            } throws: { error in
                guard case DomainError.expired = error else { return false }
                return true
            }
        }
    }

    @Test(
        "the district board counts the site's releases today, buses waiting and left, and committees unanswered and overdue"
    )
    func districtBoard() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let (district, _) = try await Self.committees(f, ["卫零居委会", "山阳村"])
            func figures() async throws -> ReleaseFigures {
                let board = try await f.services.districts.board(districtId: district.id, actor: F.op)
                return try #require(board.sites.first { $0.siteId == f.site }).release
            }
            #expect(try await figures() == ReleaseFigures())
            _ = try await Self.released(
                f, [(1, "卫零居委会", nil, false), (2, "卫零居委会", nil, false), (3, "山阳村", nil, false)])
            let clerk = try await f.actor("managerA")
            let plan = try await f.services.buses.plan(
                siteId: f.site, seats: 40, departsAt: Date(timeIntervalSinceNow: 3600), actor: clerk)
            var planned = try await figures()
            #expect(planned.releasedToday == 3 && planned.busesWaiting == 1 && planned.busesLeftToday == 0)
            #expect(planned.committeesUnanswered == 2 && planned.committeesOverdue == 0)

            let told = try await f.services.committeeNotices.notices(siteId: f.site, actor: clerk)
            let code = String(told[0].link.split(separator: "/").last ?? "")
            _ = try await f.services.committeeNotices.acknowledge(
                code: code, name: "居委王主任", origin: .http(requestId: "t", address: "192.0.2.1"))
            try await db.asOwner("UPDATE committee_notices SET sent_at = now() - interval '3 hours'")
            _ = try await f.services.buses.depart(siteId: f.site, busId: plan.buses[0].id, actor: clerk)
            planned = try await figures()
            #expect(planned.busesWaiting == 0 && planned.busesLeftToday == 1)
            #expect(planned.committeesUnanswered == 1 && planned.committeesOverdue == 1)
        }
    }

    @Test("two clerks planning at once seat each person exactly once")
    func racingPlanners() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            _ = try await Self.released(f, (1...5).map { ($0, "卫零居委会", nil, false) })
            let clerk = try await f.actor("managerA")
            let clinician = try await f.actor("clinicianA")
            let buses = f.services.buses
            let departs = Date(timeIntervalSinceNow: 3600)
            async let first = buses.plan(siteId: f.site, seats: 40, departsAt: departs, actor: clerk)
            async let second = buses.plan(siteId: f.site, seats: 40, departsAt: departs, actor: clinician)
            let plans = try await [first, second]
            #expect(plans.map(\.buses.count).sorted() == [0, 1])
            #expect(try await db.count("SELECT count(*)::int FROM release_bus_passengers") == 5)
        }
    }
}
