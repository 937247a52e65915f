import Domain
import Foundation
import Testing

@Suite("A site's days: where they begin, in its time zone")
struct SiteDayTests {
    static func site(in zone: String) -> Site {
        Site(
            id: 1, code: "JS-01", name: "演示点", district: "金山区", address: "", kind: .centralisedIsolation,
            bedCapacity: 10, timeZone: TimeZone(identifier: zone)!, openedOn: nil, closedOn: nil, status: .open,
            version: 1)
    }

    @Test("a day in Shanghai begins at 16:00 UTC the evening before")
    func shanghai() {
        let start = Self.site(in: "Asia/Shanghai").start(of: CalendarDate(year: 2022, month: 4, day: 4))
        #expect(start == ISO8601DateFormatter().date(from: "2022-04-03T16:00:00Z"))
    }

    @Test("where the clocks skip midnight, the day begins at 01:00, not at the beginning of time")
    func skippedMidnight() {
        // Chile moved its clocks from 00:00 to 01:00 on 11 September 2022.
        let start = Self.site(in: "America/Santiago").start(of: CalendarDate(year: 2022, month: 9, day: 11))
        #expect(start == ISO8601DateFormatter().date(from: "2022-09-11T04:00:00Z"))
    }
}
