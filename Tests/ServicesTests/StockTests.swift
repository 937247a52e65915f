import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Medication stock")
struct StockTests {
    @Test(
        "200 concurrent dispenses of one tablet from a ward cabinet holding 100: exactly 100 succeed, stock ends at 0, the ledger balances"
    )
    func lastTablet() async throws {
        try await TestDatabase.withMigrated(maximumConnections: 32) { db in
            let f = try await StockFixture.make(db)
            try await f.receive(100, lot: "A1", expires: StockFixture.today.adding(days: 200), at: f.cabinet)
            let nurse = try await f.services.access.authenticate(token: f.demo.tokens["clinicianA"]!, origin: .seed)
            let patient = try await f.services.patients.admit(
                siteId: f.site,
                Admission(
                    name: "潘秀兰", sex: .female, dateOfBirth: CalendarDate(year: 1938, month: 5, day: 17), phone: nil,
                    nationalId: testNationalID(born: "19380517", sequence: 5), severity: .mild, partyMember: false,
                    bedId: f.demo.bedsA[0].id),
                actor: f.op
            ).value
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<200 {
                    group.addTask {
                        do {
                            _ = try await f.services.stock.dispense(
                                siteId: f.site,
                                StockDispense(
                                    locationId: f.cabinet.id, medicationId: f.amlodipine.id, quantity: 1,
                                    patientId: patient.id,
                                    reason: "morning round"), actor: nurse)
                            return true
                        } catch DomainError.conflict {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 100)
            #expect(try await f.onHand(at: f.cabinet) == 0)
            #expect(try await db.count("SELECT count(*)::int FROM stock_ledger WHERE kind = 'dispense'") == 100)
            #expect(try await db.count("SELECT coalesce(sum(quantity_change), 0)::int FROM stock_ledger") == 0)
        }
    }

    @Test("FEFO across three lots: the expired lot is never issued, the short-dated one only with an override")
    func fefo() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await StockFixture.make(db)
            let today = StockFixture.today
            try await f.receive(10, lot: "OLD", expires: today.adding(days: 200))
            try await f.receive(10, lot: "SOON", expires: today.adding(days: 3))
            try await f.receive(10, lot: "LATER", expires: today.adding(days: 400))
            // The "OLD" lot turns out to have expired: age the shelf by looking at it a year on.
            let dispense = StockDispense(
                locationId: f.pharmacy.id, medicationId: f.amlodipine.id, quantity: 12, patientId: nil, reason: "round")
            let first = try await f.services.stock.dispense(siteId: f.site, dispense, actor: f.op)
            #expect(first.lines.map(\.lotNumber) == ["OLD", "LATER"])
            #expect(first.lines.map(\.quantityChange) == [-10, -2])

            let withOverride = StockDispense(
                locationId: f.pharmacy.id, medicationId: f.amlodipine.id, quantity: 2, patientId: nil,
                reason: "round", overrideReason: "use up before it expires")
            let second = try await f.services.stock.dispense(siteId: f.site, withOverride, actor: f.op)
            #expect(second.lines.map(\.lotNumber) == ["SOON"])
            #expect(second.lines[0].reason == "round (short-dated override: use up before it expires)")

            await #expect(
                throws: DomainError.conflict(
                    "only 8 units can be issued here, 20 asked; 8 more expire within 7 days and need an override with a reason",
                    field: "quantity")
            ) {
                try await f.services.stock.dispense(
                    siteId: f.site,
                    StockDispense(
                        locationId: f.pharmacy.id, medicationId: f.amlodipine.id, quantity: 20, patientId: nil,
                        reason: "round"), actor: f.op)
            }
            let aYearOn = today.adding(days: 365)
            await #expect(
                throws: DomainError.conflict(
                    "only 8 units can be issued here, 9 asked; 8 expired units are on the shelf and are never issued",
                    field: "quantity")
            ) {
                try await f.services.stock.dispense(
                    siteId: f.site,
                    StockDispense(
                        locationId: f.pharmacy.id, medicationId: f.amlodipine.id, quantity: 9, patientId: nil,
                        reason: "round",
                        overrideReason: "urgent"), today: aYearOn, actor: f.op)
            }
        }
    }

    @Test("a count records the counted quantity and the variance, and needs a reason when they differ")
    func countWithVariance() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await StockFixture.make(db)
            let receipt = try await f.receive(28, lot: "B7", expires: StockFixture.today.adding(days: 300))
            let lotId = receipt.lines[0].lotId
            await #expect(throws: DomainError.invalid("reason", "is required: the count differs from the books by -3"))
            {
                try await f.services.stock.count(
                    siteId: f.site,
                    StockCount(locationId: f.pharmacy.id, lotId: lotId, countedQuantity: 25, reason: nil), actor: f.op)
            }
            let counted = try await f.services.stock.count(
                siteId: f.site,
                StockCount(
                    locationId: f.pharmacy.id, lotId: lotId, countedQuantity: 25, reason: "3 tablets crushed in transit"
                ), actor: f.op)
            #expect(counted.lines[0].countedQuantity == 25)
            #expect(counted.lines[0].quantityChange == -3)
            #expect(counted.lines[0].balanceAfter == 25)
            #expect(try await f.onHand() == 25)
        }
    }

    @Test("a transfer moves both sides or neither")
    func transferIsAtomic() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await StockFixture.make(db)
            try await f.receive(30, lot: "C1", expires: StockFixture.today.adding(days: 300))
            let moved = try await f.services.stock.transfer(
                siteId: f.site,
                StockTransfer(
                    fromLocationId: f.pharmacy.id, toLocationId: f.cabinet.id, medicationId: f.amlodipine.id,
                    quantity: 12,
                    reason: "restock ward A", documentNumber: "TR-1"), actor: f.op)
            #expect(moved.lines.map(\.kind) == [.transferOut, .transferIn])
            #expect(Set(moved.lines.map(\.movementId)).count == 1)
            #expect(try await f.onHand() == 18)
            #expect(try await f.onHand(at: f.cabinet) == 12)
            let ledgerBefore = try await db.count("SELECT count(*)::int FROM stock_ledger")
            await #expect(throws: DomainError.self) {
                try await f.services.stock.transfer(
                    siteId: f.site,
                    StockTransfer(
                        fromLocationId: f.pharmacy.id, toLocationId: f.cabinet.id, medicationId: f.amlodipine.id,
                        quantity: 19,
                        reason: "too many", documentNumber: nil), actor: f.op)
            }
            #expect(try await f.onHand() == 18)
            #expect(try await f.onHand(at: f.cabinet) == 12)
            #expect(try await db.count("SELECT count(*)::int FROM stock_ledger") == ledgerBefore)
        }
    }

    @Test("stock on hand equals the sum of the ledger after every kind of movement")
    func ledgerBalances() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await StockFixture.make(db)
            let today = StockFixture.today
            let lot = try await f.receive(56, lot: "D1", expires: today.adding(days: 100)).lines[0].lotId
            try await f.receive(28, lot: "D2", expires: today.adding(days: 20))
            _ = try await f.services.stock.transfer(
                siteId: f.site,
                StockTransfer(
                    fromLocationId: f.pharmacy.id, toLocationId: f.cabinet.id, medicationId: f.amlodipine.id,
                    quantity: 30,
                    reason: "restock", documentNumber: nil), actor: f.op)
            _ = try await f.services.stock.dispense(
                siteId: f.site,
                StockDispense(
                    locationId: f.cabinet.id, medicationId: f.amlodipine.id, quantity: 3, patientId: nil,
                    reason: "round"), actor: f.op)
            _ = try await f.services.stock.writeOff(
                siteId: f.site,
                StockWriteOff(
                    locationId: f.pharmacy.id, lotId: lot, quantity: 2,
                    reason: "blister pack damaged"), actor: f.op)
            _ = try await f.services.stock.count(
                siteId: f.site,
                StockCount(
                    locationId: f.pharmacy.id, lotId: lot, countedQuantity: 20,
                    reason: "recount after spill"), actor: f.op)
            #expect(
                try await db.count(
                    """
                    SELECT count(*)::int FROM stock_balances b
                    LEFT JOIN (SELECT location_id, lot_id, sum(quantity_change) AS total FROM stock_ledger GROUP BY 1, 2) l
                      ON l.location_id = b.location_id AND l.lot_id = b.lot_id
                    WHERE b.quantity <> coalesce(l.total, 0)
                    """) == 0)
            // 84 received; 3 dispensed; 2 written off; the pharmacy's 52 of D1 counted as 20.
            #expect(try await db.count("SELECT sum(quantity)::int FROM stock_balances") == 84 - 3 - 2 - 32)
            await #expect(throws: (any Error).self) {
                try await db.client.query("UPDATE stock_ledger SET reason = 'edited'")
            }
        }
    }

    @Test("alerts: expired stock on the shelf, lots expiring soon, and levels")
    func alerts() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await StockFixture.make(db)
            let today = StockFixture.today
            try await f.receive(5, lot: "E1", expires: today.adding(days: 20))
            try await f.receive(5, lot: "E2", expires: today.adding(days: 75))
            try await f.services.stock.setLevel(
                siteId: f.site, StockLevel(medicationId: f.amlodipine.id, minimum: 20, reorder: 60), actor: f.op)
            let now = try await f.services.stockCover.alerts(siteId: f.site, actor: f.op)
            #expect(now.map(\.kind) == [.belowMinimum, .expiringWithin30Days, .expiringWithin90Days])
            let later = try await f.services.stockCover.alerts(
                siteId: f.site, today: today.adding(days: 30), actor: f.op)
            #expect(later.first?.kind == .expiredOnShelf)
            #expect(later.first?.lotNumber == "E1")
            await #expect(throws: DomainError.invalid("reorder", "must be at least the minimum")) {
                try await f.services.stock.setLevel(
                    siteId: f.site, StockLevel(medicationId: f.amlodipine.id, minimum: 20, reorder: 10), actor: f.op)
            }
        }
    }

    @Test("roles: pharmacists receive, clinicians dispense but may not receive, site managers only read")
    func roles() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await StockFixture.make(db)
            func actor(_ name: String) async throws -> Actor {
                try await f.services.access.authenticate(token: f.demo.tokens[name]!, origin: .seed)
            }
            let receipt = StockReceipt(
                locationId: f.pharmacy.id, medicationId: f.amlodipine.id, lotNumber: "F1",
                expiresOn: StockFixture.today.adding(days: 100), quantity: 10, reason: "delivery", documentNumber: nil)
            _ = try await f.services.stock.receive(siteId: f.site, receipt, actor: try await actor("pharmacistA"))
            await #expect(throws: DomainError.self) {
                try await f.services.stock.receive(siteId: f.site, receipt, actor: try await actor("clinicianA"))
            }
            await #expect(throws: DomainError.self) {
                try await f.services.stock.receive(siteId: f.site, receipt, actor: try await actor("managerA"))
            }
            #expect(try await f.services.stock.onHand(siteId: f.site, actor: try await actor("managerA")).count == 1)
            await #expect(throws: DomainError.notFound("site not found")) {
                try await f.services.stock.onHand(siteId: f.site, actor: try await actor("clinicianB"))
            }
        }
    }
}
