import Domain
import Foundation
import Storage

/// The rows of one roster import, resolved against the site and checked before any write.
struct RosterImportPlan {
    struct SlotKey: Hashable {
        var zoneId: Zone.ID
        var requires: Profession?
        var startsAt: Date
        var endsAt: Date
    }

    /// A person on a shift, or the shift itself when `staffId` is nil.
    struct PlaceKey: Hashable {
        var staffId: StaffMember.ID?
        var shiftId: Shift.ID
    }

    let siteId: Site.ID
    let rows: [RosterImportRow]
    let tx: Transaction
    var shifts: ShiftRepository { tx.shifts }

    private var zones: [String: Zone] = [:]
    private var staff: [String: StaffMember] = [:]
    /// The rows to add as (slot, staff id, line); rows already on the roster are left out.
    private var additions: [(slot: SlotKey, staffId: StaffMember.ID, line: Int)] = []
    private var newSlots: [SlotKey: RosterImportRow] = [:]
    private var existing: [SlotKey: Shift] = [:]
    private var unchanged = 0
    private var warnings: [RosterFinding] = []

    init(siteId: Site.ID, rows: [RosterImportRow], _ tx: Transaction) async throws {
        self.siteId = siteId
        self.rows = rows
        self.tx = tx
        zones = Dictionary(
            try await tx.sites.zones(siteId: siteId).map { ($0.code, $0) },
            uniquingKeysWith: { a, _ in a })
        staff = Dictionary(
            try await tx.staff.staff(siteId: siteId).map { ($0.code, $0) },
            uniquingKeysWith: { a, _ in a })
    }

    private var window: Range<Date> {
        rows.map(\.startsAt).min()!..<rows.map(\.startsAt).max()!.addingTimeInterval(1)
    }

    /// Resolves every row and checks the rules drafts keep; throws every problem by line,
    /// `formatIssues` (rows that could not be read) among them.
    mutating func validate(alongWith formatIssues: [FieldIssue]) async throws {
        var issues = formatIssues
        var resolved: [(SlotKey, StaffMember, RosterImportRow)] = []
        for row in rows {
            let zone = zones[row.zoneCode]
            let person = staff[row.staffCode]
            if zone == nil {
                issues.append(
                    FieldIssue(field: "line \(row.line)", detail: "zone: no zone \(row.zoneCode) at this site"))
            }
            if person == nil {
                issues.append(
                    FieldIssue(
                        field: "line \(row.line)",
                        detail: "staff_code: no member of staff \(row.staffCode) at this site"))
            }
            if let zone, let person {
                resolved.append(
                    (
                        SlotKey(zoneId: zone.id, requires: row.requires, startsAt: row.startsAt, endsAt: row.endsAt),
                        person, row
                    ))
            }
        }
        if !issues.isEmpty { throw Self.byLine(issues) }

        // People first, then shifts, as every roster change locks them.
        try await tx.staff.lock(siteId: siteId, ids: Array(Set(resolved.map(\.1.id))).sorted())
        for shift in try await shifts.shifts(siteId: siteId, period: window) {
            existing[
                SlotKey(zoneId: shift.zoneId, requires: shift.requires, startsAt: shift.startsAt, endsAt: shift.endsAt)] =
                shift
        }
        try await shifts.lockShifts(siteId: siteId, ids: existing.values.map(\.id))

        var seen: [SlotKey: [StaffMember.ID: Int]] = [:]
        for (slot, person, row) in resolved {
            let at = "line \(row.line)"
            if let shift = existing[slot] {
                if shift.minStaff != row.minStaff || shift.maxStaff != row.maxStaff {
                    issues.append(
                        FieldIssue(
                            field: at,
                            detail:
                                "min_staff/max_staff: the shift already exists with \(shift.minStaff)/\(shift.maxStaff)"
                        ))
                }
            } else if let first = newSlots[slot] {
                if first.minStaff != row.minStaff || first.maxStaff != row.maxStaff {
                    issues.append(
                        FieldIssue(
                            field: at,
                            detail:
                                "min_staff/max_staff: line \(first.line) gives this shift \(first.minStaff)/\(first.maxStaff)"
                        ))
                }
            } else {
                newSlots[slot] = row
            }
            if let earlier = seen[slot]?[person.id] {
                issues.append(
                    FieldIssue(
                        field: at, detail: "staff_code: \(person.code) is already on this shift at line \(earlier)"))
                continue
            }
            seen[slot, default: [:]][person.id] = row.line
            if existing[slot]?.assignments.contains(where: { $0.staffId == person.id }) == true {
                unchanged += 1
            } else {
                additions.append((slot, person.id, row.line))
            }
        }
        if !issues.isEmpty { throw Self.byLine(issues) }
        try await checkRules()
    }

