import Domain
import Foundation
import Testing

@Suite("iCalendar writer (RFC 5545)")
struct ICalendarTests {
    @Test("TEXT values escape backslash, semicolon, comma and line breaks")
    func escaping() {
        #expect(ICalendar.escape(#"a\b;c,d"#) == #"a\\b\;c\,d"#)
        #expect(ICalendar.escape("line1\nline2\r\nline3") == #"line1\nline2\nline3"#)
    }

    @Test("times are written in UTC with a Z")
    func utc() {
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        let eight = LocalTime.instant(CalendarDate(year: 2022, month: 4, day: 3), "08:00", in: shanghai)!
        #expect(ICalendar.utc(eight) == "20220403T000000Z")
    }

    @Test("lines fold at 75 octets, continuation lines start with a space, and no UTF-8 character is split")
    func folding() {
        let line = "DESCRIPTION:" + String(repeating: "隔离点护理", count: 20)
        let folded = ICalendar.fold(line)
        let parts = folded.components(separatedBy: "\r\n")
        #expect(parts.count > 1)
        for (i, part) in parts.enumerated() {
            #expect(part.utf8.count <= 75)
            if i > 0 { #expect(part.hasPrefix(" ")) }
        }
        #expect(
            parts.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }.joined() == line)
        #expect(ICalendar.fold("SHORT:x") == "SHORT:x")
    }

    @Test("a document has CRLF line ends, one VEVENT per event, and the required properties")
    func document() {
        let start = Date(timeIntervalSince1970: 1_648_944_000)
        let text = ICalendar.document(
            name: "Roster",
            events: [
                ICalendarEvent(
                    uid: "a-1@x", start: start, end: start.addingTimeInterval(14_400), summary: "A, nurse",
                    location: "Zone A", description: "x")
            ], stamp: start)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        for property in [
            "UID:a-1@x", "DTSTAMP:20220403T000000Z", "DTSTART:20220403T000000Z", "DTEND:20220403T040000Z",
            "SUMMARY:A\\, nurse",
        ] {
            #expect(text.contains("\r\n\(property)\r\n"))
        }
    }
}
