import Foundation

/// A room, a bay, or the beds of a zone that stand in neither (an open ward), as the allocation
/// fills it.
struct AllocationPlace {
    var key: String
    /// As people read it: "room 301", "bay B3", "zone A".
    var label: Explanation
    /// A closed room holds one sex, or one household; bays and wards are open.
    var isRoom: Bool
    var singleSex: Sex?
    /// Every bed of the place in code order; occupancy breaks runs of adjacent free beds.
    var beds: [AllocationBed]
    var taken: [Bool]
    var sexesPresent: Set<Sex>
    var heldByHousehold = false
    /// Free beds not yet taken by this allocation.
    var freeCount = 0

    var inUse: Bool { !sexesPresent.isEmpty }

    func isFree(_ i: Int) -> Bool { beds[i].status == .free && !taken[i] }
}

/// Beds for a unit in one place, and which member lies in which.
struct AllocationChoice {
    var place: Int
    /// Index of the bed in the place, per member in the unit's order.
    var beds: [Int]
    var cost: Int
}

struct AllocationState {
    var places: [AllocationPlace]
    var opened: Set<String> = []

    init(beds: [AllocationBed]) {
        var byKey: [String: AllocationPlace] = [:]
        for bed in beds {
            let key = bed.attributes.place ?? "ward \(bed.zoneId)"
            let label =
                if let room = bed.attributes.room {
                    Explanation("intake.place_room", ["room": .text(room)])
                } else if let bay = bed.attributes.bay {
                    Explanation("intake.place_bay", ["bay": .text(bay)])
                } else {
                    Explanation("intake.place_ward", ["zone": .text(bed.zoneCode)])
                }
            var place =
                byKey[key]
                ?? AllocationPlace(
                    key: key, label: label, isRoom: bed.attributes.room != nil,
                    singleSex: bed.attributes.singleSex, beds: [], taken: [], sexesPresent: [])
            place.beds.append(bed)
            place.taken.append(false)
            if bed.status == .free { place.freeCount += 1 }
            if let sex = bed.occupantSex { place.sexesPresent.insert(sex) }
            byKey[key] = place
        }
        places = byKey.values.sorted { $0.key < $1.key }
        for i in places.indices {
            places[i].beds.sort { $0.code.compare($1.code, options: .numeric) == .orderedAscending }
        }
    }

    /// Costs, in order of weight: taking a special bed one does not need (they are scarce, and the
    /// next bus may bring someone who does), opening a place, mixing sexes in an open bay, and
    /// leaving a closed room half empty.
    static let wasteCost = 1500
    static let openingCost = 1000
    static let mixingCost = 500
    static let leftoverCost = 1

    /// The cheapest beds that keep every rule for `unit`, or nil when there are none. A place's
    /// costs but waste are known before its beds are looked at, so a place that cannot beat the
    /// best so far is skipped, and the search ends at a place that costs nothing.
    func bestChoice(for unit: Unit) -> AllocationChoice? {
        var best: AllocationChoice?
        let size = unit.members.count
        for (p, place) in places.enumerated() where place.freeCount >= size && admits(place, unit) {
            var floor = place.inUse ? 0 : Self.openingCost
            if !place.isRoom, place.singleSex == nil, let sex = unit.sex, !place.sexesPresent.subtracting([sex]).isEmpty
            {
                floor += Self.mixingCost
            }
            if place.isRoom { floor += (place.freeCount - size) * Self.leftoverCost }
            if let best, floor >= best.cost { continue }
            for window in windows(in: place, size: size) {
                guard let (beds, waste) = Self.match(unit.members, to: window, in: place) else { continue }
                let cost = floor + waste * Self.wasteCost
                if cost < best?.cost ?? .max { best = AllocationChoice(place: p, beds: beds, cost: cost) }
                if waste == 0 { break }
            }
            if best?.cost == 0 { break }
        }
        return best
    }

    /// Whether the place's sex rule lets this unit in.
    func admits(_ place: AllocationPlace, _ unit: Unit) -> Bool {
        if let kept = place.singleSex { return unit.sex == kept }
        guard place.isRoom else { return true }
        if place.heldByHousehold { return false }
        guard let sex = unit.sex else { return !place.inUse }
        return place.sexesPresent.isSubset(of: [sex])
    }

