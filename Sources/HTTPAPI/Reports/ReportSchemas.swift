import CordonAPI
import Domain
import Foundation
import Services

extension Components.Schemas.DailyReport {
    init(_ v: DailyReport) {
        self.init(
            siteId: wire(v.siteId),
            siteCode: v.siteCode,
            siteName: v.siteName,
            district: v.district,
            date: v.date.description,
            timeZone: v.timeZone,
            admitted: v.admitted,
            discharged: .init(
                recovered: v.discharged.recovered, transferred: v.discharged.transferred, other: v.discharged.other,
                total: v.discharged.total),
            inCare: .init(
                bySeverity: .init(
                    asymptomatic: v.inCare[.asymptomatic], mild: v.inCare[.mild], moderate: v.inCare[.moderate],
                    severe: v.inCare[.severe], critical: v.inCare[.critical]),
                total: v.inCare.total),
            staffOnDuty: v.staffOnDuty,
            stockAlerts: v.stockAlerts.map { .init($0) },
            dayIsOpen: v.dayIsOpen)
    }
}
