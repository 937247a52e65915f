import Foundation

/// The rules a roster is checked against. Hard rules block publishing and edits of published
/// assignments; soft ones are warnings.
public enum RosterRule: String, Sendable, Codable, CaseIterable {
    case overlap
    case minimumRest = "minimum_rest"
    case contaminatedCap = "contaminated_cap"
    case ppeCertification = "ppe_certification"
    case professionMismatch = "profession_mismatch"
    case overStaffed = "over_staffed"
    case notPresent = "not_present"
    case underStaffed = "under_staffed"
    case consecutiveDays = "consecutive_days"

    public var isHard: Bool { self != .underStaffed && self != .consecutiveDays }

    /// Rules even a draft may not break: they are capacities, like a bed. The other hard rules
    /// are shown on drafts and block publishing.
    public var blocksDrafts: Bool { self == .overlap || self == .overStaffed }

    /// Whether a finding of this rule refuses a change to an assignment in `state`.
    public func blocks(_ state: AssignmentState) -> Bool { state == .published ? isHard : blocksDrafts }
}

/// One broken rule: which, for whom, on which shift, and why in one line.
public struct RosterFinding: Sendable, Encodable, Equatable {
    public var rule: RosterRule
    /// `hard` or `soft`.
    public var severity: String
    public var staffId: StaffMember.ID?
    public var staffCode: String?
    public var staffName: String?
    public var shiftId: Shift.ID
    public var shift: String
    public var startsAt: Date
    /// Why, in English, as the API and the CLI give it.
    public var reason: String
    /// Why, as a key and values, for a reader in another language.
    public var explanation: Explanation
    /// The shift, likewise.
    public var shiftExplanation: Explanation

    enum CodingKeys: String, CodingKey {
        case rule, severity, staffId, staffCode, staffName, shiftId, shift, startsAt, reason
    }

    init(_ rule: RosterRule, staff: StaffMember?, shift: Shift, timeZone: TimeZone, because explanation: Explanation) {
        self.rule = rule
        severity = rule.isHard ? "hard" : "soft"
        staffId = staff?.id
        staffCode = staff?.code
        staffName = staff?.name
        shiftId = shift.id
        shiftExplanation = shift.explained(in: timeZone)
        self.shift = shiftExplanation.english
        startsAt = shift.startsAt
        reason = explanation.english
        self.explanation = explanation
    }

    /// What identifies a finding across two checks, whatever its wording.
    public struct Key: Hashable, Sendable {
        public var rule: RosterRule
        public var staffId: StaffMember.ID?
        public var shiftId: Shift.ID

        public init(rule: RosterRule, staffId: StaffMember.ID?, shiftId: Shift.ID) {
            self.rule = rule
            self.staffId = staffId
            self.shiftId = shiftId
        }
    }

    public var key: Key { Key(rule: rule, staffId: staffId, shiftId: shiftId) }

    /// The finding as a refusal: its rule, its reason and, when asked, the shift it is on.
    public func refusal(namingTheShift: Bool = false) -> Explanation {
        var values: [String: Explanation.Value] = [
            "rule": .said(Explanation("rule_\(rule.rawValue)")), "reason": .said(explanation),
        ]
        guard namingTheShift else { return Explanation("roster.refusal", values) }
        values["shift"] = .said(shiftExplanation)
        return Explanation("roster.refusal_on", values)
    }
}

/// Everything the roster rules look at, for one site and a window of time.
public struct RosterSnapshot: Sendable {
    /// Shifts with their (not cancelled) assignments.
    public var shifts: [Shift]
    public var staff: [StaffMember.ID: StaffMember]
    public var teams: [Team.ID: Team]
    /// PPE training records by staff id.
    public var ppeTrainings: [StaffMember.ID: [Training]]
    public var rules: RosterRules
    public var timeZone: TimeZone