    /// Sets of free beds that count as together: all of a room's, or each run of `size` adjacent
    /// free beds of a bay or ward.
    func windows(in place: AllocationPlace, size: Int) -> [[Int]] {
        let free = place.beds.indices.filter(place.isFree)
        guard free.count >= size else { return [] }
        if place.isRoom { return [free] }
        var windows: [[Int]] = []
        var run: [Int] = []
        for i in place.beds.indices {
            if place.isFree(i) {
                run.append(i)
                if run.count >= size { windows.append(Array(run.suffix(size))) }
            } else {
                run = []
            }
        }
        return windows
    }

    /// Each member in a bed of `window` that meets their needs, wasting as few special beds as
    /// can be found: members with needs choose first, each the least special bed left, trying
    /// others when that leaves someone without a bed.
    static func match(_ members: [Arrival], to window: [Int], in place: AllocationPlace) -> ([Int], Int)? {
        let order = members.indices.sorted {
            let a = members[$0]
            let b = members[$1]
            return ((a.needsNearStation ? 1 : 0) + (a.needsAccessible ? 1 : 0), -$0)
                > ((b.needsNearStation ? 1 : 0) + (b.needsAccessible ? 1 : 0), -$1)
        }
        var chosen = [Int](repeating: -1, count: members.count)
        var used = Set<Int>()
        var steps = 0
        func assign(_ k: Int) -> Bool {
            if k == order.count { return true }
            steps += 1
            if steps > 10_000 { return false }
            let member = members[order[k]]
            let options = window.filter { !used.contains($0) && member.canLie(in: place.beds[$0]) }
                .sorted { member.waste(of: place.beds[$0]) < member.waste(of: place.beds[$1]) }
            for bed in options {
                chosen[order[k]] = bed
                used.insert(bed)
                if assign(k + 1) { return true }
                used.remove(bed)
            }
            return false
        }
        guard assign(0) else { return nil }
        let waste = zip(members, chosen).reduce(0) { $0 + $1.0.waste(of: place.beds[$1.1]) }
        return (chosen, waste)
    }

    /// Marks the chosen beds taken and says, per member, why the bed suits them.
    mutating func take(_ choice: AllocationChoice, for unit: Unit) -> [Placement] {
        let wasInUse = places[choice.place].inUse
        if !wasInUse { opened.insert(places[choice.place].key) }
        for bed in choice.beds { places[choice.place].taken[bed] = true }
        places[choice.place].freeCount -= choice.beds.count
        places[choice.place].sexesPresent.formUnion(unit.members.map(\.sex))
        if places[choice.place].isRoom && unit.sex == nil { places[choice.place].heldByHousehold = true }
        let place = places[choice.place]
        let label = Explanation.Value.said(place.label)
        return zip(unit.members, choice.beds).map { member, index in
            let bed = place.beds[index]
            var reasons: [Explanation] = []
            if let household = unit.household, unit.members.count > 1 {
                reasons.append(
                    Explanation(
                        "intake.together",
                        ["household": .text(household), "count": .text(String(unit.members.count)), "place": label]))
            }
            let nearStation = member.nearStationReasons
            if !nearStation.isEmpty { reasons.append(Explanation("intake.near_station", ["why": .all(nearStation)])) }
            if member.needsAccessible { reasons.append(Explanation("intake.accessible")) }
            if member.vulnerabilities.contains(.needsCarer) && unit.members.count == 1 {
                reasons.append(Explanation("intake.carer_missing"))
            }
            if let kept = place.singleSex {
                reasons.append(
                    Explanation(
                        "intake.kept_for",
                        ["place": label, "sex": .said(Explanation("intake.\(kept.rawValue)_plural"))]))
            }
            reasons.append(Explanation(wasInUse ? "intake.joins" : "intake.opens", ["place": label]))
            return Placement(arrivalId: member.id, bedId: bed.id, bedCode: bed.code, reasons: reasons)
        }
    }
}
