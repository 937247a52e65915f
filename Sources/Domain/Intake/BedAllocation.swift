import Foundation

/// A bed as the allocation sees it: where it stands, what it offers, and whether someone lies in it.
public struct AllocationBed: Sendable, Equatable {
    public var id: Bed.ID
    public var code: String
    public var zoneId: Zone.ID
    public var zoneCode: String
    public var attributes: BedAttributes
    public var status: BedStatus
    /// The sex of the patient in it, when occupied.
    public var occupantSex: Sex?

    public init(
        id: Bed.ID, code: String, zoneId: Zone.ID, zoneCode: String, attributes: BedAttributes, status: BedStatus,
        occupantSex: Sex?
    ) {
        self.id = id
        self.code = code
        self.zoneId = zoneId
        self.zoneCode = zoneCode
        self.attributes = attributes
        self.status = status
        self.occupantSex = occupantSex
    }
}

/// A person to place, as the allocation sees them.
public struct Arrival: Sendable, Equatable {
    /// The person's id in the batch.
    public var id: Int64
    public var sex: Sex
    public var ageYears: Int
    public var vulnerabilities: Set<Vulnerability>
    public var household: String?

    public init(id: Int64, sex: Sex, ageYears: Int, vulnerabilities: Set<Vulnerability>, household: String?) {
        self.id = id
        self.sex = sex
        self.ageYears = ageYears
        self.vulnerabilities = vulnerabilities
        self.household = household
    }

    /// At this age and above a person lies near the nurses' station.
    public static let elderlyAge = 70
    /// Below this age a person is a child and lies with a guardian of their household.
    public static let childAge = 14
    /// From this age a person may be a child's guardian.
    public static let adultAge = 18

    /// Why this person needs a bed near the nurses' station; empty when they do not.
    public var nearStationReasons: [Explanation] {
        var reasons: [Explanation] = []
        if ageYears >= Self.elderlyAge { reasons.append(Explanation("intake.aged", ["age": .text(String(ageYears))])) }
        let named: [Vulnerability] = [.pregnancy, .dialysis, .cancerTreatment, .chronicDisease]
        for v in named where vulnerabilities.contains(v) { reasons.append(Explanation("intake.\(v.rawValue)")) }
        return reasons
    }

    var needsNearStation: Bool { !nearStationReasons.isEmpty }
    var needsAccessible: Bool { vulnerabilities.contains(.disability) }
    var isChild: Bool { ageYears < Self.childAge }

    /// Whether `bed` meets this person's needs.
    func canLie(in bed: AllocationBed) -> Bool {
        (!needsNearStation || bed.attributes.nearStation) && (!needsAccessible || bed.attributes.accessible)
    }

    /// How many of the bed's special attributes this person would take from someone who needs them.
    func waste(of bed: AllocationBed) -> Int {
        (bed.attributes.nearStation && !needsNearStation ? 1 : 0)
            + (bed.attributes.accessible && !needsAccessible ? 1 : 0)
            + (bed.attributes.oxygen ? 1 : 0)
    }
}

/// One person's proposed bed, with why it suits them.
public struct Placement: Sendable, Equatable {
    public var arrivalId: Int64
    public var bedId: Bed.ID
    public var bedCode: String
    public var reasons: [Explanation]
}

/// One person who could not be placed, and why.
public struct Unplaced: Sendable, Equatable {
    public var arrivalId: Int64
    public var reason: Explanation
}

/// A proposal for a batch: a bed for whoever can be placed, and a reason for whoever cannot.
public struct AllocationProposal: Sendable, Equatable {
    public var placements: [Placement]
    public var unplaced: [Unplaced]
    /// Rooms, bays or open wards that held nobody before and would now.
    public var placesOpened: Int
}

