import Domain
import Foundation
import Storage

/// A site's beds, movements and the patients ready for release.
public struct CensusService: Sendable {
    let database: Database
    let settings: ServiceSettings

    public static let readers: Set<Role> = [.siteManager, .clinician]

    /// The census for the `days` calendar days ending `through` (today in the site's zone by default).
    public func census(siteId: Site.ID, through: CalendarDate? = nil, days: Int? = nil, actor: Actor) async throws
        -> Census
    {
        try actor.require(Self.readers, at: siteId)
        let days = days ?? settings.censusDays
        guard (1...366).contains(days) else { throw DomainError.invalid("days", "must be between 1 and 366") }
        return try await database.read(actor) { tx in
            let site = try await tx.site(siteId)
            let last = through ?? site.today
            let first = site.day(1 - days, after: last)
            let census = tx.census
            let zones = try await census.bedsByZone(siteId: siteId)
            let movements = try await census.movements(siteId: siteId, from: first, through: last)
            let counts = try await census.patientCounts(siteId: siteId)
            let eligible = try await census.eligible(siteId: siteId, limit: Census.eligibleListed)
            var totals = BedCounts()
            for z in zones {
                totals.free += z.beds.free
                totals.occupied += z.beds.occupied
                totals.cleaning += z.beds.cleaning
                totals.outOfService += z.beds.outOfService
            }
            return Census(
                siteId: siteId, bedsByZone: zones, totals: totals, admittedPatients: counts.admitted,
                days: movements, eligibleForDischargeCount: counts.eligible, eligibleForDischarge: eligible)
        }
    }
}
