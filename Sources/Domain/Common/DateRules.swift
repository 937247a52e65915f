import Foundation

/// The dates and times a client may send, by what they mean. Nothing before Cordon's era (the
/// first centralised isolation sites opened in 2020), nothing more than a year ahead: a shift in
/// 2 BC or an admission in the year 9999 is a typing slip, refused naming the field.
public enum DateRules {
    /// The earliest day any record may carry.
    public static let earliest = CalendarDate(year: 2020, month: 1, day: 1)
    /// The earliest instant any record may carry (the start of `earliest` anywhere on Earth).
    public static let earliestInstant = Date(timeIntervalSince1970: 1_577_790_000)  // 2019-12-31T11:00Z
    /// How far ahead plans (shifts, appointments, tasks, reviews) may reach.
    public static let horizonDays = 366
    /// How far ahead a lot's expiry may be.
    public static let expiryHorizonDays = 20 * 365
    /// Clocks disagree a little: "now" on a phone may be a few minutes past the server's.
    public static let clockSlack: TimeInterval = 300

    /// The latest calendar date anywhere on Earth at `now`: no site's today is ever "the future".
    public static func latestToday(_ now: Date = Date()) -> CalendarDate {
        CalendarDate(now, in: TimeZone(secondsFromGMT: 14 * 3600)!)
    }
}

extension Validator {
    /// A day that has come: from `since` up to today.
    public mutating func pastDay(
        _ day: CalendarDate?, _ field: String, today: CalendarDate = DateRules.latestToday(),
        since: CalendarDate = DateRules.earliest
    ) {
        guard let day else { return }
        check(day >= since && day <= today, field, "must be a day from \(since) to today")
    }

    /// A day of a plan: from `since` up to a year from today.
    public mutating func plannedDay(
        _ day: CalendarDate?, _ field: String, today: CalendarDate = DateRules.latestToday(),
        since: CalendarDate = DateRules.earliest
    ) {
        guard let day else { return }
        let latest = today.adding(days: DateRules.horizonDays)
        check(day >= since && day <= latest, field, "must be a day from \(since) to \(latest)")
    }

    /// A moment that has happened: from `since` up to now.
    public mutating func pastInstant(
        _ at: Date?, _ field: String, now: Date = Date(), since: Date = DateRules.earliestInstant
    ) {
        guard let at else { return }
        check(at >= since, field, "must not be before \(ISO8601DateFormatter().string(from: since))")
        check(at <= now.addingTimeInterval(DateRules.clockSlack), field, "must not be in the future")
    }

    /// A moment of a plan: from `since` up to a year from now.
    public mutating func plannedInstant(
        _ at: Date?, _ field: String, now: Date = Date(), since: Date = DateRules.earliestInstant
    ) {
        guard let at else { return }
        let latest = now.addingTimeInterval(Double(DateRules.horizonDays) * 86_400)
        check(
            at >= since && at <= latest, field,
            "must be between \(ISO8601DateFormatter().string(from: since)) and \(ISO8601DateFormatter().string(from: latest))"
        )
    }
}
