import Domain
import Foundation
import HTTPTypes
import Services
import TestSupport
import Testing

/// The console's roster, referral and dose pages through their routes, on a real database.
@Suite struct ConsolePagesTests {
    /// A nurse and a contaminated-zone shift ten days ahead at site A, for the roster pages.
    static func rosterScene(_ api: APIHarness, _ services: CordonServices, nurseName: String) async throws
        -> (day: CalendarDate, shift: Shift, nurse: StaffMember)
    {
        let op = DemoFixture.operatorActor
        let site = api.fixture.siteA
        let day = CalendarDate(Date(), in: site.timeZone).adding(days: 10)
        let nurse = try await services.staff.createStaff(
            siteId: site.id, StaffDraft(code: "N1", name: nurseName, hospital: "测试医院", profession: .nurse), actor: op)
        let start = LocalTime.instant(day, "08:00", in: site.timeZone)!
        let shift = try await services.roster.createShift(
            siteId: site.id,
            ShiftDraft(
                zoneId: api.fixture.zoneA.id, requires: .nurse, startsAt: start,
                endsAt: start.addingTimeInterval(4 * 3600),
                minStaff: 1, maxStaff: 2), actor: op)
        return (day, shift, nurse)
    }

    @Test(
        "the board links the daily report; the report shows the day's figures in Chinese, any past day by date, and refuses a pharmacist"
    )
    func dailyReport() async throws {
        try await WebConsoleTests.run { api, _ in
            _ = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 1)
            let manager = ConsoleClient(api.client)
            _ = try await manager.signIn("managerA", WebConsoleTests.password)
            let board = try await manager.get("/console/sites/TA-01")
            #expect(board.html.contains("href=\"/console/sites/TA-01/daily-report\">日报</a>"))
            let today = try await manager.get("/console/sites/TA-01/daily-report")
            #expect(today.status == 200)
            #expect(today.html.contains("<th scope=\"row\">收治</th><td>1</td>"), "\(today.html)")
            #expect(today.html.contains("今日，截至目前"))
            #expect(today.html.contains("<th scope=\"row\" class=\"sub\">轻型</th><td>1</td>"))
            let yesterday = api.fixture.siteA.day(-1, after: api.fixture.siteA.today)
            let past = try await manager.get("/console/sites/TA-01/daily-report?date=\(yesterday)")
            #expect(past.html.contains("<th scope=\"row\">收治</th><td>0</td>") && !past.html.contains("截至目前"))
            #expect(try await manager.get("/console/sites/TA-01/daily-report?date=2026-02-30").status == 400)
            let pharmacist = ConsoleClient(api.client)
            _ = try await pharmacist.signIn("pharmacistA", WebConsoleTests.password)
            #expect(try await pharmacist.get("/console/sites/TA-01/daily-report").status == 403)
        }
    }

    @Test("a nurse without a PPE certificate is shown as such in the picker and the finding lands on the week's cell")
    func rosterFindingOnTheCell() async throws {
        try await WebConsoleTests.run { api, services in
            let (day, shift, nurse) = try await Self.rosterScene(api, services, nurseName: "<script>alert(1)</script>")
            let manager = ConsoleClient(api.client)
            _ = try await manager.signIn("managerA", WebConsoleTests.password)
            let picker = try await manager.get("/console/sites/TA-01/roster/shifts/\(shift.id.rawValue)")
            #expect(picker.status == 200)
            #expect(picker.html.contains("data-candidate=\"N1\""))
            #expect(!picker.html.contains("<script>alert"), "a member of staff's name is text, not markup")
            let token = try #require(picker.csrf)
            let assigned = try await manager.post(
                "/console/sites/TA-01/roster/shifts/\(shift.id.rawValue)/assign",
                [("csrf", token), ("staffId", String(nurse.id.rawValue))])
            #expect(assigned.status == 303)
            let week = try await manager.get("/console/sites/TA-01/roster?from=\(day)")
            #expect(week.html.contains("data-rule=\"ppe_certification\""), "the finding is on the cell")
            #expect(week.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            // The reason's values (the name, the day) are marked as data inside the sentence.
            let weekText = week.html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            #expect(
                weekText.contains("没有防护服穿脱培训合格证；该污染区班次在 \(day)"),
                "the finding's reason is in the page's language")
            let refused = try await manager.post(
                "/console/sites/TA-01/roster/publish",
                [("csrf", token), ("from", day.description), ("through", day.adding(days: 6).description)])
            #expect(
                refused.status == 422 && refused.html.contains("ppe_certification"), "publishing says what blocks it")
            #expect(refused.html.contains("无防护服穿脱培训合格证："), "and says it in the page's language")
            #expect(
                try await api.db.count("SELECT count(*)::int FROM shift_assignments WHERE state = 'published'") == 0)
        }
    }

    @Test("a member of staff linked to the user they sign in as finds their own roster; the link is the manager's")
    func ownRoster() async throws {
        try await WebConsoleTests.run { api, services in
            let (day, _, nurse) = try await Self.rosterScene(api, services, nurseName: "许春梅")
            let other = try await services.staff.createStaff(
                siteId: api.fixture.siteA.id, StaffDraft(code: "N2", name: "陆晓燕", hospital: "测试医院", profession: .nurse),
                actor: DemoFixture.operatorActor)
            let account = "/sites/\(api.siteA)/staff/\(nurse.id)/account"
            let clinician = ConsoleClient(api.client)
            _ = try await clinician.signIn("clinicianA", WebConsoleTests.password)
            #expect(
                !(try await clinician.get("/console/sites/TA-01/roster?from=\(day)").html.contains("data-own-roster")))
            let asPharmacist = try await api.call(.put, account, as: "pharmacistA", body: #"{"username":"cliniciana"}"#)
            #expect(asPharmacist.status == 403, "only the site manager links accounts")
            let unknown = try await api.call(.put, account, as: "managerA", body: #"{"username":"nobody-here"}"#)
            #expect(unknown.status == 422 && (unknown.json["detail"] as? String)?.contains("user") == true)
            #expect(
                try await api.call(.put, account, as: "managerA", body: #"{"username":"cliniciana"}"#).status == 204)
            let twice = try await api.call(
                .put, "/sites/\(api.siteA)/staff/\(other.id)/account", as: "managerA",
                body: #"{"username":"cliniciana"}"#)
            #expect(twice.status == 409, "one member of staff per user at a site")
            let week = try await clinician.get("/console/sites/TA-01/roster?from=\(day)")
            #expect(
                week.html.contains("data-own-roster") && week.html.contains("staff=N1"), "the link opens N1's roster")
            #expect(try await api.call(.delete, account, as: "managerA").status == 204)
            #expect(
                !(try await clinician.get("/console/sites/TA-01/roster?from=\(day)").html.contains("data-own-roster")))
            #expect(
                try await api.db.count(
                    "SELECT count(*)::int FROM audit_log WHERE entity = 'staff' AND action IN ('link_account', 'unlink_account')"
                ) == 2)
        }
    }

    @Test("a roster CSV with a bad line is refused by line number and writes nothing; a clean one is imported")
    func rosterUpload() async throws {
        try await WebConsoleTests.run { api, services in
            let (day, _, _) = try await Self.rosterScene(api, services, nurseName: "许春梅")
            let manager = ConsoleClient(api.client)
            _ = try await manager.signIn("managerA", WebConsoleTests.password)
            let form = try await manager.get("/console/sites/TA-01/roster/upload")
            let token = try #require(form.csrf)
            let header = "date,start,end,zone,requires,min_staff,max_staff,staff_code\n"
            let before = try await api.db.count("SELECT count(*)::int FROM shifts")
            let bad = try await manager.upload(
                "/console/sites/TA-01/roster/upload", [("csrf", token)],
                file: ("file", header + "\(day),14:00,18:00,A,nurse,1,2,N1\n\(day),14:00,18:00,A,nurse,1,2,N9\n"))
            #expect(bad.status == 422)
            #expect(bad.html.contains("line 3"), "the bad line is named by its number")
            #expect(try await api.db.count("SELECT count(*)::int FROM shifts") == before, "nothing is written")
            let good = try await manager.upload(
                "/console/sites/TA-01/roster/upload", [("csrf", token)],
                file: ("file", header + "\(day),14:00,18:00,A,nurse,1,2,N1\n"))
            #expect(good.status == 200 && good.html.contains("notice ok"))
            #expect(try await api.db.count("SELECT count(*)::int FROM shifts") == before + 1)
            let noToken = try await manager.upload(
                "/console/sites/TA-01/roster/upload", [], file: ("file", header))
            #expect(noToken.status == 403, "an upload without the CSRF token is refused")
            let pharmacist = ConsoleClient(api.client)
            _ = try await pharmacist.signIn("pharmacistA", WebConsoleTests.password)
            #expect(try await pharmacist.get("/console/sites/TA-01/roster/upload").status == 403)
            let week = try await pharmacist.get("/console/sites/TA-01/roster?from=\(day)")
            #expect(week.status == 200 && !week.html.contains("/roster/publish"))
        }
    }

    @Test("the patient list filters by zone and by the release rule's verdict, as the census gives it")
    func patientFilters() async throws {
        try await WebConsoleTests.run { api, services in
            let admitted = try await api.call(
                .post, "/sites/\(api.siteA)/patients", as: "clinicianA",
                body: api.admission(bed: api.fixture.bedsA[0].id, sequence: 6, name: "区内患者"))
            #expect(admitted.status == 201)
            // Two clear tests a day and more apart: the release rule's verdict is yes.
            let patientId = Patient.ID(Int64(try #require(admitted.json["id"] as? Int)))
            let manager = ConsoleClient(api.client)
            _ = try await manager.signIn("managerA", WebConsoleTests.password)
            let untested = try await manager.get("/console/sites/TA-01/patients/\(patientId)")
            #expect(untested.html.contains("尚无核酸检测记录"), "the release rule's reason is in the page's language")
            for hoursAgo in [50.0, 2.0] {
                _ = try await services.patients.addTest(
                    siteId: api.fixture.siteA.id, patientId: patientId,
                    NucleicAcidTestEntry(
                        sampledAt: Date().addingTimeInterval(-hoursAgo * 3600), result: .negative, nGeneCt: 38,
                        orf1abCt: 38), actor: DemoFixture.operatorActor)
            }
            #expect(try await manager.get("/console/sites/TA-01/patients?zone=A").html.contains("区内患者"))
            #expect(!(try await manager.get("/console/sites/TA-01/patients?zone=CLN").html.contains("区内患者")))
            let census = try await services.census.census(
                siteId: api.fixture.siteA.id, actor: DemoFixture.operatorActor)
            #expect(census.eligibleForDischarge.map(\.patientId) == [patientId])
            #expect(try await manager.get("/console/sites/TA-01/patients?eligible=1").html.contains("区内患者"))
            #expect(!(try await manager.get("/console/sites/TA-01/patients?eligible=1&zone=CLN").html.contains("区内患者")))
            let pharmacist = ConsoleClient(api.client)
            _ = try await pharmacist.signIn("pharmacistA", WebConsoleTests.password)
            #expect(!(try await pharmacist.get("/console/sites/TA-01/patients").html.contains("name=\"eligible\"")))
        }
    }

    @Test("a refused form says why in the page's language: Chinese by default, English when chosen")
    func refusalsInTheirLanguage() async throws {
        try await WebConsoleTests.run { api, _ in
            let clinician = ConsoleClient(api.client)
            _ = try await clinician.signIn("clinicianA", WebConsoleTests.password)
            let token = try #require(try await clinician.get("/console/sites/TA-01/referrals/new").csrf)
            let form = [
                ("csrf", token), ("patientId", "1"), ("destination", "1:"), ("urgency", "urgent"),
                ("reason", String(repeating: "长", count: 501)), ("clinicalSummary", "摘要"),
            ]
            let chinese = try await clinician.post("/console/sites/TA-01/referrals", form)
            #expect(chinese.status == 422)
            #expect(chinese.html.contains("最多 500 个字符"), "a sentence with a number, translated")
            _ = try await clinician.get("/console/language?lang=en&back=/console/")
            let english = try await clinician.post("/console/sites/TA-01/referrals", form)
            #expect(english.html.contains("must be at most 500 characters"))
        }
    }
}