/// Proposes beds for a batch of arrivals under the rules intake keeps:
/// - a room or bay kept for one sex takes only that sex; a closed room holds one sex, or one household;
/// - a household (or group) goes together into one room, or into adjacent free beds of a bay or ward;
/// - a child under 14 goes only with an adult of their household;
/// - the old, the pregnant, and people on dialysis, in cancer treatment or with a chronic disease lie
///   near the nurses' station; a person with a disability lies in an accessible bed;
/// - only free beds are used (not occupied, cleaning or out of service);
/// - as few places as possible are opened, and special beds are kept for those who need them.
///
/// It is a pure function of the arrivals and the beds: the same input gives the same proposal.
public enum BedAllocation {
    public static func propose(_ arrivals: [Arrival], beds: [AllocationBed]) -> AllocationProposal {
        var state = AllocationState(beds: beds)
        var placements: [Placement] = []
        var unplaced: [Unplaced] = []
        for unit in Unit.units(of: arrivals) {
            if let missing = unit.missingGuardian {
                unplaced += unit.members.map { Unplaced(arrivalId: $0.id, reason: missing) }
                continue
            }
            guard let choice = state.bestChoice(for: unit) else {
                unplaced += unit.members.map { Unplaced(arrivalId: $0.id, reason: unit.noBedReason) }
                continue
            }
            placements += state.take(choice, for: unit)
        }
        let order = Dictionary(uniqueKeysWithValues: arrivals.enumerated().map { ($1.id, $0) })
        return AllocationProposal(
            placements: placements.sorted { order[$0.arrivalId]! < order[$1.arrivalId]! },
            unplaced: unplaced.sorted { order[$0.arrivalId]! < order[$1.arrivalId]! },
            placesOpened: state.opened.count)
    }
}

/// People placed together: a household, or one person alone.
struct Unit {
    var household: String?
    var members: [Arrival]
    var line: Int

    /// Households by id, then people alone, hardest first: those needing special beds, then the
    /// largest, then in list order.
    static func units(of arrivals: [Arrival]) -> [Unit] {
        var units: [Unit] = []
        var indexOfHousehold: [String: Int] = [:]
        for (line, arrival) in arrivals.enumerated() {
            if let household = arrival.household, let i = indexOfHousehold[household] {
                units[i].members.append(arrival)
            } else {
                if let household = arrival.household { indexOfHousehold[household] = units.count }
                units.append(Unit(household: arrival.household, members: [arrival], line: line))
            }
        }
        return units.sorted {
            ($0.needsSpecialBeds ? 0 : 1, -$0.members.count, $0.line)
                < ($1.needsSpecialBeds ? 0 : 1, -$1.members.count, $1.line)
        }
    }

    var needsSpecialBeds: Bool { members.contains { $0.needsNearStation || $0.needsAccessible } }

    /// The one sex of all members, or nil for a mixed household.
    var sex: Sex? { Set(members.map(\.sex)).count == 1 ? members[0].sex : nil }

    /// Why a child of this unit cannot be placed: nobody of 18 or over travels with them.
    var missingGuardian: Explanation? {
        guard members.contains(where: \.isChild), !members.contains(where: { $0.ageYears >= Arrival.adultAge })
        else { return nil }
        return Explanation("intake.no_guardian", ["age": .text(String(Arrival.childAge))])
    }

    /// Why no beds were found, naming what the unit needs.
    var noBedReason: Explanation {
        var needs: [Explanation] = [Explanation(sex.map { "intake.for_\($0.rawValue)" } ?? "intake.for_mixed")]
        let nearStation = members.filter(\.needsNearStation).count
        let accessible = members.filter(\.needsAccessible).count
        if nearStation > 0 {
            needs.append(Explanation("intake.need_near_station", ["count": .text(String(nearStation))]))
        }
        if accessible > 0 { needs.append(Explanation("intake.need_accessible", ["count": .text(String(accessible))])) }
        return Explanation(
            members.count == 1 ? "intake.no_bed" : "intake.no_beds_together",
            ["count": .text(String(members.count)), "needs": .all(needs)])
    }
}
