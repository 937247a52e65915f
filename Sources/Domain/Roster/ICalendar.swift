import Foundation

/// One event of an iCalendar feed.
public struct ICalendarEvent: Sendable, Equatable {
    public var uid: String
    public var start: Date
    public var end: Date
    public var summary: String
    public var location: String
    public var description: String

    public init(uid: String, start: Date, end: Date, summary: String, location: String, description: String) {
        self.uid = uid
        self.start = start
        self.end = end
        self.summary = summary
        self.location = location
        self.description = description
    }
}

/// A small RFC 5545 writer: CRLF line ends, lines folded at 75 octets without splitting a
/// UTF-8 character, TEXT values escaped, and every time in UTC.
///
/// No maintained Swift iCalendar library is available to us, and a feed of shifts needs only
/// this much of the format.
public enum ICalendar {
    /// A VCALENDAR document holding `events`, stamped at `stamp`.
    public static func document(name: String, events: [ICalendarEvent], stamp: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Cordon//Roster//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape(name),
        ]
        for event in events {
            lines += [
                "BEGIN:VEVENT",
                "UID:" + escape(event.uid),
                "DTSTAMP:" + utc(stamp),
                "DTSTART:" + utc(event.start),
                "DTEND:" + utc(event.end),
                "SUMMARY:" + escape(event.summary),
                "LOCATION:" + escape(event.location),
                "DESCRIPTION:" + escape(event.description),
                "STATUS:CONFIRMED",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// A TEXT value with backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11).
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r\n", "\n", "\r": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    /// A DATE-TIME in UTC form, e.g. `20220403T000000Z`.
    public static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// Splits a content line into lines of at most 75 octets; each continuation starts with a
    /// space (RFC 5545 3.1).
    public static func fold(_ line: String) -> String {
        var out = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if octets + size > 75 {
                out += "\r\n "
                octets = 1
            }
            out.unicodeScalars.append(scalar)
            octets += size
        }
        return out
    }
}
