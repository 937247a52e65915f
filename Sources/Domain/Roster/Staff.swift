import Foundation

/// What a member of staff does; a shift may require one.
public enum Profession: String, Sendable, Codable, CaseIterable {
    case doctor, nurse, technician, pharmacist, logistics
    case policeLiaison = "police_liaison"
    case volunteer, administrator
}

/// Whether a member of staff can be rostered.
public enum StaffStatus: String, Sendable, Codable, CaseIterable {
    /// On site and available.
    case active
    /// On site but not to be rostered (ill, quarantined, on leave).
    case offDuty = "off_duty"
    /// Gone home with their team.
    case departed
}

/// A member of the site's staff: a doctor, nurse or other worker sent by a hospital.
public struct StaffMember: Sendable, Codable, Equatable {
    public var id: ID
    public var siteId: Site.ID
    /// The work number the site gives them, unique at the site (used by CSV import and export).
    public var code: String
    public var name: String
    public var hospital: String
    public var department: String
    public var profession: Profession
    public var title: String
    public var phone: String?
    public var partyMember: Bool
    public var teamId: Team.ID?
    public var status: StaffStatus
    public var version: Int

    public init(
        id: ID, siteId: Site.ID, code: String, name: String, hospital: String, department: String,
        profession: Profession,
        title: String, phone: String?, partyMember: Bool, teamId: Team.ID?, status: StaffStatus, version: Int
    ) {
        self.id = id
        self.siteId = siteId
        self.code = code
        self.name = name
        self.hospital = hospital
        self.department = department
        self.profession = profession
        self.title = title
        self.phone = phone
        self.partyMember = partyMember
        self.teamId = teamId
        self.status = status
        self.version = version
    }
}

/// The fields a site manager sets on a member of staff.
public struct StaffDraft: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var hospital: String
    public var department: String
    public var profession: Profession
    public var title: String
    public var phone: String?
    public var partyMember: Bool
    public var teamId: Team.ID?
    public var status: StaffStatus

    public init(
        code: String, name: String, hospital: String, department: String = "", profession: Profession,
        title: String = "",
        phone: String? = nil, partyMember: Bool = false, teamId: Team.ID? = nil, status: StaffStatus = .active
    ) {
        self.code = code
        self.name = name
        self.hospital = hospital
        self.department = department
        self.profession = profession
        self.title = title
        self.phone = phone
        self.partyMember = partyMember
        self.teamId = teamId
        self.status = status
    }

    /// The fields of an existing member, to edit and save back.
    public init(_ m: StaffMember) {
        self.init(
            code: m.code, name: m.name, hospital: m.hospital, department: m.department, profession: m.profession,
            title: m.title,
            phone: m.phone, partyMember: m.partyMember, teamId: m.teamId, status: m.status)
    }

    /// A work number: 1-32 letters, digits, dashes or underscores.
    public static func isCode(_ code: String) -> Bool {
        (1...32).contains(code.count)
            && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// A phone number: 5-20 digits, optionally with a leading + and dashes or spaces.

    public func validate() throws {
        var v = Validator()
        v.check(Self.isCode(code), "code", "must be 1-32 letters, digits, dashes or underscores")
        v.text(name, "name", max: 100)
        v.text(hospital, "hospital", max: 200)
        v.optionalText(department, "department", max: 100)
        v.optionalText(title, "title", max: 100)
        v.phone(phone, "phone")
        if let teamId { v.check(teamId > 0, "teamId", "must be a positive id") }
        try v.finish()
    }
}

/// A medical team sent by one hospital, arriving as a batch and leaving together.
public struct Team: Sendable, Codable, Equatable {
    public var id: ID
    public var siteId: Site.ID
    public var name: String
    public var dispatchingHospital: String
    public var arrivesOn: CalendarDate
    public var departsOn: CalendarDate?
    public var leaderStaffId: StaffMember.ID?
    public var memberCount: Int
    public var version: Int

    public init(
        id: ID, siteId: Site.ID, name: String, dispatchingHospital: String, arrivesOn: CalendarDate,
        departsOn: CalendarDate?,
        leaderStaffId: StaffMember.ID?, memberCount: Int, version: Int
    ) {
        self.id = id
        self.siteId = siteId
        self.name = name
        self.dispatchingHospital = dispatchingHospital
        self.arrivesOn = arrivesOn
        self.departsOn = departsOn
        self.leaderStaffId = leaderStaffId
        self.memberCount = memberCount
        self.version = version
    }

    /// Whether the team is on site for every day from `first` to `last`.
    public func isPresent(from first: CalendarDate, through last: CalendarDate) -> Bool {
        arrivesOn <= first && (departsOn.map { last <= $0 } ?? true)
    }
}

/// The fields a site manager sets on a team.
public struct TeamDraft: Sendable, Codable, Equatable {
    public var name: String
    public var dispatchingHospital: String
    public var arrivesOn: CalendarDate
    public var departsOn: CalendarDate?
    public var leaderStaffId: StaffMember.ID?

    public init(
        name: String, dispatchingHospital: String, arrivesOn: CalendarDate, departsOn: CalendarDate? = nil,
        leaderStaffId: StaffMember.ID? = nil
    ) {
        self.name = name
        self.dispatchingHospital = dispatchingHospital
        self.arrivesOn = arrivesOn
        self.departsOn = departsOn
        self.leaderStaffId = leaderStaffId
    }

    public func validate() throws {
        var v = Validator()
        v.text(name, "name", max: 100)
        v.text(dispatchingHospital, "dispatchingHospital", max: 200)
        if let departsOn { v.check(departsOn >= arrivesOn, "departsOn", "must not be before arrivesOn") }
        v.plannedDay(arrivesOn, "arrivesOn")
        v.plannedDay(departsOn, "departsOn")
        if let leaderStaffId { v.check(leaderStaffId > 0, "leaderStaffId", "must be a positive id") }
        try v.finish()
    }
}