    /// Runs the hard rules over the roster plus the file, mapping each finding to its line.
    private mutating func checkRules() async throws {
        guard !additions.isEmpty else { return }
        var ids: [SlotKey: Shift.ID] = existing.mapValues(\.id)
        var provisional: [Shift] = []
        let zonesById = Dictionary(zones.values.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, (slot, row)) in newSlots.sorted(by: { $0.value.line < $1.value.line }).enumerated() {
            let id = Shift.ID(-Int64(i + 1))
            ids[slot] = id
            let zone = zonesById[slot.zoneId]!
            provisional.append(
                Shift(
                    id: id, siteId: siteId, zoneId: zone.id, zoneCode: zone.code, zoneKind: zone.kind,
                    requires: slot.requires,
                    label: "", startsAt: slot.startsAt, endsAt: slot.endsAt, minStaff: row.minStaff,
                    maxStaff: row.maxStaff,
                    templateId: nil))
        }
        let rules = try await shifts.rules(siteId: siteId)
        let reach = Double(rules.maxConsecutiveDays + 2) * 86_400
        let around = window.lowerBound.addingTimeInterval(-reach)..<window.upperBound.addingTimeInterval(reach)
        let timeZone = try await tx.site(siteId).timeZone
        let before = try await RosterContext.snapshot(
            siteId: siteId, shifts: try await shifts.shifts(siteId: siteId, period: around) + provisional,
            rules: rules, timeZone: timeZone, tx)
        // A finding on a person's shift is that row's; one on a whole shift, its first row's.
        var lineOfPlace: [PlaceKey: Int] = [:]
        lineOfPlace.reserveCapacity(additions.count)
        for addition in additions {
            let shiftId = ids[addition.slot]!
            lineOfPlace[PlaceKey(staffId: addition.staffId, shiftId: shiftId)] = addition.line
            if lineOfPlace[PlaceKey(staffId: nil, shiftId: shiftId)] == nil {
                lineOfPlace[PlaceKey(staffId: nil, shiftId: shiftId)] = addition.line
            }
        }
        let after = before.adding(additions.map { (staffId: $0.staffId, shiftId: ids[$0.slot]!) })
        let introduced = RosterChecker.introduced(before: before, after: after)
        // Imported rows are drafts: only capacities refuse them; the rest is for `roster check`.
        let hard = introduced.filter { $0.rule.blocks(.draft) }
        warnings = introduced.filter { !$0.rule.blocks(.draft) }
        if !hard.isEmpty {
            throw Self.byLine(
                hard.map { finding in
                    let line =
                        lineOfPlace[PlaceKey(staffId: finding.staffId, shiftId: finding.shiftId)]
                        ?? Self.lineOfPerson(finding, additions)
                    return FieldIssue(field: line.map { "line \($0)" } ?? "roster", explanation: finding.refusal())
                })
        }
    }

    /// The issues in the order of the file's lines.
    static func byLine(_ issues: [FieldIssue]) -> DomainError {
        func line(_ issue: FieldIssue) -> Int { Int(issue.field.dropFirst("line ".count)) ?? .max }
        return .invalid(
            issues.enumerated().sorted { (line($0.element), $0.offset) < (line($1.element), $1.offset) }.map(\.element))
    }

    /// A finding on a shift already on the roster (e.g. rest before it) belongs to the file's
    /// first row for that person.
    private static func lineOfPerson(
        _ finding: RosterFinding, _ additions: [(slot: SlotKey, staffId: StaffMember.ID, line: Int)]
    ) -> Int? {
        additions.first { $0.staffId == finding.staffId }?.line
    }

    /// Inserts the new shifts and the draft assignments.
    func write() async throws -> RosterImport {
        let drafts = newSlots.values.sorted { $0.line < $1.line }.map { row in
            ShiftDraft(
                zoneId: zones[row.zoneCode]!.id, requires: row.requires, startsAt: row.startsAt, endsAt: row.endsAt,
                minStaff: row.minStaff, maxStaff: row.maxStaff)
        }
        let created = try await shifts.insertShifts(siteId: siteId, drafts)
        var ids: [SlotKey: Shift.ID] = [:]
        for shift in try await shifts.shifts(siteId: siteId, period: window) {
            ids[
                SlotKey(zoneId: shift.zoneId, requires: shift.requires, startsAt: shift.startsAt, endsAt: shift.endsAt)] =
                shift.id
        }
        let inserted = try await shifts.insertAssignments(
            siteId: siteId, shiftIds: additions.map { ids[$0.slot]! },
            staffIds: additions.map(\.staffId))
        return RosterImport(
            rows: rows.count, shiftsCreated: created, assignmentsCreated: inserted, unchanged: unchanged,
            warnings: warnings)
    }
}
