import ArgumentParser
import Domain
import Foundation
import Services

/// The demo roster: teams in two batches, their staff and PPE records, shift templates and a
/// week of assignments from the day the seed loads, with deliberate problems for `roster check`.
/// Days are relative to that day, so the demo week is always the current one.
struct RosterSeed: Decodable {
    struct TeamSeed: Decodable {
        var name: String
        var hospital: String
        var arrivesInDays: Int
        var departsInDays: Int?
        var leader: String?
    }
    struct StaffSeed: Decodable {
        var code: String
        var name: String
        var hospital: String
        var department: String?
        var profession: Profession
        var title: String?
        var phone: String?
        var partyMember: Bool?
        var team: String?
        /// The demo user this person signs in as, for their own roster in the console.
        var user: String?
    }
    struct TrainingSeed: Decodable {
        var staff: String
        var kind: TrainingKind?
        var gainedInDays: Int
        var expiresInDays: Int?
        var by: String
    }
    struct TemplateSeed: Decodable {
        var name: String
        var zone: String
        var requires: Profession?
        var start: String
        var minutes: Int
        var min: Int
        var max: Int
    }
    struct AssignmentSeed: Decodable {
        var day: Int
        var template: String
        var staff: [String]
    }

    var teams: [TeamSeed]
    var staff: [StaffSeed]
    var trainings: [TrainingSeed]
    var templates: [TemplateSeed]
    var days: Int
    var assignments: [AssignmentSeed]
    /// Days (from the first) whose drafts are published after loading.
    var publishDays: Int?

    func apply(_ services: CordonServices, site: Site, actor: Actor) async throws {
        let timeZone = site.timeZone
        let today = CalendarDate(Date(), in: timeZone)
        var teamIds: [String: Team.ID] = [:]
        for t in teams {
            teamIds[t.name] = try await services.staff.createTeam(
                siteId: site.id,
                TeamDraft(
                    name: t.name, dispatchingHospital: t.hospital, arrivesOn: today.adding(days: t.arrivesInDays),
                    departsOn: t.departsInDays.map { today.adding(days: $0) }), actor: actor
            ).id
        }
        var staffIds: [String: StaffMember.ID] = [:]
        for s in staff {
            let teamId = try s.team.map { name in
                guard let id = teamIds[name] else {
                    throw ValidationError("seed names team \(name), which it does not define")
                }
                return id
            }
            staffIds[s.code] = try await services.staff.createStaff(
                siteId: site.id,
                StaffDraft(
                    code: s.code, name: s.name, hospital: s.hospital, department: s.department ?? "",
                    profession: s.profession, title: s.title ?? "",
                    phone: s.phone, partyMember: s.partyMember ?? false, teamId: teamId), actor: actor
            ).id
            if let user = s.user {
                try await services.staff.linkAccount(
                    siteId: site.id, staffId: staffIds[s.code]!, username: user, actor: actor)
            }
        }
        func staffId(_ code: String) throws -> StaffMember.ID {
            guard let id = staffIds[code] else {
                throw ValidationError("seed names staff \(code), which it does not define")
            }
            return id
        }
        for t in teams {
            guard let leader = t.leader, let id = teamIds[t.name] else { continue }
            let team = try await services.staff.team(siteId: site.id, teamId: id, actor: actor)
            _ = try await services.staff.updateTeam(
                siteId: site.id, teamId: id,
                TeamDraft(
                    name: team.name, dispatchingHospital: team.dispatchingHospital, arrivesOn: team.arrivesOn,
                    departsOn: team.departsOn,
                    leaderStaffId: try staffId(leader)), expectedVersion: team.version, actor: actor)
        }
        for t in trainings {
            _ = try await services.staff.addTraining(
                siteId: site.id, staffId: try staffId(t.staff),
                TrainingDraft(
                    kind: t.kind ?? .ppeDonningDoffing, gainedOn: today.adding(days: t.gainedInDays),
                    expiresOn: t.expiresInDays.map { today.adding(days: $0) }, certifiedBy: t.by), actor: actor)
        }
        let zones = Dictionary(
            uniqueKeysWithValues: try await services.sites.zones(siteId: site.id, actor: actor).map { ($0.code, $0.id) }
        )
        var templateIds: [String: ShiftTemplate] = [:]
        for t in templates {
            guard let zoneId = zones[t.zone] else {
                throw ValidationError("seed names zone \(t.zone), which it does not define")
            }
            templateIds[t.name] = try await services.roster.createTemplate(
                siteId: site.id,
                ShiftTemplateDraft(
                    name: t.name, zoneId: zoneId, requires: t.requires, startTime: t.start, minutes: t.minutes,
                    minStaff: t.min, maxStaff: t.max),
                actor: actor)
        }
        _ = try await services.roster.generateShifts(siteId: site.id, from: today, days: days, actor: actor)
        let shifts = try await services.roster.roster(
            siteId: site.id, from: today, through: today.adding(days: days - 1), actor: actor)
        for a in assignments {
            guard let template = templateIds[a.template] else {
                throw ValidationError("seed names template \(a.template), which it does not define")
            }
            let start = template.shift(on: today.adding(days: a.day), in: timeZone).startsAt
            guard let shift = shifts.first(where: { $0.templateId == template.id && $0.startsAt == start }) else {
                throw ValidationError("seed assigns day \(a.day) of \(a.template), outside the generated days")
            }
            for code in a.staff {
                _ = try await services.roster.assign(
                    siteId: site.id, shiftId: shift.id, staffId: try staffId(code), actor: actor)
            }
        }
        if let publishDays, publishDays > 0 {
            _ = try await services.roster.publish(
                siteId: site.id, from: today, through: today.adding(days: publishDays - 1), actor: actor)
        }
    }
}
