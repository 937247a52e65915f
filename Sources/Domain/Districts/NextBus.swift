import Foundation

/// What the next bus carries, when the command knows only counts.
public struct BusDemand: Sendable, Codable, Equatable {
    public var women: Int
    public var men: Int
    /// Of them, how many need a bed near the nurses' station (the old, the pregnant, the frail).
    public var nearStation: Int
    /// Of them, how many need an accessible bed.
    public var accessible: Int

    public init(women: Int, men: Int, nearStation: Int = 0, accessible: Int = 0) {
        self.women = women
        self.men = men
        self.nearStation = nearStation
        self.accessible = accessible
    }

    /// The most people one question may be about: a convoy.
    public static let maximumPeople = 2000

    /// Checks the counts; every bound is checked before any sum, so no client number overflows.
    public func validate() throws {
        var v = Validator()
        for (count, field) in [
            (women, "women"), (men, "men"), (nearStation, "nearStation"), (accessible, "accessible"),
        ] {
            v.check((0...Self.maximumPeople).contains(count), field, "must be between 0 and \(Self.maximumPeople)")
        }
        try v.finish()
        var total = Validator()
        total.check(women + men > 0, "women", "the bus carries nobody")
        total.check(women + men <= Self.maximumPeople, "men", "at most \(Self.maximumPeople) people in all")
        total.check(nearStation + accessible <= women + men, "nearStation", "more with needs than on the bus")
        try total.finish()
    }

    /// People standing for the counts: those with needs first, women and men in turn.
    public var arrivals: [Arrival] {
        var sexes = Array(repeating: Sex.female, count: women) + Array(repeating: Sex.male, count: men)
        // Interleave, so that needs fall on both sexes in proportion.
        sexes = sexes.indices.map { i in i.isMultiple(of: 2) ? sexes[i / 2] : sexes[sexes.count - 1 - i / 2] }
        return sexes.enumerated().map { i, sex in
            let needsStation = i < nearStation
            let needsAccess = i >= nearStation && i < nearStation + accessible
            return Arrival(
                id: Int64(i + 1), sex: sex, ageYears: needsStation ? Arrival.elderlyAge : 40,
                vulnerabilities: needsAccess ? [.disability] : [], household: nil)
        }
    }
}

/// How well one site could place the bus now, and why.
public struct SiteRanking: Sendable, Codable, Equatable {
    public var siteId: Site.ID
    public var code: String
    public var placed: Int
    public var unplaced: Int
    public var placesOpened: Int
    public var freeBeds: Int
    /// Why people would be left out there, most common first, e.g. "3 × no free bed ... near the nurses' station".
    public var reasons: [String]
}

/// One leg of a plan that spreads a bus over the district: so many people to this site.
public struct BusLeg: Sendable, Codable, Equatable {
    public var siteId: Site.ID
    public var code: String
    public var people: Int
}

/// Where the next bus should go: each site ranked, and a plan that sends whoever the best site
/// cannot place on to the next.
public struct NextBusAdvice: Sendable, Codable, Equatable {
    public var ranking: [SiteRanking]
    public var plan: [BusLeg]
    /// People no site of the district could place now.
    public var leftOver: Int
}

public enum NextBus {
    /// Ranks sites (open ones only) by how many of `arrivals` each could place now under
    /// `BedAllocation`'s rules, then by fewer places opened, then by more free beds; and plans
    /// the bus over them in that order. A pure function of its input.
    public static func advise(
        _ arrivals: [Arrival], sites: [(siteId: Site.ID, code: String, beds: [AllocationBed])]
    ) -> NextBusAdvice {
        var ranking: [SiteRanking] = []
        for site in sites {
            let proposal = BedAllocation.propose(arrivals, beds: site.beds)
            let reasons = Dictionary(grouping: proposal.unplaced, by: { $0.reason.english })
                .sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
                .map { "\($0.value.count) × \($0.key)" }
            ranking.append(
                SiteRanking(
                    siteId: site.siteId, code: site.code, placed: proposal.placements.count,
                    unplaced: proposal.unplaced.count, placesOpened: proposal.placesOpened,
                    freeBeds: site.beds.filter { $0.status == .free }.count, reasons: reasons))
        }
        ranking.sort {
            ($0.placed, -$0.placesOpened, $0.freeBeds, $1.code) > ($1.placed, -$1.placesOpened, $1.freeBeds, $0.code)
        }
        var remaining = arrivals
        var plan: [BusLeg] = []
        let bedsOf = Dictionary(uniqueKeysWithValues: sites.map { ($0.siteId, $0.beds) })
        for site in ranking where !remaining.isEmpty {
            let proposal = BedAllocation.propose(remaining, beds: bedsOf[site.siteId]!)
            guard !proposal.placements.isEmpty else { continue }
            plan.append(BusLeg(siteId: site.siteId, code: site.code, people: proposal.placements.count))
            let placed = Set(proposal.placements.map(\.arrivalId))
            remaining.removeAll { placed.contains($0.id) }
        }
        return NextBusAdvice(ranking: ranking, plan: plan, leftOver: remaining.count)
    }
}
