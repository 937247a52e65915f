import Domain
import Testing

@Suite("First-expiry-first-out picking")
struct FEFOPickerTests {
    let today = CalendarDate(year: 2022, month: 4, day: 10)
    let picker = FEFOPicker(marginDays: 7)

    func lot(_ id: Int64, expires: String, _ quantity: Int) -> LotStock {
        LotStock(
            lotId: id, lotNumber: "L\(id)", medicationId: 1, locationId: 1, expiresOn: CalendarDate(expires)!,
            quantity: quantity)
    }

    /// One expired lot, one inside the 7-day margin, one good lot, and one that expires last.
    var shelf: [LotStock] {
        [
            lot(4, expires: "2023-01-31", 50), lot(1, expires: "2022-04-09", 10), lot(2, expires: "2022-04-15", 5),
            lot(3, expires: "2022-06-30", 8),
        ]
    }

    @Test("issues the earliest-expiring usable lot first and spills into the next")
    func picksInExpiryOrder() throws {
        #expect(
            try picker.allocate(10, from: shelf, today: today, overrideReason: nil) == [
                Allocation(lotId: 3, lotNumber: "L3", quantity: 8), Allocation(lotId: 4, lotNumber: "L4", quantity: 2),
            ])
    }

    @Test("never issues an expired lot, even with an override")
    func neverExpired() throws {
        let picks = try picker.allocate(7, from: shelf, today: today, overrideReason: "ward ran out overnight")
        #expect(
            picks == [
                Allocation(lotId: 2, lotNumber: "L2", quantity: 5), Allocation(lotId: 3, lotNumber: "L3", quantity: 2),
            ])
        #expect(!picks.contains { $0.lotId == 1 })
    }

    @Test("a lot is usable on its expiry date and expired the day after")
    func expiryDay() throws {
        let single = [lot(9, expires: "2022-04-10", 3)]
        #expect(
            try FEFOPicker(marginDays: 0).allocate(1, from: single, today: today, overrideReason: nil).first?.lotId == 9
        )
        #expect(throws: DomainError.self) {
            try FEFOPicker(marginDays: 0).allocate(1, from: single, today: today.adding(days: 1), overrideReason: nil)
        }
    }

    @Test("asking for more than can be issued explains what is held back and what is expired")
    func insufficient() {
        let shelf = [
            lot(1, expires: "2022-04-09", 10), lot(2, expires: "2022-04-15", 5), lot(3, expires: "2022-06-30", 8),
        ]
        #expect(
            throws: DomainError.conflict(
                "only 8 tablets can be issued here, 9 asked; 5 more expire within 7 days and need an override with a reason; 10 expired tablets are on the shelf and are never issued",
                field: "quantity")
        ) {
            try picker.allocate(9, from: shelf, today: today, overrideReason: nil, unit: "tablets")
        }
    }

    @Test("calendar arithmetic crosses months and years")
    func addingDays() {
        #expect(
            CalendarDate(year: 2022, month: 12, day: 28).adding(days: 7) == CalendarDate(year: 2023, month: 1, day: 4))
        #expect(
            CalendarDate(year: 2024, month: 3, day: 1).adding(days: -1) == CalendarDate(year: 2024, month: 2, day: 29))
    }
}
