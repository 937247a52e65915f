/// Who is due for a nucleic-acid swab on a day: every admitted patient from a number of days after
/// admission (1 by default: not the day they arrive, they were tested to be sent), then every
/// `intervalDays` (1: daily) after their last swab, and never twice on one day.
public struct SwabSchedule: Sendable, Equatable, Codable {
    /// Days after the day of admission of the first swab.
    public var firstDayAfterAdmission: Int
    /// Days between swabs.
    public var intervalDays: Int

    public init(firstDayAfterAdmission: Int = 1, intervalDays: Int = 1) {
        self.firstDayAfterAdmission = firstDayAfterAdmission
        self.intervalDays = intervalDays
    }

    /// The largest gap a site may set: a week.
    public static let longestInterval = 7

    public func validate() throws {
        var v = Validator()
        v.check(
            (0...Self.longestInterval).contains(firstDayAfterAdmission), "firstDayAfterAdmission", "must be 0-7 days")
        v.check((1...Self.longestInterval).contains(intervalDays), "intervalDays", "must be 1-7 days")
        try v.finish()
    }

    /// Whether a patient admitted on `admittedOn`, last swabbed on `lastSwabbedOn` (nil if never
    /// here), is due on `day`.
    public func isDue(admittedOn: CalendarDate, lastSwabbedOn: CalendarDate?, on day: CalendarDate) -> Bool {
        guard day >= admittedOn.adding(days: firstDayAfterAdmission) else { return false }
        guard let last = lastSwabbedOn, last >= admittedOn else { return true }
        return day >= last.adding(days: intervalDays)
    }
}
