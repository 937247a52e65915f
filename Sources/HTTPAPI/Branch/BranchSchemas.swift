import CordonAPI
import Domain
import Foundation
import Services

extension Components.Schemas.Branch {
    init(_ v: Branch) {
        self.init(
            id: wire(v.id),
            siteId: wire(v.siteId),
            name: v.name,
            parentOrganisation: v.parentOrganisation,
            establishedOn: v.establishedOn.description,
            dissolvedOn: v.dissolvedOn?.description,
            status: v.status.converted(),
            officers: v.officers.map { .init($0) },
            version: v.version)
    }
}

extension Components.Schemas.Officer {
    init(_ v: Officer) {
        self.init(
            id: wire(v.id),
            staffId: wire(v.staffId),
            staffName: v.staffName,
            office: v.office.converted(),
            fromOn: v.fromOn.description,
            untilOn: v.untilOn?.description)
    }
}

extension Components.Schemas.BranchMember {
    init(_ v: BranchMember) {
        self.init(
            id: wire(v.id),
            staffId: wire(v.staffId),
            staffCode: v.staffCode,
            staffName: v.staffName,
            profession: v.profession.converted(),
            joinedOn: v.joinedOn.description,
            role: v.role,
            joinedFrontLine: v.joinedFrontLine)
    }
}

extension Components.Schemas.IssuedCheckInCode {
    init(_ v: IssuedCheckInCode) {
        self.init(
            codeId: wire(v.codeId),
            code: v.code,
            url: v.url,
            expiresAt: v.expiresAt)
    }
}

extension Components.Schemas.CheckInReceipt {
    init(_ v: CheckInReceipt) {
        self.init(
            status: .checkedIn,
            branchName: v.branchName,
            message: v.message)
    }
}

extension Components.Schemas.CheckIn {
    init(_ v: CheckIn) {
        self.init(
            id: wire(v.id),
            branchId: wire(v.branchId),
            patientId: wire(v.patientId),
            patientName: v.patientName,
            bedCode: v.bedCode,
            zoneCode: v.zoneCode,
            homeOrganisation: v.homeOrganisation,
            phone: v.phone,
            checkedInAt: v.checkedInAt)
    }
}

extension Components.Schemas.BranchTask {
    init(_ v: BranchTask) {
        self.init(
            id: wire(v.id),
            branchId: wire(v.branchId),
            title: v.title,
            description: v.description,
            zoneId: v.zoneId.map(wire),
            place: v.place,
            startsAt: v.startsAt,
            endsAt: v.endsAt,
            assigneeStaffId: v.assigneeStaffId.map(wire),
            assigneeCheckInId: v.assigneeCheckInId.map(wire),
            assigneeName: v.assigneeName,
            status: v.status.converted(),
            version: v.version)
    }
}

extension Components.Schemas.BranchDashboard {
    init(_ v: BranchDashboard) {
        self.init(
            membersByKind: v.membersByKind.map { .init($0) },
            patientMembersByZone: v.patientMembersByZone.map { .init($0) },
            openTasks: v.openTasks,
            overdueTasks: v.overdueTasks,
            checkInsPerDay: v.checkInsPerDay.map { .init($0) })
    }
}

extension Components.Schemas.DashboardCount {
    init(_ v: BranchDashboard.Count) {
        self.init(
            key: v.key,
            count: v.count)
    }
}
