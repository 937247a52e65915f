import Domain
import Foundation
import Storage

/// A site's beds, movements and the patients ready for release.
public struct CensusService: Sendable {
    let database: Database
    let settings: ServiceSettings

    static let readers: Set<Role> = [.siteManager, .clinician]

    /// The census for the `days` calendar days ending `through` (today in the site's zone by default).
    public func census(siteId: Int64, through: CalendarDate? = nil, days: Int? = nil, actor: Actor) async throws -> Census {
        try actor.require(Self.readers, at: siteId)
        let days = days ?? settings.censusDays
        guard (1...366).contains(days) else { throw DomainError.invalid("days", "must be between 1 and 366") }
        return try await database.read { connection in
            let logger = database.logger
            guard let site = try await SiteRepository(connection, logger: logger).get(siteId) else {
                throw DomainError.notFound("site not found")
            }
            let zone = TimeZone(identifier: site.timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
            let last = through ?? CalendarDate(Date(), in: zone)
            let first = CalendarDate(Self.midday(of: last, in: zone).addingTimeInterval(Double(1 - days) * 86_400), in: zone)
            let census = CensusRepository(connection, logger: logger)
            let zones = try await census.bedsByZone(siteId: siteId)
            let movements = try await census.movements(siteId: siteId, timeZone: site.timeZone, from: first, through: last)
            let admitted = try await census.admitted(siteId: siteId)
            let tests = Dictionary(grouping: try await PatientRepository(connection, logger: logger).testsOfAdmitted(siteId: siteId),
                                   by: \.patientId)
            var totals = BedCounts()
            for z in zones {
                totals.free += z.beds.free; totals.occupied += z.beds.occupied
                totals.cleaning += z.beds.cleaning; totals.outOfService += z.beds.outOfService
            }
            let eligible = admitted.filter { settings.dischargeRule.isEligible(tests[$0.patientId] ?? []) }
            return Census(siteId: siteId, bedsByZone: zones, totals: totals, admittedPatients: admitted.count,
                          days: movements, eligibleForDischarge: eligible)
        }
    }

    /// Noon of a calendar day, a safe instant for day arithmetic across daylight-saving changes.
    static func midday(of date: CalendarDate, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 12))!
    }
}
