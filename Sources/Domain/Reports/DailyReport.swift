import Foundation

/// What a site reports to the district command for one day in its time zone: who came and went,
/// who is in care at the end of the day, the staff who worked, and the stock alerts.
public struct DailyReport: Sendable, Encodable, Equatable {
    public var siteId: Site.ID
    public var siteCode: String
    public var siteName: String
    public var district: String
    /// The day reported, in the site's time zone (`timeZone`).
    public var date: CalendarDate
    public var timeZone: String
    /// Admissions during the day.
    public var admitted: Int
    /// Discharges during the day, by reason; `transferred` are the patients sent to a hospital.
    public var discharged: Discharges
    /// Patients on site at the end of the day (now, for today), by their severity as last recorded.
    public var inCare: InCare
    /// People with a published shift during the day.
    public var staffOnDuty: Int
    /// The stock alerts as of the day.
    public var stockAlerts: [StockAlert]
    /// Whether the day is still running where the site is: its numbers are so far.
    public var dayIsOpen: Bool

    public init(
        siteId: Site.ID, siteCode: String, siteName: String, district: String, date: CalendarDate, timeZone: String,
        admitted: Int, discharged: Discharges, inCare: InCare, staffOnDuty: Int, stockAlerts: [StockAlert],
        dayIsOpen: Bool
    ) {
        self.siteId = siteId
        self.siteCode = siteCode
        self.siteName = siteName
        self.district = district
        self.date = date
        self.timeZone = timeZone
        self.admitted = admitted
        self.discharged = discharged
        self.inCare = inCare
        self.staffOnDuty = staffOnDuty
        self.stockAlerts = stockAlerts
        self.dayIsOpen = dayIsOpen
    }

    /// Discharges by reason.
    public struct Discharges: Sendable, Encodable, Equatable {
        public var recovered: Int
        public var transferred: Int
        public var other: Int
        public var total: Int { recovered + transferred + other }

        public init(recovered: Int = 0, transferred: Int = 0, other: Int = 0) {
            self.recovered = recovered
            self.transferred = transferred
            self.other = other
        }
    }

    /// Patients in care, by severity.
    public struct InCare: Sendable, Encodable, Equatable {
        public var bySeverity: [Severity: Int]
        public var total: Int { bySeverity.values.reduce(0, +) }

        public init(bySeverity: [Severity: Int] = [:]) { self.bySeverity = bySeverity }

        /// The count for `severity`, 0 when there are none.
        public subscript(_ severity: Severity) -> Int { bySeverity[severity] ?? 0 }
    }

    /// The CSV header: one row per site and day, so that the command can stack every site's file.
    public static let csvColumns =
        [
            "site", "district", "date", "admitted", "discharged", "discharged_recovered", "transferred_to_hospital",
            "discharged_other", "in_care",
        ] + Severity.allCases.map { "in_care_\($0.rawValue)" } + ["staff_on_duty", "stock_alerts", "day_open"]

    /// The report's row under `csvColumns`.
    public var csvFields: [String] {
        [
            siteCode, district, date.description, String(admitted), String(discharged.total),
            String(discharged.recovered), String(discharged.transferred), String(discharged.other),
            String(inCare.total),
        ] + Severity.allCases.map { String(inCare[$0]) } + [
            String(staffOnDuty), String(stockAlerts.count), dayIsOpen ? "yes" : "no",
        ]
    }
}

extension DailyReport.InCare {
    // Every severity is written, in order, zeros included: a reader need not know the list.
    enum CodingKeys: String, CodingKey { case bySeverity, total }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(
            Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, self[$0]) }), forKey: .bySeverity)
        try c.encode(total, forKey: .total)
    }
}

extension DailyReport.Discharges {
    enum CodingKeys: String, CodingKey { case recovered, transferred, other, total }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(recovered, forKey: .recovered)
        try c.encode(transferred, forKey: .transferred)
        try c.encode(other, forKey: .other)
        try c.encode(total, forKey: .total)
    }
}
