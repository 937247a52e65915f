import Foundation

/// Dates for test bodies, relative to today: a plan may reach a year ahead and no further, so a
/// test that needs "some day ahead" asks for one instead of writing a year down.
public enum Soon {
    /// `YYYY-MM-DD`, `days` from today (UTC).
    public static func day(_ days: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
    }

    /// `YYYY-MM-DDTHH:MM:00Z` at `hour`:`minute` UTC, `days` from today.
    public static func instant(_ days: Int, hour: Int, minute: Int = 0) -> String {
        day(days) + String(format: "T%02d:%02d:00Z", hour, minute)
    }

    /// `YYYY-MM-DDTHH:MM` (a local time, as the CLI takes it), `days` from today.
    public static func local(_ days: Int, hour: Int, minute: Int = 0) -> String {
        day(days) + String(format: "T%02d:%02d", hour, minute)
    }
}

extension Date {
    /// This instant rounded down to a whole number of `minutes` since the epoch.
    public func rounded(toMinutes minutes: Int) -> Date {
        let step = Double(minutes * 60)
        return Date(timeIntervalSince1970: (timeIntervalSince1970 / step).rounded(.down) * step)
    }
}
