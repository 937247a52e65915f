import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("The daily report a site owes the district command")
struct DailyReportTests {
    /// 2026-11-20 in Shanghai runs from 2026-11-19T16:00Z to 2026-11-20T16:00Z.
    static let day = CalendarDate(year: 2026, month: 11, day: 20)

    /// Four stays around the day's local midnights, and two people on a shift of it, one published.
    static func history(_ db: TestDatabase, _ demo: DemoFixture) async throws {
        let site = demo.siteA.id.rawValue
        var rows: [String] = []
        for (n, severity, admitted, discharged, reason) in [
            // The evening before, still in care.
            (1, "severe", "2026-11-19T15:59:59Z", nil, nil),
            // The first second of the day; sent to hospital that evening.
            (2, "moderate", "2026-11-19T16:00:00Z", "2026-11-20T10:00:00Z", "transferred"),
            // 20:00 of the day; released at the next midnight, so in care at the day's end.
            (3, "mild", "2026-11-20T12:00:00Z", "2026-11-20T16:00:00Z", "recovered"),
            // Earlier; left for another reason in the day's last second.
            (4, "mild", "2026-11-18T08:00:00Z", "2026-11-20T15:59:59Z", "other"),
        ] as [(Int, String, String, String?, String?)] {
            let status = discharged == nil ? "admitted" : "discharged"
            rows.append(
                "(\(site), '患者\(n)', 'female', '1969-09-02', '\(testNationalID(sequence: n))', '\(severity)', '\(status)', "
                    + "'\(admitted)', \(discharged.map { "'\($0)'" } ?? "NULL"), \(reason.map { "'\($0)'" } ?? "NULL"))"
            )
        }
        try await db.asOwner(
            """
            INSERT INTO patients (site_id, name, sex, date_of_birth, national_id, severity, status, admitted_at,
                                  discharged_at, discharge_reason)
            VALUES \(rows.joined(separator: ", "))
            """)
        try await db.asOwner(
            """
            WITH m AS (INSERT INTO staff (site_id, code, name, hospital, profession)
                       VALUES (\(site), 'N1', '护士甲', '浦江一院', 'nurse'), (\(site), 'N2', '护士乙', '浦江一院', 'nurse')
                       RETURNING id, code),
                 s AS (INSERT INTO shifts (site_id, zone_id, starts_at, ends_at, min_staff, max_staff)
                       VALUES (\(site), \(demo.zoneA.id.rawValue), '2026-11-20T00:00:00Z', '2026-11-20T04:00:00Z', 1, 3)
                       RETURNING id, starts_at, ends_at)
            INSERT INTO shift_assignments (site_id, shift_id, staff_id, during, state)
            SELECT \(site), s.id, m.id, tstzrange(s.starts_at, s.ends_at),
                   CASE m.code WHEN 'N1' THEN 'published' ELSE 'draft' END
            FROM s, m
            """)
    }

    @Test(
        "a past day counts what happened between its local midnights: admissions, discharges by reason, who was in care at its end, who worked"
    )
    func pastDay() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let demo = try await DemoFixture.make(services)
            try await Self.history(db, demo)
            let report = try await services.reports.daily(
                siteId: demo.siteA.id, date: Self.day, actor: DemoFixture.operatorActor)
            #expect(report.date == Self.day && report.timeZone == "Asia/Shanghai" && !report.dayIsOpen)
            #expect(report.admitted == 2)
            #expect(report.discharged == DailyReport.Discharges(recovered: 0, transferred: 1, other: 1))
            #expect(report.inCare.bySeverity == [.severe: 1, .mild: 1])
            #expect(report.staffOnDuty == 1, "a draft assignment is not a person on duty")

            // The day before saw one admission, the first stay's, and nobody leave.
            let before = try await services.reports.daily(
                siteId: demo.siteA.id, date: CalendarDate(year: 2026, month: 11, day: 19),
                actor: DemoFixture.operatorActor)
            #expect((before.admitted, before.discharged.total, before.inCare.total) == (1, 0, 2))

            let csv = try DailyReportFiles.csv([report])
            let lines = csv.split(separator: "\n").map(String.init)
            #expect(lines.count == 2 && lines[0] == DailyReport.csvColumns.joined(separator: ","))
            #expect(
                lines[1].hasPrefix("TA-01,Jinshan,2026-11-20,2,2,0,1,1,2,0,1,0,1,0,1,"), "\(lines[1])")
        }
    }

    @Test(
        "today's report is so far; a day not begun at the site is refused naming the date; only census readers read it")
    func todayAndRefusals() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let demo = try await DemoFixture.make(services)
            let clinician = Actor(
                userId: 1, username: "c", grants: [Grant(role: .clinician, siteId: demo.siteA.id)], origin: .seed)
            let today = try await services.reports.daily(siteId: demo.siteA.id, actor: clinician)
            #expect(today.date == demo.siteA.today && today.dayIsOpen)
            await #expect(
                throws: DomainError.invalid(
                    "date",
                    "\(demo.siteA.day(1, after: demo.siteA.today)) has not begun at TA-01; today there is \(demo.siteA.today)"
                )
            ) {
                _ = try await services.reports.daily(
                    siteId: demo.siteA.id, date: demo.siteA.day(1, after: demo.siteA.today), actor: clinician)
            }
            let pharmacist = Actor(
                userId: 2, username: "p", grants: [Grant(role: .pharmacist, siteId: demo.siteA.id)], origin: .seed)
            await #expect(throws: DomainError.self) {
                _ = try await services.reports.daily(siteId: demo.siteA.id, actor: pharmacist)
            }
            await #expect(throws: DomainError.self) {
                _ = try await services.reports.daily(siteId: demo.siteB.id, actor: clinician)
            }
        }
    }
}
