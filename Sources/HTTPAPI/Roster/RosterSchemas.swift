import CordonAPI
import Domain
import Foundation
import Services

extension Components.Schemas.Team {
    init(_ v: Team) {
        self.init(
            id: wire(v.id),
            siteId: wire(v.siteId),
            name: v.name,
            dispatchingHospital: v.dispatchingHospital,
            arrivesOn: v.arrivesOn.description,
            departsOn: v.departsOn?.description,
            leaderStaffId: v.leaderStaffId.map(wire),
            memberCount: v.memberCount,
            version: v.version)
    }
}

extension Components.Schemas.StaffMember {
    init(_ v: StaffMember) {
        self.init(
            id: wire(v.id),
            siteId: wire(v.siteId),
            code: v.code,
            name: v.name,
            hospital: v.hospital,
            department: v.department,
            profession: v.profession.converted(),
            title: v.title,
            phone: v.phone,
            partyMember: v.partyMember,
            teamId: v.teamId.map(wire),
            status: v.status.converted(),
            version: v.version)
    }
}

extension Components.Schemas.Training {
    init(_ v: Training) {
        self.init(
            id: wire(v.id),
            siteId: wire(v.siteId),
            staffId: wire(v.staffId),
            kind: v.kind.converted(),
            gainedOn: v.gainedOn.description,
            expiresOn: v.expiresOn?.description,
            certifiedBy: v.certifiedBy)
    }
}

extension Components.Schemas.RosterRules {
    init(_ v: RosterRules) {
        self.init(
            minRestMinutes: v.minRestMinutes,
            contaminatedCapMinutes: v.contaminatedCapMinutes,
            maxConsecutiveDays: v.maxConsecutiveDays,
            version: v.version)
    }
}

extension Components.Schemas.ShiftTemplate {
    init(_ v: ShiftTemplate) {
        self.init(
            id: wire(v.id),
            siteId: wire(v.siteId),
            name: v.name,
            zoneId: wire(v.zoneId),
            requires: v.requires?.converted(),
            startTime: v.startTime,
            minutes: v.minutes,
            minStaff: v.minStaff,
            maxStaff: v.maxStaff)
    }
}

extension Components.Schemas.ShiftGeneration {
    init(_ v: ShiftGeneration) {
        self.init(
            from: v.from.description,
            days: v.days,
            created: v.created,
            skipped: v.skipped)
    }
}

extension Components.Schemas.Shift {
    init(_ v: Shift) {
        self.init(
            id: wire(v.id),
            siteId: wire(v.siteId),
            zoneId: wire(v.zoneId),
            zoneCode: v.zoneCode,
            zoneKind: v.zoneKind.converted(),
            requires: v.requires?.converted(),
            label: v.label,
            startsAt: v.startsAt,
            endsAt: v.endsAt,
            minStaff: v.minStaff,
            maxStaff: v.maxStaff,
            templateId: v.templateId.map(wire),
            assignments: v.assignments.map { .init($0) })
    }
}

extension Components.Schemas.Assignment {
    init(_ v: Assignment) {
        self.init(
            id: wire(v.id),
            siteId: wire(v.siteId),
            shiftId: wire(v.shiftId),
            staffId: wire(v.staffId),
            staffCode: v.staffCode,
            staffName: v.staffName,
            state: v.state.converted(),
            version: v.version)
    }
}

extension Components.Schemas.AssignmentChange {
    init(_ v: AssignmentChange) {
        self.init(
            assignments: v.assignments.map { .init($0) },
            warnings: v.warnings.map { .init($0) })
    }
}

extension Components.Schemas.RosterCheck {
    init(_ v: RosterCheck) {
        self.init(
            from: v.from.description,
            through: v.through.description,
            hard: v.hard,
            soft: v.soft,
            findings: v.findings.map { .init($0) })
    }
}

extension Components.Schemas.RosterFinding {
    init(_ v: RosterFinding) {
        self.init(
            rule: v.rule.converted(),
            severity: v.rule.isHard ? .hard : .soft,
            staffId: v.staffId.map(wire),
            staffCode: v.staffCode,
            staffName: v.staffName,
            shiftId: wire(v.shiftId),
            shift: v.shift,
            startsAt: v.startsAt,
            reason: v.reason)
    }
}

extension Components.Schemas.RosterPublication {
    init(_ v: RosterPublication) {
        self.init(
            from: v.from.description,
            through: v.through.description,
            published: v.published,
            warnings: v.warnings.map { .init($0) })
    }
}

extension Components.Schemas.CoverageLine {
    init(_ v: CoverageLine) {
        self.init(
            shiftId: wire(v.shiftId),
            zoneCode: v.zoneCode,
            requires: v.requires?.converted(),
            label: v.label,
            startsAt: v.startsAt,
            endsAt: v.endsAt,
            assigned: v.assigned,
            published: v.published,
            minStaff: v.minStaff,
            maxStaff: v.maxStaff,
            gap: v.gap)
    }
}

extension Components.Schemas.RosterImport {
    init(_ v: RosterImport) {
        self.init(
            rows: v.rows,
            shiftsCreated: v.shiftsCreated,
            assignmentsCreated: v.assignmentsCreated,
            unchanged: v.unchanged,
            warnings: v.warnings.map { .init($0) })
    }
}

extension Components.Schemas.CalendarFeed {
    init(_ v: CalendarFeed) {
        self.init(
            id: wire(v.id),
            siteId: wire(v.siteId),
            staffId: v.staffId.map(wire),
            path: v.path)
    }
}
