import Foundation

/// Whether a branch is running or was dissolved when the site closed.
public enum BranchStatus: String, Sendable, Codable, CaseIterable {
    case active, dissolved
}

/// A site's temporary Party branch.
public struct Branch: Sendable, Codable, Equatable {
    public var id: ID
    public var siteId: Site.ID
    public var name: String
    /// The dispatching hospital's Party committee.
    public var parentOrganisation: String
    public var establishedOn: CalendarDate
    public var dissolvedOn: CalendarDate?
    public var status: BranchStatus
    public var officers: [Officer]
    public var version: Int

    public init(
        id: ID, siteId: Site.ID, name: String, parentOrganisation: String, establishedOn: CalendarDate,
        dissolvedOn: CalendarDate?,
        status: BranchStatus, officers: [Officer], version: Int
    ) {
        self.id = id
        self.siteId = siteId
        self.name = name
        self.parentOrganisation = parentOrganisation
        self.establishedOn = establishedOn
        self.dissolvedOn = dissolvedOn
        self.status = status
        self.officers = officers
        self.version = version
    }
}

/// The fields of a new branch.
public struct BranchDraft: Sendable, Codable, Equatable {
    public var name: String
    public var parentOrganisation: String
    public var establishedOn: CalendarDate

    public init(name: String, parentOrganisation: String, establishedOn: CalendarDate) {
        self.name = name
        self.parentOrganisation = parentOrganisation
        self.establishedOn = establishedOn
    }

    public func validate() throws {
        var v = Validator()
        v.text(name, "name", max: 100)
        v.text(parentOrganisation, "parentOrganisation", max: 200)
        v.plannedDay(establishedOn, "establishedOn")
        try v.finish()
    }
}

/// An office in the branch committee.
public enum Office: String, Sendable, Codable, CaseIterable {
    case secretary
    case deputySecretary = "deputy_secretary"
    case committeeMember = "committee_member"
}

/// A member of staff holding an office, with the dates served.
public struct Officer: Sendable, Codable, Equatable {
    public var id: Int64
    public var staffId: StaffMember.ID
    public var staffName: String
    public var office: Office
    public var fromOn: CalendarDate
    public var untilOn: CalendarDate?

    public init(
        id: Int64, staffId: StaffMember.ID, staffName: String, office: Office, fromOn: CalendarDate,
        untilOn: CalendarDate?
    ) {
        self.id = id
        self.staffId = staffId
        self.staffName = staffName
        self.office = office
        self.fromOn = fromOn
        self.untilOn = untilOn
    }
}

/// A member of staff who belongs to the branch.
public struct BranchMember: Sendable, Codable, Equatable {
    public var id: Int64
    public var staffId: StaffMember.ID
    public var staffCode: String
    public var staffName: String
    public var profession: Profession
    public var joinedOn: CalendarDate
    /// Their role in the branch, e.g. member, group leader.
    public var role: String
    /// Joined the Party on the front line (in Wuhan, say).
    public var joinedFrontLine: Bool

    public init(
        id: Int64, staffId: StaffMember.ID, staffCode: String, staffName: String, profession: Profession,
        joinedOn: CalendarDate, role: String,
        joinedFrontLine: Bool
    ) {
        self.id = id
        self.staffId = staffId
        self.staffCode = staffCode
        self.staffName = staffName
        self.profession = profession
        self.joinedOn = joinedOn
        self.role = role
        self.joinedFrontLine = joinedFrontLine
    }
}

/// A member of staff joining the branch.
public struct BranchMemberDraft: Sendable, Codable, Equatable {
    public var staffId: StaffMember.ID
    public var joinedOn: CalendarDate
    public var role: String
    public var joinedFrontLine: Bool

    public init(staffId: StaffMember.ID, joinedOn: CalendarDate, role: String = "member", joinedFrontLine: Bool = false)
    {
        self.staffId = staffId
        self.joinedOn = joinedOn
        self.role = role
        self.joinedFrontLine = joinedFrontLine
    }

    public func validate() throws {
        var v = Validator()
        v.check(staffId > 0, "staffId", "must be a positive id")
        v.text(role, "role", max: 50)
        v.plannedDay(joinedOn, "joinedOn")
        try v.finish()
    }
}
