import Foundation

/// A shift at a site: a zone, an optional required profession, a time span and its staffing.
public struct Shift: Sendable, Codable, Equatable {
    public var id: ID
    public var siteId: Site.ID
    public var zoneId: Zone.ID
    public var zoneCode: String
    public var zoneKind: ZoneKind
    /// The profession every person on the shift must have; `nil` takes anyone.
    public var requires: Profession?
    public var label: String
    public var startsAt: Date
    public var endsAt: Date
    public var minStaff: Int
    public var maxStaff: Int
    public var templateId: ShiftTemplate.ID?
    /// The people on it (not cancelled), when the query asked for them.
    public var assignments: [Assignment]

    public init(
        id: ID, siteId: Site.ID, zoneId: Zone.ID, zoneCode: String, zoneKind: ZoneKind, requires: Profession?,
        label: String,
        startsAt: Date, endsAt: Date, minStaff: Int, maxStaff: Int, templateId: ShiftTemplate.ID?,
        assignments: [Assignment] = []
    ) {
        self.id = id
        self.siteId = siteId
        self.zoneId = zoneId
        self.zoneCode = zoneCode
        self.zoneKind = zoneKind
        self.requires = requires
        self.label = label
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.minStaff = minStaff
        self.maxStaff = maxStaff
        self.templateId = templateId
        self.assignments = assignments
    }

    public var minutes: Int { Int(endsAt.timeIntervalSince(startsAt) / 60) }

    /// The local dates the shift touches: its first and last day where the site is.
    public func days(in timeZone: TimeZone) -> (first: CalendarDate, last: CalendarDate) {
        (CalendarDate(startsAt, in: timeZone), CalendarDate(endsAt.addingTimeInterval(-1), in: timeZone))
    }

    /// How the shift reads to a person: zone, role and local times.
    public func summary(in timeZone: TimeZone) -> String { explained(in: timeZone).english }

    /// The shift in a few words, as an explanation's value: zone, profession, day and hours.
    public func explained(in timeZone: TimeZone) -> Explanation {
        let (day, _) = days(in: timeZone)
        return Explanation(
            "roster.shift",
            [
                "zone": .text(zoneCode), "profession": .said(Explanation("profession_\(requires?.rawValue ?? "any")")),
                "day": .text("\(day)"),
                "time": .text("\(LocalTime.format(startsAt, in: timeZone))-\(LocalTime.format(endsAt, in: timeZone))"),
            ])
    }
}

/// A shift as a site manager enters it.
public struct ShiftDraft: Sendable, Codable, Equatable {
    public var zoneId: Zone.ID
    public var requires: Profession?
    public var label: String
    public var startsAt: Date
    public var endsAt: Date
    public var minStaff: Int
    public var maxStaff: Int
    public var templateId: ShiftTemplate.ID?

    public init(
        zoneId: Zone.ID, requires: Profession?, label: String = "", startsAt: Date, endsAt: Date, minStaff: Int,
        maxStaff: Int,
        templateId: ShiftTemplate.ID? = nil
    ) {
        self.zoneId = zoneId
        self.requires = requires
        self.label = label
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.minStaff = minStaff
        self.maxStaff = maxStaff
        self.templateId = templateId
    }

    public static let maximumStaffing = 200

    public func validate() throws {
        var v = Validator()
        v.check(zoneId > 0, "zoneId", "must be a positive id")
        v.optionalText(label, "label", max: 100)
        v.check(endsAt > startsAt, "endsAt", "must be after startsAt")
        v.check(endsAt.timeIntervalSince(startsAt) <= 24 * 3600, "endsAt", "a shift lasts at most 24 hours")
        v.plannedInstant(startsAt, "startsAt")
        ShiftDraft.checkStaffing(&v, min: minStaff, max: maxStaff)
        try v.finish()
    }

    static func checkStaffing(_ v: inout Validator, min: Int, max: Int) {
        v.check(min >= 0, "minStaff", "must be 0 or more")
        v.check((1...maximumStaffing).contains(max), "maxStaff", "must be between 1 and \(maximumStaffing)")
        v.check(min <= max, "minStaff", "must not exceed maxStaff")
    }
}

/// A recurring shift: the same zone, role, local start time and length every day.
public struct ShiftTemplate: Sendable, Codable, Equatable {
    public var id: ID
    public var siteId: Site.ID
    public var name: String
    public var zoneId: Zone.ID
    public var requires: Profession?
    /// Local start time, `HH:MM`.
    public var startTime: String
    public var minutes: Int
    public var minStaff: Int
    public var maxStaff: Int

    public init(
        id: ID, siteId: Site.ID, name: String, zoneId: Zone.ID, requires: Profession?, startTime: String, minutes: Int,
        minStaff: Int, maxStaff: Int
    ) {
        self.id = id
        self.siteId = siteId
        self.name = name
        self.zoneId = zoneId
        self.requires = requires
        self.startTime = startTime
        self.minutes = minutes
        self.minStaff = minStaff
        self.maxStaff = maxStaff
    }

    /// The template's shift on `day`, starting at the local time where the site is.
    public func shift(on day: CalendarDate, in timeZone: TimeZone) -> ShiftDraft {
        let start = LocalTime.instant(day, startTime, in: timeZone)!
        return ShiftDraft(
            zoneId: zoneId, requires: requires, label: name, startsAt: start,
            endsAt: start.addingTimeInterval(TimeInterval(minutes * 60)), minStaff: minStaff, maxStaff: maxStaff,
            templateId: id)
    }
}

