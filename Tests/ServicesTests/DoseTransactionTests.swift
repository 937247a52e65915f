import Domain
import Foundation
import Services
import TestSupport
import Testing

/// Care's use case that moves Stock's records: one transaction, whole or not at all.
@Suite("A dose and its stock")
struct DoseTransactionTests {
    @Test(
        "a dose given against an order is one transaction: when its ledger line cannot be written, the shelf keeps the tablet"
    )
    func doseRollsBackWhole() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await StockFixture.make(db)
            let patient = try await f.services.patients.admit(
                siteId: f.site,
                Admission(
                    name: "潘秀兰", sex: .female, dateOfBirth: CalendarDate(year: 1938, month: 5, day: 17), phone: nil,
                    nationalId: testNationalID(born: "19380517", sequence: 8), severity: .mild, partyMember: false,
                    bedId: f.demo.bedsA[0].id), actor: f.op
            ).value
            var plan = try await f.services.care.createPlan(
                siteId: f.site, patientId: patient.id,
                CarePlanDraft(
                    conditions: [.hypertension], goals: "BP below 150/90", reviewOn: StockFixture.today.adding(days: 7)),
                actor: f.op)
            plan = try await f.services.care.addActivity(
                siteId: f.site, planId: plan.id,
                CareActivityDraft(
                    kind: .medication, medicationId: f.amlodipine.id, doseUnits: 1, route: "oral",
                    timesOfDay: ["08:00"],
                    startsOn: StockFixture.today), actor: f.op)
            plan = try await f.services.care.setStatus(
                siteId: f.site, planId: plan.id, to: .active, expectedVersion: plan.version, actor: f.op)
            _ = try await f.receive(28, lot: "H1", expires: StockFixture.today.adding(days: 200), at: f.cabinet)
            let ledger = try await db.count("SELECT count(*)::int FROM stock_ledger")
            let audit = try await db.count("SELECT count(*)::int FROM audit_log")
            // The last step of the dose fails: the shelf was already drawn down in the same transaction.
            try await db.asOwner(
                """
                CREATE FUNCTION refuse_dispense() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.kind = 'dispense' THEN RAISE EXCEPTION 'ledger refused for the test'; END IF; RETURN NEW; END $$
                """)
            try await db.asOwner(
                "CREATE TRIGGER refuse_dispense BEFORE INSERT ON stock_ledger FOR EACH ROW EXECUTE FUNCTION refuse_dispense()"
            )
            let order = plan.activities[0]
            await #expect(throws: (any Error).self) {
                try await f.services.care.dispenseDose(
                    siteId: f.site, activityId: order.id, locationId: f.cabinet.id, actor: f.op)
            }
            #expect(try await f.onHand(at: f.cabinet) == 28)
            #expect(try await db.count("SELECT count(*)::int FROM stock_ledger") == ledger)
            #expect(try await db.count("SELECT count(*)::int FROM audit_log") == audit)
            #expect(try await f.services.care.doseList(siteId: f.site, actor: f.op).map(\.given) == [false])
        }
    }
}