    public init(
        shifts: [Shift], staff: [StaffMember], teams: [Team], ppeTrainings: [Training], rules: RosterRules,
        timeZone: TimeZone
    ) {
        self.shifts = shifts
        self.staff = Dictionary(staff.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.teams = Dictionary(teams.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.ppeTrainings = Dictionary(grouping: ppeTrainings.filter { $0.kind == .ppeDonningDoffing }, by: \.staffId)
        self.rules = rules
        self.timeZone = timeZone
    }

    /// The snapshot with `staffId` added to shift `shiftId` (a proposed assignment).
    public func adding(staffId: StaffMember.ID, toShift shiftId: Shift.ID) -> RosterSnapshot {
        adding([(staffId, shiftId)])
    }

    /// The snapshot with each person added to each shift of `pairs` (proposed assignments).
    public func adding(_ pairs: [(staffId: StaffMember.ID, shiftId: Shift.ID)]) -> RosterSnapshot {
        var copy = self
        let index = Dictionary(copy.shifts.indices.map { (copy.shifts[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        for (staffId, shiftId) in pairs {
            guard let i = index[shiftId], let person = staff[staffId] else { continue }
            copy.shifts[i].assignments.append(
                Assignment(
                    id: 0, siteId: copy.shifts[i].siteId, shiftId: shiftId, staffId: staffId,
                    staffCode: person.code, staffName: person.name, state: .draft, version: 0))
        }
        return copy
    }

    /// The snapshot with assignment `assignmentId` given to `staffId` (or removed when nil).
    public func reassigning(_ assignmentId: Assignment.ID, to staffId: StaffMember.ID?) -> RosterSnapshot {
        var copy = self
        for i in copy.shifts.indices {
            guard let j = copy.shifts[i].assignments.firstIndex(where: { $0.id == assignmentId }) else { continue }
            if let staffId, let person = staff[staffId] {
                copy.shifts[i].assignments[j].staffId = staffId
                copy.shifts[i].assignments[j].staffCode = person.code
                copy.shifts[i].assignments[j].staffName = person.name
            } else {
                copy.shifts[i].assignments.remove(at: j)
            }
        }
        return copy
    }
}

/// Checks a roster against the hard rules and the soft findings, explaining each one.
public enum RosterChecker {
    /// Every broken rule on shifts starting in `period` (all shifts when nil), by start time.
    ///
    /// Shifts outside the period still count as neighbours for rest, continuous contaminated
    /// time and consecutive days, so the snapshot should reach a few days beyond it.
    public static func check(_ snapshot: RosterSnapshot, period: Range<Date>? = nil) -> [RosterFinding] {
        var findings: [RosterFinding] = []
        for shift in snapshot.shifts {
            findings += shiftFindings(shift, snapshot)
        }
        findings += personFindings(snapshot)
        return
            findings
            .filter { period?.contains($0.startsAt) ?? true }
            .sorted {
                ($0.startsAt, $0.shiftId, $0.rule.rawValue, $0.staffCode ?? "") < (
                    $1.startsAt, $1.shiftId, $1.rule.rawValue, $1.staffCode ?? ""
                )
            }
    }

    /// The findings `after` has that `before` had not: what a change would break.
    public static func introduced(before: RosterSnapshot, after: RosterSnapshot) -> [RosterFinding] {
        let old = Set(check(before).map(\.key))
        return check(after).filter { !old.contains($0.key) }
    }

    static func shiftFindings(_ shift: Shift, _ s: RosterSnapshot) -> [RosterFinding] {
        var out: [RosterFinding] = []
        let tz = s.timeZone
        let count = shift.assignments.count
        if count > shift.maxStaff {
            out.append(
                RosterFinding(
                    .overStaffed, staff: nil, shift: shift, timeZone: tz,
                    because: Explanation(
                        "roster.over_staffed", ["count": .text("\(count)"), "max": .text("\(shift.maxStaff)")])))
        }
        if count < shift.minStaff {
            out.append(
                RosterFinding(
                    .underStaffed, staff: nil, shift: shift, timeZone: tz,
                    because: Explanation(
                        "roster.under_staffed",
                        [
                            "count": .text("\(count)"), "min": .text("\(shift.minStaff)"),
                            "missing": .text("\(shift.minStaff - count)"),
                        ])))
        }
        let (first, last) = shift.days(in: tz)
        for assignment in shift.assignments {
            guard let person = s.staff[assignment.staffId] else { continue }
            if let needed = shift.requires, person.profession != needed {
                out.append(
                    RosterFinding(
                        .professionMismatch, staff: person, shift: shift, timeZone: tz,
                        because: Explanation(
                            "roster.profession_mismatch",
                            [
                                "name": .text(person.name), "profession": person.profession.explained,
                                "needed": needed.explained,
                            ])))
            }
            if person.status != .active {
                out.append(
                    RosterFinding(
                        .notPresent, staff: person, shift: shift, timeZone: tz,
                        because: Explanation(
                            person.status == .offDuty ? "roster.off_duty" : "roster.departed",
                            ["name": .text(person.name)])))
            } else if let teamId = person.teamId, let team = s.teams[teamId],
                !team.isPresent(from: first, through: last)
            {
                let stay =
                    if let departs = team.departsOn {
                        Explanation("roster.stay", ["from": .text("\(team.arrivesOn)"), "to": .text("\(departs)")])
                    } else {
                        Explanation("roster.stay_open", ["from": .text("\(team.arrivesOn)")])
                    }
                out.append(
                    RosterFinding(
                        .notPresent, staff: person, shift: shift, timeZone: tz,
                        because: Explanation(
                            "roster.team_away",
                            [
                                "name": .text(person.name), "team": .text(team.name), "stay": .said(stay),
                                "day": .text("\(first)"),
                            ])))
            }
            if shift.zoneKind == .contaminated {
                let records = s.ppeTrainings[person.id] ?? []
                if !records.contains(where: { $0.isValid(from: first, through: last) }) {
                    let latestExpiry = records.compactMap(\.expiresOn).max()
                    var values: [String: Explanation.Value] = ["name": .text(person.name), "day": .text("\(first)")]
                    let key: String
                    if records.isEmpty {
                        key = "roster.ppe_none"
                    } else if let latestExpiry, latestExpiry < last {
                        key = "roster.ppe_expired"
                        values["expired"] = .text("\(latestExpiry)")
                    } else {
                        key = "roster.ppe_not_yet"
                    }
                    out.append(
                        RosterFinding(
                            .ppeCertification, staff: person, shift: shift, timeZone: tz,
                            because: Explanation(key, values)))
                }
            }
        }
        return out
    }

    static func personFindings(_ s: RosterSnapshot) -> [RosterFinding] {
        var byPerson: [StaffMember.ID: [Shift]] = [:]
        for shift in s.shifts {
            for a in shift.assignments { byPerson[a.staffId, default: []].append(shift) }
        }
        var out: [RosterFinding] = []
        let tz = s.timeZone
        for (staffId, shifts) in byPerson {
            guard let person = s.staff[staffId] else { continue }
            let sorted = shifts.sorted { ($0.startsAt, $0.id) < ($1.startsAt, $1.id) }
            var stintEnd: Date?
            var contaminatedSince: Date?
            for (i, shift) in sorted.enumerated() {
                if i > 0 {
                    let previous = sorted[i - 1]
                    let gap = shift.startsAt.timeIntervalSince(stintEnd ?? previous.endsAt)
                    if gap < 0 {
                        out.append(
                            RosterFinding(
                                .overlap, staff: person, shift: shift, timeZone: tz,
                                because: Explanation(
                                    "roster.overlap",
                                    ["name": .text(person.name), "previous": .said(previous.explained(in: tz))])))
                    } else if gap > 0 && gap < Double(s.rules.minRestMinutes * 60) {
                        out.append(
                            RosterFinding(
                                .minimumRest, staff: person, shift: shift, timeZone: tz,
                                because: Explanation(
                                    "roster.minimum_rest",
                                    [
                                        "name": .text(person.name), "rest": .said(.duration(seconds: gap)),
                                        "previous": .said(previous.explained(in: tz)),
                                        "minimum": .said(.duration(seconds: Double(s.rules.minRestMinutes * 60))),
                                    ])))
                    }
                    // Back-to-back shifts form one stint; any break ends it.
                    if gap != 0 { contaminatedSince = nil }
                }
                stintEnd = max(stintEnd ?? shift.endsAt, shift.endsAt)
                if shift.zoneKind == .contaminated {
                    let since = contaminatedSince ?? shift.startsAt
                    contaminatedSince = since
                    let continuous = shift.endsAt.timeIntervalSince(since)
                    if continuous > Double(s.rules.contaminatedCapMinutes * 60) {
                        out.append(
                            RosterFinding(
                                .contaminatedCap, staff: person, shift: shift, timeZone: tz,
                                because: Explanation(
                                    "roster.contaminated_cap",
                                    [
                                        "name": .text(person.name), "continuous": .said(.duration(seconds: continuous)),
                                        "since": .text(LocalTime.format(since, in: tz)),
                                        "cap": .said(.duration(seconds: Double(s.rules.contaminatedCapMinutes * 60))),
                                    ])))
                    }
                } else {
                    contaminatedSince = nil
                }
            }
            out += consecutiveDays(person, sorted, s)
        }
        return out
    }

    /// A soft finding on the first shift of each day that makes a run longer than allowed.
    static func consecutiveDays(_ person: StaffMember, _ shifts: [Shift], _ s: RosterSnapshot) -> [RosterFinding] {
        var firstShiftOfDay: [CalendarDate: Shift] = [:]
        for shift in shifts {
            let day = CalendarDate(shift.startsAt, in: s.timeZone)
            if firstShiftOfDay[day] == nil { firstShiftOfDay[day] = shift }
        }
        var out: [RosterFinding] = []
        var runStart: CalendarDate?
        var runLength = 0
        var previous: CalendarDate?
        for day in firstShiftOfDay.keys.sorted() {
            if let previous, previous.adding(days: 1) == day {
                runLength += 1
            } else {
                runStart = day
                runLength = 1
            }
            previous = day
            if runLength > s.rules.maxConsecutiveDays, let runStart {
                out.append(
                    RosterFinding(
                        .consecutiveDays, staff: person, shift: firstShiftOfDay[day]!, timeZone: s.timeZone,
                        because: Explanation(
                            "roster.consecutive_days",
                            [
                                "name": .text(person.name), "days": .text("\(runLength)"),
                                "since": .text("\(runStart)"),
                                "max": .text("\(s.rules.maxConsecutiveDays)"),
                            ])))
            }
        }
        return out
    }
}
