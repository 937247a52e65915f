import Domain
import Foundation
import TestSupport
import Testing

@Suite("HTTP: the daily report, as JSON and as CSV")
struct DailyReportAPITests {
    @Test(
        "today's admissions and a transfer to hospital show in the JSON and in the CSV row; a day not begun, a bad date, a pharmacist and another site are refused"
    )
    func daily() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            _ = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 1)
            let second = try await api.admit(bed: api.fixture.bedsA[1].id, sequence: 2)
            let sent = try await api.call(
                .post, "\(site)/patients/\(second["id"] as? Int ?? 0)/discharge", as: "clinicianA",
                body: #"{"reason":"transferred","note":"绿色通道转浦江一院"}"#)
            #expect(sent.status == 200, "\(sent.text)")

            let report = try await api.call(.get, site + "/daily-report", as: "managerA")
            #expect(report.status == 200, "\(report.text)")
            let json = report.json
            #expect(json["date"] as? String == api.fixture.siteA.today.description)
            #expect(json["dayIsOpen"] as? Bool == true)
            #expect(json["admitted"] as? Int == 2)
            let discharged = json["discharged"] as? [String: Any] ?? [:]
            #expect(discharged["transferred"] as? Int == 1 && discharged["total"] as? Int == 1)
            let inCare = json["inCare"] as? [String: Any] ?? [:]
            #expect(inCare["total"] as? Int == 1)
            #expect((inCare["bySeverity"] as? [String: Int])?["mild"] == 1)
            #expect((inCare["bySeverity"] as? [String: Int])?.count == Severity.allCases.count)

            let csv = try await api.call(.get, site + "/daily-report.csv", as: "clinicianA")
            #expect(csv.status == 200 && csv.header("Content-Type")?.hasPrefix("text/csv") == true)
            let lines = csv.text.split(separator: "\n").map(String.init)
            #expect(lines.first == DailyReport.csvColumns.joined(separator: ","))
            #expect(lines.count == 2 && lines[1].hasPrefix("TA-01,Jinshan,\(api.fixture.siteA.today),2,1,0,1,0,1,"))

            let yesterday = api.fixture.siteA.day(-1, after: api.fixture.siteA.today)
            let before = try await api.call(.get, site + "/daily-report?date=\(yesterday)", as: "managerA")
            #expect(before.json["admitted"] as? Int == 0 && before.json["dayIsOpen"] as? Bool == false)

            let tomorrow = api.fixture.siteA.day(1, after: api.fixture.siteA.today)
            // A date that is not one is malformed (400); one nobody means, or not yet begun, is 422.
            for (query, status) in [
                ("date=\(tomorrow)", 422), ("date=0001-01-01", 422), ("date=2026-02-30", 400), ("date=today", 400),
            ] {
                let refused = try await api.call(.get, site + "/daily-report?\(query)", as: "managerA")
                #expect(refused.status == status && refused.problemFields == ["date"], "\(query): \(refused.text)")
            }
            #expect(try await api.call(.get, site + "/daily-report", as: "pharmacistA").status == 403)
            // Another site's report is not there at all for this manager, as its other records are not.
            #expect(try await api.call(.get, "/sites/\(api.siteB)/daily-report", as: "managerA").status == 404)
        }
    }
}
