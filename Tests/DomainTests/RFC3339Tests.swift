import Domain
import Foundation
import Testing

@Suite("RFC 3339 date-times as clients send them")
struct RFC3339Tests {
    static let instant = Date(timeIntervalSince1970: 1_796_706_000)  // 2026-12-08T05:00:00Z

    @Test(
        "with or without a fraction of any length, Z or an offset, upper or lower case",
        arguments: [
            ("2026-12-08T05:00:00Z", 0.0), ("2026-12-08T05:00:00.000Z", 0), ("2026-12-08T05:00:00.5Z", 0.5),
            ("2026-12-08T05:00:00.123Z", 0.123), ("2026-12-08T05:00:00.123456Z", 0.123),
            ("2026-12-08T05:00:00.123456789Z", 0.123), ("2026-12-08T13:00:00+08:00", 0),
            ("2026-12-08T13:00:00.250+08:00", 0.25), ("2026-12-08t05:00:00z", 0), ("2026-12-08T00:00:00-05:00", 0),
        ])
    func accepted(text: String, fraction: Double) throws {
        let date = try #require(RFC3339.date(text), "\(text) was refused")
        #expect(abs(date.timeIntervalSince(Self.instant) - fraction) < 0.0005, "\(text) read as \(date)")
    }

    @Test(
        "what is not a date-time is refused",
        arguments: [
            "2026-12-08", "2026-12-08 05:00:00Z", "2026-12-08T05:00:00", "2026-13-08T05:00:00Z",
            "2026-12-08T25:00:00Z", "2026-02-30T05:00:00Z", "2026-12-08T05:60:00Z", "2026-12-08T05:00:00.Z",
            "yesterday", "", "2026-12-08T05:00:00.12a4Z",
        ])
    func refused(text: String) {
        #expect(RFC3339.date(text) == nil, "\(text) was accepted")
    }

    @Test("answers are written to the whole second, in UTC")
    func written() {
        #expect(RFC3339.string(Self.instant.addingTimeInterval(0.7)) == "2026-12-08T05:00:00Z")
    }
}
