/// A released person waiting for a seat on a bus home.
public struct Homeward: Sendable, Equatable {
    public var patientId: Patient.ID
    public var name: String
    public var committeeId: ResidentialCommittee.ID?
    /// The committee's name: the record's, or as given when none matched.
    public var committee: String?
    /// The street of the committee's record.
    public var street: String?
    public var household: String?
    public var needsCarer: Bool

    public init(
        patientId: Patient.ID, name: String, committeeId: ResidentialCommittee.ID?, committee: String?,
        street: String?, household: String?, needsCarer: Bool
    ) {
        self.patientId = patientId
        self.name = name
        self.committeeId = committeeId
        self.committee = committee
        self.street = street
        self.household = household
        self.needsCarer = needsCarer
    }

    /// A carer sits beside whoever needs one.
    public var seats: Int { needsCarer ? 2 : 1 }

    /// Where the bus takes them: the committee's street, or the committee as given; nil when
    /// nobody knows where home is.
    public var destination: String? { street ?? committee }
}

/// One bus of a plan: where it goes, who rides, and the seats they take.
public struct PlannedBus: Sendable, Equatable {
    public var destination: String
    public var passengers: [Homeward]
    public var seatsTaken: Int
}

/// How the released go home: grouped by street (a bus serves one street and the committees on
/// it), each household kept whole on one bus, a person who needs a carer counted as two seats.
/// Households are packed largest first into the first bus with room (first-fit decreasing),
/// which fills buses nearly full; a household larger than a bus fills buses in order.
public enum BusPlanner {
    public static func plan(_ people: [Homeward], seats: Int) -> (buses: [PlannedBus], unplaced: [Homeward]) {
        precondition(seats >= 2, "a bus has at least two seats")
        let unplaced = people.filter { $0.destination == nil }
        let byDestination = Dictionary(grouping: people.filter { $0.destination != nil }) { $0.destination! }
        var buses: [PlannedBus] = []
        for destination in byDestination.keys.sorted() {
            let households = Dictionary(grouping: byDestination[destination]!) { person in
                person.household.map { "h:" + $0 } ?? "p:\(person.patientId)"
            }
            // Largest first; ties by committee and the first patient, so a plan is repeatable.
            var groups = households.values.map { members in
                members.sorted {
                    ($0.committee ?? "", $0.patientId.rawValue) < ($1.committee ?? "", $1.patientId.rawValue)
                }
            }
            groups.sort {
                let (a, b) = (Self.seats($0), Self.seats($1))
                return a != b
                    ? a > b
                    : ($0[0].committee ?? "", $0[0].patientId.rawValue) < (
                        $1[0].committee ?? "", $1[0].patientId.rawValue
                    )
            }
            var street: [PlannedBus] = []
            for group in groups.flatMap({ chunks($0, seats: seats) }) {
                let need = Self.seats(group)
                if let at = street.firstIndex(where: { $0.seatsTaken + need <= seats }) {
                    street[at].passengers += group
                    street[at].seatsTaken += need
                } else {
                    street.append(PlannedBus(destination: destination, passengers: group, seatsTaken: need))
                }
            }
            for index in street.indices {
                street[index].passengers.sort {
                    ($0.committee ?? "", $0.household ?? "", $0.patientId.rawValue)
                        < ($1.committee ?? "", $1.household ?? "", $1.patientId.rawValue)
                }
            }
            buses += street
        }
        return (buses, unplaced)
    }

    static func seats(_ group: [Homeward]) -> Int { group.reduce(0) { $0 + $1.seats } }

    /// A household that fits one bus, or one too large for a bus cut into busloads in order.
    static func chunks(_ group: [Homeward], seats: Int) -> [[Homeward]] {
        guard Self.seats(group) > seats else { return [group] }
        var out: [[Homeward]] = [[]]
        for person in group {
            if Self.seats(out[out.count - 1]) + person.seats > seats { out.append([]) }
            out[out.count - 1].append(person)
        }
        return out
    }
}
