import Domain
import Testing

@Suite("Buses home: by street, households together, carers two seats")
struct BusPlannerTests {
    static func person(
        _ id: Int64, street: String?, committee: String? = "居委", household: String? = nil, carer: Bool = false
    ) -> Homeward {
        Homeward(
            patientId: Patient.ID(rawValue: id), name: "P\(id)", committeeId: nil, committee: committee,
            street: street, household: household, needsCarer: carer)
    }

    @Test("everyone rides once, a bus serves one street, a household shares a bus, and no bus is over its seats")
    func plan() {
        var people: [Homeward] = []
        for id in 1...23 { people.append(Self.person(Int64(id), street: "石化街道", household: id <= 6 ? "H1" : nil)) }
        for id in 24...30 { people.append(Self.person(Int64(id), street: "朱泾镇", carer: id == 24)) }
        people.append(Self.person(31, street: nil, committee: nil))
        let (buses, unplaced) = BusPlanner.plan(people, seats: 10)
        #expect(unplaced.map(\.patientId.rawValue) == [31], "nobody knows where 31 lives")
        let riders = buses.flatMap(\.passengers).map(\.patientId.rawValue)
        #expect(riders.sorted() == Array(1...30) && Set(riders).count == riders.count)
        #expect(buses.allSatisfy { $0.seatsTaken <= 10 && $0.seatsTaken == $0.passengers.reduce(0) { $0 + $1.seats } })
        #expect(buses.allSatisfy { bus in bus.passengers.allSatisfy { $0.destination == bus.destination } })
        let household = buses.filter { $0.passengers.contains { $0.household == "H1" } }
        #expect(household.count == 1 && household[0].passengers.filter { $0.household == "H1" }.count == 6)
        // 23 seats on 石化街道 fill three buses; 朱泾镇 needs 8 seats (a carer's two): one bus.
        #expect(buses.filter { $0.destination == "石化街道" }.count == 3)
        #expect(buses.filter { $0.destination == "朱泾镇" }.map(\.seatsTaken) == [8])
    }

    @Test("a household larger than a bus fills buses in order; a committee without a street goes by its name")
    func largeHousehold() {
        let people = (1...12).map { Self.person(Int64($0), street: nil, committee: "山阳村", household: "H9") }
        let (buses, unplaced) = BusPlanner.plan(people, seats: 5)
        #expect(unplaced.isEmpty && buses.map(\.seatsTaken) == [5, 5, 2])
        #expect(buses.allSatisfy { $0.destination == "山阳村" })
    }
}
