import CordonAPI
import Domain
import Foundation
import Services

extension Components.Schemas.DistrictBoard {
    init(_ v: DistrictBoard) {
        self.init(
            district: .init(v.district),
            generatedAt: v.generatedAt,
            sites: v.sites.map { .init($0) })
    }
}

extension Components.Schemas.District {
    init(_ v: District) {
        self.init(
            id: wire(v.id),
            name: v.name)
    }
}

extension Components.Schemas.SiteBoard {
    init(_ v: SiteBoard) {
        self.init(
            siteId: wire(v.siteId),
            code: v.code,
            name: v.name,
            status: v.status.converted(),
            today: v.today.description,
            beds: .init(v.beds),
            expectedArrivals: v.expectedArrivals,
            nextArrivalAt: v.nextArrivalAt,
            admittedToday: v.admittedToday,
            dischargedToday: v.dischargedToday,
            inCare: v.inCare,
            eligibleForRelease: v.eligibleForRelease,
            overdueReferrals: v.overdueReferrals,
            stockAlerts: v.stockAlerts,
            rosterGaps: v.rosterGaps,
            release: .init(
                releasedToday: v.release.releasedToday, busesWaiting: v.release.busesWaiting,
                busesLeftToday: v.release.busesLeftToday, committeesUnanswered: v.release.committeesUnanswered,
                committeesOverdue: v.release.committeesOverdue))
    }
}

extension Components.Schemas.BedAvailability {
    init(_ v: BedAvailability) {
        self.init(
            total: v.total,
            occupied: v.occupied,
            free: v.free,
            heldForArrivals: v.heldForArrivals,
            cleaning: v.cleaning,
            outOfService: v.outOfService,
            freeForWomen: v.freeForWomen,
            freeForMen: v.freeForMen,
            freeForEither: v.freeForEither,
            freeNearStation: v.freeNearStation,
            freeAccessible: v.freeAccessible,
            freeOxygen: v.freeOxygen)
    }
}

extension Components.Schemas.NextBusAdvice {
    init(_ v: NextBusAdvice) {
        self.init(
            ranking: v.ranking.map { .init($0) },
            plan: v.plan.map { .init(siteId: wire($0.siteId), code: $0.code, people: $0.people) },
            leftOver: v.leftOver)
    }
}

extension Components.Schemas.SiteRanking {
    init(_ v: SiteRanking) {
        self.init(
            siteId: wire(v.siteId),
            code: v.code,
            placed: v.placed,
            unplaced: v.unplaced,
            placesOpened: v.placesOpened,
            freeBeds: v.freeBeds,
            reasons: v.reasons)
    }
}
