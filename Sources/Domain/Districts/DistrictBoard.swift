import Foundation

/// A site's beds as the district command counts them. Free means free and held for nobody
/// expected; the marks are the rooms' and bays' (`BedAttributes`).
public struct BedAvailability: Sendable, Codable, Equatable {
    public var total = 0
    public var occupied = 0
    public var free = 0
    /// Free beds proposed to people expected on a bus.
    public var heldForArrivals = 0
    public var cleaning = 0
    public var outOfService = 0
    /// Free beds in rooms or bays kept for women, for men, and for either.
    public var freeForWomen = 0
    public var freeForMen = 0
    public var freeForEither = 0
    public var freeNearStation = 0
    public var freeAccessible = 0
    public var freeOxygen = 0

    public init() {}
}

/// A site's releases and buses home, as the district command follows them.
public struct ReleaseFigures: Sendable, Codable, Equatable {
    /// People released today (their release certificates).
    public var releasedToday = 0
    /// Buses home planned and not yet left.
    public var busesWaiting = 0
    /// Buses home that left today.
    public var busesLeftToday = 0
    /// Committee notices not yet acknowledged, and of those the ones past `COMMITTEE_ACK_HOURS`.
    public var committeesUnanswered = 0
    public var committeesOverdue = 0

    public init() {}
}

/// One site's line on the district's board.
public struct SiteBoard: Sendable, Codable, Equatable {
    public var siteId: Site.ID
    public var code: String
    public var name: String
    public var status: SiteStatus
    /// The site's today, in its time zone.
    public var today: CalendarDate
    public var beds: BedAvailability
    /// People expected on buses not yet admitted, and when the next bus is due.
    public var expectedArrivals: Int
    public var nextArrivalAt: Date?
    public var admittedToday: Int
    public var dischargedToday: Int
    public var inCare: Int
    public var eligibleForRelease: Int
    /// Open green-channel referrals past their time target.
    public var overdueReferrals: Int
    /// Medicines short or expiring (the stock cover's alerts).
    public var stockAlerts: Int
    /// Shifts under way or starting in the next 24 hours with fewer people than their minimum.
    public var rosterGaps: Int
    public var release: ReleaseFigures

    public init(
        siteId: Site.ID, code: String, name: String, status: SiteStatus, today: CalendarDate, beds: BedAvailability,
        expectedArrivals: Int, nextArrivalAt: Date?, admittedToday: Int, dischargedToday: Int, inCare: Int,
        eligibleForRelease: Int, overdueReferrals: Int, stockAlerts: Int, rosterGaps: Int,
        release: ReleaseFigures = ReleaseFigures()
    ) {
        self.siteId = siteId
        self.code = code
        self.name = name
        self.status = status
        self.today = today
        self.beds = beds
        self.expectedArrivals = expectedArrivals
        self.nextArrivalAt = nextArrivalAt
        self.admittedToday = admittedToday
        self.dischargedToday = dischargedToday
        self.inCare = inCare
        self.eligibleForRelease = eligibleForRelease
        self.overdueReferrals = overdueReferrals
        self.stockAlerts = stockAlerts
        self.rosterGaps = rosterGaps
        self.release = release
    }
}

/// Every site of a district on one board, as the district command reads it.
public struct DistrictBoard: Sendable, Codable, Equatable {
    public var district: District
    public var generatedAt: Date
    public var sites: [SiteBoard]

    public init(district: District, generatedAt: Date, sites: [SiteBoard]) {
        self.district = district
        self.generatedAt = generatedAt
        self.sites = sites
    }
}
