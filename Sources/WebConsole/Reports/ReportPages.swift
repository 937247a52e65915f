import Domain
import Foundation
import Hummingbird
import Services

/// The daily report for the district command, as a page to read and to print.
struct ReportPages: Sendable {
    let visit: Visit
    let site: Site

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        router.get("/console/sites/:site/daily-report") { request, context in
            try await pages.signedIn(request) { visit in
                try await ReportPages(visit: visit, site: try await visit.site(context)).daily()
            }
        }
    }

    func daily() async throws -> Response {
        let asked = visit.request.uri.queryParameters["date"].map(String.init) ?? ""
        let date = asked.isEmpty ? nil : CalendarDate(asked)
        if !asked.isEmpty, date == nil { throw DomainError.invalid("date", "must be a date as YYYY-MM-DD") }
        let report = try await visit.services.reports.daily(siteId: site.id, date: date, actor: visit.actor)
        let words = visit.words
        let model = DailyReportPage(
            site: .init(name: site.name, code: site.code, path: SitePages.pathCode(site)),
            date: report.date.description, today: site.today.description, timeZone: report.timeZone,
            open: report.dayIsOpen, admitted: report.admitted,
            discharged: .init(
                total: report.discharged.total, recovered: report.discharged.recovered,
                transferred: report.discharged.transferred, other: report.discharged.other),
            inCare: report.inCare.total,
            severities: Severity.allCases.map {
                .init(label: words["severity_\($0.rawValue)"], count: report.inCare[$0])
            },
            staff: report.staffOnDuty,
            alerts: StockAlertLine.lines(report.stockAlerts, words: words, site: site),
            hasAlerts: !report.stockAlerts.isEmpty)
        return try await visit.page(
            "daily-report", title: "\(words["report_title"]) \(report.date)", model: model, site: site)
    }
}

/// A site's day for the district command, laid out to print.
struct DailyReportPage: PageModel {
    struct Discharges: Sendable {
        var total: Int
        var recovered: Int
        var transferred: Int
        var other: Int
    }
    struct Count: Sendable {
        var label: String
        var count: Int
    }
    var site: Board.SitePath
    var date: String
    var today: String
    var timeZone: String
    var open: Bool
    var admitted: Int
    var discharged: Discharges
    var inCare: Int
    var severities: [Count]
    var staff: Int
    var alerts: [StockAlertLine]
    var hasAlerts: Bool
}
