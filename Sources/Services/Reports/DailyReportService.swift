import Domain
import Foundation
import Storage

/// The daily report each site owes the district command.
public struct DailyReportService: Sendable {
    let database: Database
    let stockCover: StockCoverService

    /// Who may read a site's report: those who read its census, and the district command it is owed to.
    public static let readers = CensusService.readers.union([.districtCommander])

    /// The report for `date`, today where the site is by default; today's numbers are so far.
    /// A day that has not begun there yet is refused.
    public func daily(siteId: Site.ID, date: CalendarDate? = nil, actor: Actor) async throws -> DailyReport {
        try actor.require(Self.readers, at: siteId)
        return try await database.snapshot(actor) { tx in
            let site = try await tx.site(siteId)
            let today = site.today
            let day = date ?? today
            guard day <= today else {
                throw DomainError.invalid("date", "\(day) has not begun at \(site.code); today there is \(today)")
            }
            let start = site.start(of: day)
            let end = site.start(of: site.day(1, after: day))
            let open = day == today
            let reports = tx.reports
            let moves = try await reports.movements(siteId: siteId, day: start..<end)
            let inCare = try await reports.inCare(siteId: siteId, at: open ? Date() : end, now: open)
            let alerts = try await stockCover.alerts(siteId: siteId, today: day, tx)
            return DailyReport(
                siteId: siteId, siteCode: site.code, siteName: site.name, district: site.district, date: day,
                timeZone: site.timeZone.identifier, admitted: moves.admitted, discharged: moves.discharged,
                inCare: inCare, staffOnDuty: moves.staffOnDuty, stockAlerts: alerts, dayIsOpen: open)
        }
    }
}
