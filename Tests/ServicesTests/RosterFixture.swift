import Domain
import Foundation
import Services
import TestSupport

/// Site A of the demo fixture with a team on site, three nurses (two with PPE certificates, one
/// without) and helpers for shifts from a base day in the site's time zone.
struct RosterFixture {
    let services: CordonServices
    let demo: DemoFixture
    let team: Team
    let nurses: [StaffMember]
    let cleanZone: Zone
    let op = DemoFixture.operatorActor
    let timeZone = TimeZone(identifier: "Asia/Shanghai")!
    /// Ten days from now, so that everything is in the future.
    let base = CalendarDate(Date(), in: TimeZone(identifier: "Asia/Shanghai")!).adding(days: 10)
    var site: Site.ID { demo.siteA.id }

    static func make(_ db: TestDatabase) async throws -> RosterFixture {
        let services = db.services()
        let demo = try await DemoFixture.make(services)
        let op = DemoFixture.operatorActor
        let base = CalendarDate(Date(), in: TimeZone(identifier: "Asia/Shanghai")!).adding(days: 10)
        let team = try await services.staff.createTeam(
            siteId: demo.siteA.id,
            TeamDraft(
                name: "第一批医疗队", dispatchingHospital: "浦江第一人民医院", arrivesOn: base.adding(days: -10),
                departsOn: base.adding(days: 40)), actor: op)
        var nurses: [StaffMember] = []
        for (i, name) in ["许春梅", "陆晓燕", "钱佩玲"].enumerated() {
            let nurse = try await services.staff.createStaff(
                siteId: demo.siteA.id,
                StaffDraft(
                    code: "N\(i + 1)", name: name, hospital: "浦江第一人民医院", profession: .nurse, teamId: team.id), actor: op
            )
            if i < 2 {
                _ = try await services.staff.addTraining(
                    siteId: demo.siteA.id, staffId: nurse.id,
                    TrainingDraft(
                        kind: .ppeDonningDoffing, gainedOn: base.adding(days: -10), expiresOn: base.adding(days: 60),
                        certifiedBy: "感控科"), actor: op)
            }
            nurses.append(nurse)
        }
        let cleanZone = try await services.sites.zones(siteId: demo.siteA.id, actor: op).first { $0.kind == .clean }!
        return RosterFixture(services: services, demo: demo, team: team, nurses: nurses, cleanZone: cleanZone)
    }

    func at(day: Int, hour: Int) -> Date {
        LocalTime.instant(base.adding(days: day), String(format: "%02d:00", hour), in: timeZone)!
    }

    func shift(
        day: Int = 0, hour: Int, hours: Int, contaminated: Bool = true, requires: Profession? = .nurse, min: Int = 1,
        max: Int = 3
    ) async throws -> Shift {
        try await services.roster.createShift(
            siteId: site,
            ShiftDraft(
                zoneId: contaminated ? demo.zoneA.id : cleanZone.id, requires: requires,
                startsAt: at(day: day, hour: hour),
                endsAt: at(day: day, hour: hour).addingTimeInterval(Double(hours) * 3600), minStaff: min, maxStaff: max),
            actor: op)
    }

    func assign(_ nurse: Int, to shift: Shift) async throws -> Assignment {
        try await services.roster.assign(siteId: site, shiftId: shift.id, staffId: nurses[nurse].id, actor: op)
            .assignments[0]
    }
}
