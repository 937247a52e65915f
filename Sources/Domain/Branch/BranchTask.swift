import Foundation

/// Where a branch task stands.
public enum BranchTaskStatus: String, Sendable, Codable, CaseIterable, StateMachine {
    case open
    case inProgress = "in_progress"
    case done, cancelled

    /// open -> in progress -> done; open or in progress -> cancelled.
    public var allowedNext: [BranchTaskStatus] {
        switch self {
        case .open: [.inProgress, .cancelled]
        case .inProgress: [.done, .cancelled]
        case .done, .cancelled: []
        }
    }
}

/// A task or pioneer post: coaching PPE donning, a patient volunteer for meals, emotional support.
public struct BranchTask: Sendable, Codable, Equatable {
    public var id: ID
    public var branchId: Branch.ID
    public var title: String
    public var description: String
    public var zoneId: Zone.ID?
    public var place: String
    public var startsAt: Date
    public var endsAt: Date
    public var assigneeStaffId: StaffMember.ID?
    public var assigneeCheckInId: CheckIn.ID?
    /// The assignee's name, staff or patient.
    public var assigneeName: String?
    public var status: BranchTaskStatus
    public var version: Int

    public init(
        id: ID, branchId: Branch.ID, title: String, description: String, zoneId: Zone.ID?, place: String,
        startsAt: Date, endsAt: Date,
        assigneeStaffId: StaffMember.ID?, assigneeCheckInId: CheckIn.ID?, assigneeName: String?,
        status: BranchTaskStatus, version: Int
    ) {
        self.id = id
        self.branchId = branchId
        self.title = title
        self.description = description
        self.zoneId = zoneId
        self.place = place
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.assigneeStaffId = assigneeStaffId
        self.assigneeCheckInId = assigneeCheckInId
        self.assigneeName = assigneeName
        self.status = status
        self.version = version
    }

    /// Open or in progress after its window closed.
    public func isOverdue(at now: Date) -> Bool { (status == .open || status == .inProgress) && endsAt < now }
}

/// A task as the secretary enters it.
public struct BranchTaskDraft: Sendable, Codable, Equatable {
    public var title: String
    public var description: String
    public var zoneId: Zone.ID?
    public var place: String
    public var startsAt: Date
    public var endsAt: Date
    public var assigneeStaffId: StaffMember.ID?
    public var assigneeCheckInId: CheckIn.ID?

    public init(
        title: String, description: String = "", zoneId: Zone.ID? = nil, place: String = "", startsAt: Date,
        endsAt: Date,
        assigneeStaffId: StaffMember.ID? = nil, assigneeCheckInId: CheckIn.ID? = nil
    ) {
        self.title = title
        self.description = description
        self.zoneId = zoneId
        self.place = place
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.assigneeStaffId = assigneeStaffId
        self.assigneeCheckInId = assigneeCheckInId
    }

    public func validate() throws {
        var v = Validator()
        v.text(title, "title", max: 200)
        v.optionalText(description, "description", max: 2000)
        v.optionalText(place, "place", max: 200)
        v.check(endsAt > startsAt, "endsAt", "must be after startsAt")
        v.plannedInstant(startsAt, "startsAt")
        v.plannedInstant(endsAt, "endsAt")
        v.check(
            assigneeStaffId == nil || assigneeCheckInId == nil, "assigneeCheckInId",
            "a task has one assignee: a member of staff or a checked-in patient")
        try v.finish()
    }
}

/// The branch at a glance.
public struct BranchDashboard: Sendable, Codable, Equatable {
    public struct Count: Sendable, Codable, Equatable {
        public var key: String
        public var count: Int
        public init(key: String, count: Int) {
            self.key = key
            self.count = count
        }
    }
    /// Staff members by profession, officers, and patient members.
    public var membersByKind: [Count]
    /// Checked-in patients still admitted, by the zone of their bed.
    public var patientMembersByZone: [Count]
    public var openTasks: Int
    public var overdueTasks: Int
    /// Check-ins per day where the site is.
    public var checkInsPerDay: [Count]

    public init(
        membersByKind: [Count], patientMembersByZone: [Count], openTasks: Int, overdueTasks: Int,
        checkInsPerDay: [Count]
    ) {
        self.membersByKind = membersByKind
        self.patientMembersByZone = patientMembersByZone
        self.openTasks = openTasks
        self.overdueTasks = overdueTasks
        self.checkInsPerDay = checkInsPerDay
    }
}