/// A shift template as a site manager enters it.
public struct ShiftTemplateDraft: Sendable, Codable, Equatable {
    public var name: String
    public var zoneId: Zone.ID
    public var requires: Profession?
    public var startTime: String
    public var minutes: Int
    public var minStaff: Int
    public var maxStaff: Int

    public init(
        name: String, zoneId: Zone.ID, requires: Profession?, startTime: String, minutes: Int, minStaff: Int,
        maxStaff: Int
    ) {
        self.name = name
        self.zoneId = zoneId
        self.requires = requires
        self.startTime = startTime
        self.minutes = minutes
        self.minStaff = minStaff
        self.maxStaff = maxStaff
    }

    public func validate() throws {
        var v = Validator()
        v.text(name, "name", max: 100)
        v.check(zoneId > 0, "zoneId", "must be a positive id")
        v.check(LocalTime.isValid(startTime), "startTime", "must be a time as HH:MM")
        v.check((15...1440).contains(minutes), "minutes", "must be between 15 and 1440")
        ShiftDraft.checkStaffing(&v, min: minStaff, max: maxStaff)
        try v.finish()
    }
}

/// Whether an assignment is still a draft, is published, or was cancelled.
public enum AssignmentState: String, Sendable, Codable, CaseIterable {
    case draft, published, cancelled
}

/// A member of staff on a shift.
public struct Assignment: Sendable, Codable, Equatable {
    public var id: ID
    public var siteId: Site.ID
    public var shiftId: Shift.ID
    public var staffId: StaffMember.ID
    public var staffCode: String
    public var staffName: String
    public var state: AssignmentState
    public var version: Int

    public init(
        id: ID, siteId: Site.ID, shiftId: Shift.ID, staffId: StaffMember.ID, staffCode: String, staffName: String,
        state: AssignmentState, version: Int
    ) {
        self.id = id
        self.siteId = siteId
        self.shiftId = shiftId
        self.staffId = staffId
        self.staffCode = staffCode
        self.staffName = staffName
        self.state = state
        self.version = version
    }
}

/// A site's roster rules. Sites that set none use the defaults.
public struct RosterRules: Sendable, Codable, Equatable {
    /// The shortest break between two stints of the same person.
    public var minRestMinutes: Int
    /// The longest unbroken time one person spends in the contaminated zone.
    public var contaminatedCapMinutes: Int
    /// More days on duty in a row than this is warned about.
    public var maxConsecutiveDays: Int
    public var version: Int

    public init(
        minRestMinutes: Int = 480, contaminatedCapMinutes: Int = 360, maxConsecutiveDays: Int = 6, version: Int = 0
    ) {
        self.minRestMinutes = minRestMinutes
        self.contaminatedCapMinutes = contaminatedCapMinutes
        self.maxConsecutiveDays = maxConsecutiveDays
        self.version = version
    }

    public static let defaults = RosterRules()

    public func validate() throws {
        var v = Validator()
        v.check((0...2880).contains(minRestMinutes), "minRestMinutes", "must be between 0 and 2880")
        v.check((30...1440).contains(contaminatedCapMinutes), "contaminatedCapMinutes", "must be between 30 and 1440")
        v.check((1...60).contains(maxConsecutiveDays), "maxConsecutiveDays", "must be between 1 and 60")
        try v.finish()
    }
}

/// One shift's staffing over the coming days.
public struct CoverageLine: Sendable, Codable, Equatable {
    public var shiftId: Shift.ID
    public var zoneCode: String
    public var requires: Profession?
    public var label: String
    public var startsAt: Date
    public var endsAt: Date
    public var assigned: Int
    public var published: Int
    public var minStaff: Int
    public var maxStaff: Int
    /// People still needed to reach the minimum.
    public var gap: Int

    public init(_ shift: Shift) {
        shiftId = shift.id
        zoneCode = shift.zoneCode
        requires = shift.requires
        label = shift.label
        startsAt = shift.startsAt
        endsAt = shift.endsAt
        assigned = shift.assignments.count
        published = shift.assignments.filter { $0.state == .published }.count
        minStaff = shift.minStaff
        maxStaff = shift.maxStaff
        gap = max(0, shift.minStaff - assigned)
    }

    /// Shifts with gaps first (largest gap first), then the rest, each by start time.
    public static func ordered(_ shifts: [Shift]) -> [CoverageLine] {
        shifts.map(CoverageLine.init).sorted {
            ($0.gap > 0 ? 0 : 1, -$0.gap, $0.startsAt, $0.shiftId) < (
                $1.gap > 0 ? 0 : 1, -$1.gap, $1.startsAt, $1.shiftId
            )
        }
    }
}

/// Local times of day (`HH:MM`) where a site is.
public enum LocalTime {
    public static func isValid(_ text: String) -> Bool { parse(text) != nil }

    static func parse(_ text: String) -> (hour: Int, minute: Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...23).contains(h), (0...59).contains(m)
        else { return nil }
        return (h, m)
    }

    /// The instant of `time` on `day` in `timeZone`; nil when `time` is not `HH:MM`.
    public static func instant(_ day: CalendarDate, _ time: String, in timeZone: TimeZone) -> Date? {
        guard let (h, m) = parse(time) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: h, minute: m))
    }

    /// `HH:MM` of `instant` in `timeZone`.
    public static func format(_ instant: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.hour, .minute], from: instant)
        return String(format: "%02d:%02d", c.hour!, c.minute!)
    }
}
