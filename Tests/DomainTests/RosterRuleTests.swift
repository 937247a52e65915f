import Domain
import Foundation
import Testing

/// A small roster in memory: people, shifts from a base day, and who is on which.
struct RosterWorld {
    let timeZone = TimeZone(identifier: "Asia/Shanghai")!
    let base = CalendarDate(year: 2022, month: 4, day: 10)
    var staff: [StaffMember] = []
    var teams: [Team] = []
    var trainings: [Training] = []
    var shifts: [Shift] = []
    var rules = RosterRules.defaults

    /// A nurse with a PPE certificate valid all month, in the first team.
    init() {
        teams = [
            Team(
                id: 1, siteId: 1, name: "第一批", dispatchingHospital: "浦江一院", arrivesOn: base.adding(days: -7),
                departsOn: base.adding(days: 21), leaderStaffId: nil, memberCount: 2, version: 1)
        ]
        person(1, "许春梅", .nurse)
        person(2, "陆晓燕", .nurse)
    }

    mutating func person(
        _ id: StaffMember.ID, _ name: String, _ profession: Profession, status: StaffStatus = .active,
        team: Team.ID? = 1, ppe: Bool = true
    ) {
        staff.append(
            StaffMember(
                id: id, siteId: 1, code: "S\(id)", name: name, hospital: "浦江一院", department: "", profession: profession,
                title: "", phone: nil, partyMember: false, teamId: team, status: status, version: 1))
        if ppe {
            trainings.append(
                Training(
                    id: id.rawValue, siteId: 1, staffId: id, kind: .ppeDonningDoffing, gainedOn: base.adding(days: -10),
                    expiresOn: base.adding(days: 30), certifiedBy: "感控科"))
        }
    }

    func at(day: Int, hour: Int) -> Date {
        LocalTime.instant(base.adding(days: day), String(format: "%02d:00", hour), in: timeZone)!
    }

    /// Adds shift `id` on `day` from `hour` for `hours`, with the given people on it.
    mutating func shift(
        _ id: Shift.ID, day: Int = 0, hour: Int, hours: Int, zone: ZoneKind = .contaminated,
        requires: Profession? = .nurse,
        min: Int = 1, max: Int = 3, people: [StaffMember.ID]
    ) {
        var shift = Shift(
            id: id, siteId: 1, zoneId: 1, zoneCode: zone == .contaminated ? "A" : "CLN", zoneKind: zone,
            requires: requires,
            label: "", startsAt: at(day: day, hour: hour),
            endsAt: at(day: day, hour: hour).addingTimeInterval(Double(hours) * 3600),
            minStaff: min, maxStaff: max, templateId: nil)
        shift.assignments = people.map { p in
            Assignment(
                id: Assignment.ID(id.rawValue * 100 + p.rawValue), siteId: 1, shiftId: id, staffId: p,
                staffCode: "S\(p)", staffName: "", state: .draft, version: 1)
        }
        shifts.append(shift)
    }

    var snapshot: RosterSnapshot {
        RosterSnapshot(
            shifts: shifts, staff: staff, teams: teams, ppeTrainings: trainings, rules: rules, timeZone: timeZone)
    }

    func findings(_ rule: RosterRule) -> [RosterFinding] { RosterChecker.check(snapshot).filter { $0.rule == rule } }
}

@Suite("Roster rules")
struct RosterRuleTests {
    @Test("a clean week of one shift a day breaks nothing")
    func clean() {
        var world = RosterWorld()
        for day in 0..<5 { world.shift(Shift.ID(Int64(day + 1)), day: day, hour: 8, hours: 4, people: [1, 2]) }
        #expect(RosterChecker.check(world.snapshot).isEmpty)
    }

