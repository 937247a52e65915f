import Domain
import Foundation
import Storage

extension BranchService {
    /// Adds a task or pioneer post, optionally assigned to a staff member or a checked-in patient.
    public func createTask(siteId: Site.ID, _ draft: BranchTaskDraft, actor: Actor) async throws -> BranchTask {
        try actor.require(Self.managers, at: siteId)
        try draft.validate()
        return try await withActiveBranch(siteId: siteId, actor: actor) { branch, tx in
            let repository = tx.branch
            if let staffId = draft.assigneeStaffId {
                try await requireStaff(staffId, siteId: siteId, field: "assigneeStaffId", tx)
            }
            if let checkInId = draft.assigneeCheckInId,
                try await repository.checkIns(siteId: siteId, branchId: branch.id).contains(where: {
                    $0.id == checkInId
                }) == false
            {
                throw DomainError.invalid("assigneeCheckInId", "no check-in \(checkInId) at this branch")
            }
            if let zoneId = draft.zoneId, try await tx.sites.zone(siteId: siteId, id: zoneId) == nil {
                throw DomainError.invalid("zoneId", "no zone \(zoneId) at this site")
            }
            let id = try await repository.insertTask(siteId: siteId, branchId: branch.id, draft)
            let task = try await repository.task(siteId: siteId, id: id)!
            try await tx.audit.record(
                "create", entity: "branch_task", id: id, siteId: siteId, before: Nothing?.none, after: task)
            return task
        }
    }

    /// The active branch's tasks by start time, optionally in one status.
    public func tasks(siteId: Site.ID, status: BranchTaskStatus? = nil, actor: Actor) async throws -> [BranchTask] {
        let branch = try await activeBranch(siteId: siteId, actor: actor)
        return try await database.read(actor) { tx in
            try await tx.branch.tasks(siteId: siteId, branchId: branch.id, status: status)
        }
    }

    /// Moves a task along open -> in progress -> done, or cancels it; 409 with the allowed
    /// states otherwise.
    public func setTaskStatus(
        siteId: Site.ID, taskId: BranchTask.ID, to status: BranchTaskStatus, expectedVersion: Int?, actor: Actor
    ) async throws -> BranchTask {
        try actor.require(Self.managers, at: siteId)
        return try await database.transaction(actor) { tx in
            let repository = tx.branch
            let before = try await repository.task(siteId: siteId, id: taskId, lock: true).orNotFound("task")
            try before.check(expectedVersion: expectedVersion)
            try before.status.checkTransition(to: status)
            try await repository.setTaskStatus(siteId: siteId, id: taskId, status)
            let after = try await repository.task(siteId: siteId, id: taskId)!
            try await tx.audit.record(
                "set_status", entity: "branch_task", id: taskId, siteId: siteId, before: before, after: after)
            return after
        }
    }

    /// Members by kind, patient members per zone, open and overdue tasks, check-ins per day.
    public func dashboard(siteId: Site.ID, actor: Actor) async throws -> BranchDashboard {
        let branch = try await activeBranch(siteId: siteId, actor: actor)
        let (members, checkIns, tasks, timeZone) = try await database.read(actor) { tx in
            let repository = tx.branch
            return (
                try await repository.members(siteId: siteId, branchId: branch.id),
                try await repository.checkIns(siteId: siteId, branchId: branch.id),
                try await repository.tasks(siteId: siteId, branchId: branch.id),
                try await tx.site(siteId).timeZone
            )
        }
        func counts(_ keys: [String]) -> [BranchDashboard.Count] {
            Dictionary(grouping: keys, by: { $0 }).map { BranchDashboard.Count(key: $0.key, count: $0.value.count) }
                .sorted { $0.key < $1.key }
        }
        let now = Date()
        let stillAdmitted = checkIns.filter { $0.bedCode != nil }
        return BranchDashboard(
            membersByKind: counts(
                members.map { "staff_\($0.profession.rawValue)" }
                    + branch.officers.filter { $0.untilOn == nil }.map { "officer_\($0.office.rawValue)" }
                    + checkIns.map { _ in "patient" }),
            patientMembersByZone: counts(stillAdmitted.map { $0.zoneCode ?? "unknown" }),
            openTasks: tasks.filter { $0.status == .open || $0.status == .inProgress }.count,
            overdueTasks: tasks.filter { $0.isOverdue(at: now) }.count,
            checkInsPerDay: counts(checkIns.map { CalendarDate($0.checkedInAt, in: timeZone).description }))
    }
}
