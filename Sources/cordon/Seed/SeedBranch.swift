import ArgumentParser
import Domain
import Foundation
import Services

/// The demo branch: formed on the site's opening day, with officers, staff members, a code,
/// patient members who checked in with it, and tasks (one of them overdue).
struct BranchSeed: Decodable {
    struct MemberSeed: Decodable {
        var staff: String
        var role: String?
        var frontLine: Bool?
    }
    struct OfficerSeed: Decodable {
        var staff: String
        var office: Office
    }
    /// Index into the seed's `patients`; name and ID ending come from there, as a patient types them.
    struct CheckInSeed: Decodable {
        var patient: Int
        var home: String
        var phone: String
    }
    struct TaskSeed: Decodable {
        var title: String
        var description: String?
        var zone: String?
        var place: String?
        var startsInHours: Double
        var hours: Double
        var staff: String?
        var checkIn: Int?
        var status: BranchTaskStatus?
    }

    var name: String
    var parent: String
    var secretary: String
    var officers: [OfficerSeed]
    var members: [MemberSeed]
    var checkIns: [CheckInSeed]
    var tasks: [TaskSeed]

    func apply(_ services: CordonServices, site: Site, patients: [DemoSeed.PatientSeed], actor: Actor) async throws {
        func staffId(_ code: String) async throws -> StaffMember.ID {
            try await services.staff.member(siteId: site.id, code: code, actor: actor).id
        }
        let established = site.openedOn ?? site.today
        _ = try await services.branch.create(
            siteId: site.id, BranchDraft(name: name, parentOrganisation: parent, establishedOn: established),
            secretaryStaffId: try await staffId(secretary), actor: actor)
        for officer in officers {
            _ = try await services.branch.appoint(
                siteId: site.id, staffId: try await staffId(officer.staff), office: officer.office,
                from: established, actor: actor)
        }
        for member in members {
            _ = try await services.branch.addMember(
                siteId: site.id,
                BranchMemberDraft(
                    staffId: try await staffId(member.staff), joinedOn: established, role: member.role ?? "member",
                    joinedFrontLine: member.frontLine ?? false), actor: actor)
        }
        let code = try await services.branch.issueCode(siteId: site.id, actor: actor)
        for c in checkIns {
            guard patients.indices.contains(c.patient) else {
                throw ValidationError("seed checks in patient \(c.patient), which it does not define")
            }
            let p = patients[c.patient]
            _ = try await services.branch.checkIn(
                CheckInSubmission(
                    code: code.code, name: p.name, idLast4: String(p.nationalId.suffix(4)), dateOfBirth: p.born,
                    homeOrganisation: c.home,
                    phone: c.phone), origin: .seed)
        }
        // The check-ins in the seed's order, for the tasks that name them.
        let recorded = try await services.branch.checkIns(siteId: site.id, actor: actor)
        let checkInIds = checkIns.map { c in recorded.first { $0.patientName == patients[c.patient].name }!.id }
        let now = Date()
        for t in tasks {
            let start = now.addingTimeInterval(t.startsInHours * 3600)
            let task = try await services.branch.createTask(
                siteId: site.id,
                BranchTaskDraft(
                    title: t.title, description: t.description ?? "",
                    zoneId: try await t.zone.asyncMap {
                        try await services.sites.zone(siteId: site.id, code: $0, actor: actor).id
                    },
                    place: t.place ?? "", startsAt: start, endsAt: start.addingTimeInterval(t.hours * 3600),
                    assigneeStaffId: try await t.staff.asyncMap { try await staffId($0) },
                    assigneeCheckInId: t.checkIn.map { checkInIds[$0] }), actor: actor)
            if let status = t.status, status != .open {
                var current = task
                for step in status == .done ? [BranchTaskStatus.inProgress, .done] : [status] {
                    current = try await services.branch.setTaskStatus(
                        siteId: site.id, taskId: current.id, to: step,
                        expectedVersion: current.version, actor: actor)
                }
            }
        }
    }
}