    @Test("overlap: two shifts of one person that overlap are named; back-to-back ones are not")
    func overlap() {
        var world = RosterWorld()
        world.shift(1, hour: 8, hours: 4, zone: .clean, people: [1])
        world.shift(2, hour: 12, hours: 4, zone: .clean, people: [1])
        #expect(world.findings(.overlap).isEmpty)
        world.shift(3, hour: 10, hours: 4, zone: .clean, people: [1])
        let found = world.findings(.overlap)
        #expect(found.count >= 1)
        #expect(
            found.first?.reason.contains("许春梅 is already on CLN nurse 2022-04-10 08:00-12:00, which overlaps") == true)
    }

    @Test("minimum rest: 8 hours between stints by default, configurable per site")
    func minimumRest() {
        var world = RosterWorld()
        world.shift(1, hour: 8, hours: 4, people: [1])
        world.shift(2, hour: 20, hours: 4, people: [1])
        #expect(world.findings(.minimumRest).isEmpty, "8 h of rest is enough")
        world.rules.minRestMinutes = 10 * 60
        let found = world.findings(.minimumRest)
        #expect(found.map(\.shiftId) == [2])
        #expect(found[0].reason == "许春梅 rests 8 h after A nurse 2022-04-10 08:00-12:00; the site's minimum is 10 h")
        #expect(found[0].severity == "hard")
    }

    @Test("contaminated-zone cap: 6 hours without a break by default; a clean-zone shift in between is a break")
    func contaminatedCap() {
        var world = RosterWorld()
        world.shift(1, hour: 8, hours: 4, people: [1])
        world.shift(2, hour: 12, hours: 2, zone: .clean, people: [1])
        world.shift(3, hour: 14, hours: 4, people: [1])
        #expect(world.findings(.contaminatedCap).isEmpty)
        world.shifts[1].zoneKind = .contaminated
        let found = world.findings(.contaminatedCap)
        #expect(found.map(\.shiftId) == [3], "6 h exactly is within the cap; the third shift goes past it")
        #expect(
            found[0].reason == "许春梅 would be 10 h in the contaminated zone without a break (from 08:00); the cap is 6 h"
        )
        world.rules.contaminatedCapMinutes = 12 * 60
        #expect(world.findings(.contaminatedCap).isEmpty)
    }

    @Test("PPE: a contaminated-zone shift needs a certificate valid on its date; clean-zone shifts do not")
    func ppe() {
        var world = RosterWorld()
        world.person(3, "钱佩玲", .nurse, ppe: false)
        world.shift(1, hour: 8, hours: 4, zone: .clean, people: [3])
        #expect(world.findings(.ppeCertification).isEmpty)
        world.shift(2, day: 1, hour: 8, hours: 4, people: [3])
        #expect(
            world.findings(.ppeCertification).map(\.reason) == [
                "钱佩玲 has no PPE donning and doffing certification; the contaminated-zone shift is on 2022-04-11"
            ])
        world.trainings.append(
            Training(
                id: 9, siteId: 1, staffId: 3, kind: .ppeDonningDoffing, gainedOn: world.base.adding(days: -30),
                expiresOn: world.base, certifiedBy: "感控科"))
        #expect(
            world.findings(.ppeCertification).map(\.reason) == [
                "钱佩玲's PPE certification is valid only until 2022-04-10; the contaminated-zone shift is on 2022-04-11"
            ])
        world.trainings[world.trainings.count - 1].expiresOn = world.base.adding(days: 1)
        #expect(world.findings(.ppeCertification).isEmpty, "valid through the shift's date")
    }

    @Test("profession: the shift's required profession must match")
    func profession() {
        var world = RosterWorld()
        world.person(3, "葛一鸣", .doctor)
        world.shift(1, hour: 8, hours: 4, requires: .nurse, people: [1])
        world.shift(2, day: 1, hour: 8, hours: 4, requires: nil, people: [3])
        #expect(world.findings(.professionMismatch).isEmpty)
        world.shift(3, day: 2, hour: 8, hours: 4, requires: .nurse, people: [3])
        #expect(world.findings(.professionMismatch).map(\.reason) == ["葛一鸣 is a doctor; the shift needs a nurse"])
    }

    @Test("maximum staffing is hard; minimum staffing is a warning")
    func staffing() {
        var world = RosterWorld()
        world.person(3, "钱佩玲", .nurse)
        world.shift(1, hour: 8, hours: 4, min: 2, max: 3, people: [1, 2, 3])
        #expect(RosterChecker.check(world.snapshot).isEmpty)
        world.shifts[0].maxStaff = 2
        #expect(world.findings(.overStaffed).map(\.reason) == ["3 people on a shift for at most 2"])
        world.shifts[0].maxStaff = 5
        world.shifts[0].minStaff = 4
        let under = world.findings(.underStaffed)
        #expect(under.map(\.reason) == ["3 of at least 4 people; 1 more needed"])
        #expect(under.map(\.severity) == ["soft"])
    }

    @Test("presence: within the team's stay and not off duty")
    func presence() {
        var world = RosterWorld()
        world.teams.append(
            Team(
                id: 2, siteId: 1, name: "第二批", dispatchingHospital: "申城中医", arrivesOn: world.base.adding(days: 2),
                departsOn: nil, leaderStaffId: nil, memberCount: 1, version: 1))
        world.person(3, "白丽", .nurse, team: 2)
        world.person(4, "潘婷", .nurse, status: .offDuty)
        world.shift(1, day: 2, hour: 8, hours: 4, people: [3])
        #expect(world.findings(.notPresent).isEmpty, "arrival day counts")
        world.shift(2, day: 1, hour: 8, hours: 4, people: [3, 4])
        #expect(
            world.findings(.notPresent).map(\.reason).sorted() == [
                "潘婷 is off duty",
                "白丽's team 第二批 is on site 2022-04-12 to open end; the shift is on 2022-04-11",
            ])
        world.shift(3, day: 22, hour: 8, hours: 4, people: [1])
        #expect(
            world.findings(.notPresent).contains {
                $0.reason.hasPrefix("许春梅's team 第一批 is on site 2022-04-03 to 2022-05-01")
            })
    }

    @Test("consecutive days: more than the site's number is a warning on each extra day")
    func consecutiveDays() {
        var world = RosterWorld()
        for day in 0..<6 { world.shift(Shift.ID(Int64(day + 1)), day: day, hour: 8, hours: 4, people: [1]) }
        #expect(world.findings(.consecutiveDays).isEmpty)
        world.shift(7, day: 6, hour: 8, hours: 4, people: [1])
        let found = world.findings(.consecutiveDays)
        #expect(found.map(\.shiftId) == [7])
        #expect(found[0].reason == "许春梅 is on duty 7 days in a row (since 2022-04-10); more than 6 is warned")
        #expect(found[0].severity == "soft")
    }

    @Test("what a change introduces is told apart from what was already broken")
    func introduced() {
        var world = RosterWorld()
        world.person(3, "葛一鸣", .doctor)
        world.shift(1, hour: 8, hours: 4, requires: .nurse, people: [1, 3])
        world.shift(2, hour: 14, hours: 4, requires: .nurse, min: 0, people: [])
        let before = world.snapshot
        #expect(RosterChecker.check(before).map(\.rule) == [.professionMismatch])
        let added = RosterChecker.introduced(before: before, after: before.adding(staffId: 1, toShift: 2))
        #expect(added.map(\.rule) == [.minimumRest])
        #expect(!added.contains { $0.rule == .professionMismatch }, "the doctor on shift 1 was already there")
    }
}
