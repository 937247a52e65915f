import Foundation

/// One row of a roster spreadsheet: a person on a shift. The same columns are exported and
/// imported, so an exported file can be edited and read back.
public struct RosterImportRow: Sendable, Equatable {
    /// The header, in the order files are written.
    public static let columns = ["date", "start", "end", "zone", "requires", "min_staff", "max_staff", "staff_code"]

    /// The line of the file the row starts on.
    public var line: Int
    public var zoneCode: String
    public var requires: Profession?
    public var startsAt: Date
    public var endsAt: Date
    public var minStaff: Int
    public var maxStaff: Int
    public var staffCode: String

    /// Reads one row, its fields already trimmed; local times are where the site is, and an end
    /// at or before the start is on the next day. Returns every problem of the row, each naming
    /// its line and column.
    public static func parse(_ fields: [String: String], line: Int, timeZone: TimeZone) -> Result<
        RosterImportRow, DomainError
    > {
        var v = Validator()
        let at = "line \(line)"
        func field(_ name: String) -> String { fields[name] ?? "" }
        let date = CalendarDate(field("date"))
        v.check(date != nil, at, "date: '\(field("date"))' is not a date as YYYY-MM-DD")
        v.check(LocalTime.isValid(field("start")), at, "start: '\(field("start"))' is not a time as HH:MM")
        v.check(LocalTime.isValid(field("end")), at, "end: '\(field("end"))' is not a time as HH:MM")
        v.check(!field("zone").isEmpty, at, "zone: is empty")
        let requiresText = field("requires")
        let requires = Profession(rawValue: requiresText)
        v.check(
            requiresText.isEmpty || requires != nil, at,
            "requires: '\(requiresText)' is not one of \(Profession.allCases.map(\.rawValue).joined(separator: ", ")) (or empty)"
        )
        let minStaff = Int(field("min_staff"))
        let maxStaff = Int(field("max_staff"))
        v.check(minStaff != nil, at, "min_staff: '\(field("min_staff"))' is not a whole number")
        v.check(maxStaff != nil, at, "max_staff: '\(field("max_staff"))' is not a whole number")
        if let minStaff, let maxStaff {
            var staffing = Validator()
            ShiftDraft.checkStaffing(&staffing, min: minStaff, max: maxStaff)
            for issue in staffing.issues {
                v.fail(at, "\(issue.field == "minStaff" ? "min_staff" : "max_staff"): \(issue.detail)")
            }
        }
        v.check(StaffDraft.isCode(field("staff_code")), at, "staff_code: '\(field("staff_code"))' is not a work number")
        guard v.issues.isEmpty, let date, let minStaff, let maxStaff,
            let start = LocalTime.instant(date, field("start"), in: timeZone),
            var end = LocalTime.instant(date, field("end"), in: timeZone)
        else {
            return .failure(.invalid(v.issues))
        }
        if end <= start { end = LocalTime.instant(date.adding(days: 1), field("end"), in: timeZone)! }
        return .success(
            RosterImportRow(
                line: line, zoneCode: field("zone"), requires: requires, startsAt: start, endsAt: end,
                minStaff: minStaff, maxStaff: maxStaff, staffCode: field("staff_code")))
    }

    /// The export row of `shift` for the person `staffCode`.
    public static func fields(of shift: Shift, staffCode: String, timeZone: TimeZone) -> [String] {
        [
            CalendarDate(shift.startsAt, in: timeZone).description, LocalTime.format(shift.startsAt, in: timeZone),
            LocalTime.format(shift.endsAt, in: timeZone), shift.zoneCode, shift.requires?.rawValue ?? "",
            String(shift.minStaff), String(shift.maxStaff), staffCode,
        ]
    }
}
