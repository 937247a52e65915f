import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Care plans and where they meet the stock")
struct CareTests {
    /// An admitted patient in bed A-001 with an active plan: amlodipine 1 tablet at 08:00 and
    /// blood pressure twice a day.
    func setUp(_ db: TestDatabase) async throws -> (StockFixture, Patient.ID, CarePlan) {
        let f = try await StockFixture.make(db)
        let patient = try await f.services.patients.admit(
            siteId: f.site,
            Admission(
                name: "潘秀兰", sex: .female, dateOfBirth: CalendarDate(year: 1938, month: 5, day: 17), phone: nil,
                nationalId: testNationalID(born: "19380517", sequence: 8), severity: .mild, partyMember: false,
                bedId: f.demo.bedsA[0].id), actor: f.op
        ).value
        let today = StockFixture.today
        var plan = try await f.services.care.createPlan(
            siteId: f.site, patientId: patient.id,
            CarePlanDraft(
                conditions: [.hypertension, .elderlyLivingAlone], goals: "BP below 150/90",
                reviewOn: today.adding(days: 7)), actor: f.op)
        plan = try await f.services.care.addActivity(
            siteId: f.site, planId: plan.id,
            CareActivityDraft(
                kind: .medication, medicationId: f.amlodipine.id, doseUnits: 1, route: "oral", timesOfDay: ["08:00"],
                startsOn: today.adding(days: -3)), actor: f.op)
        plan = try await f.services.care.addActivity(
            siteId: f.site, planId: plan.id,
            CareActivityDraft(
                kind: .monitoring, timesOfDay: ["08:00", "20:00"], measure: .bloodPressure,
                startsOn: today.adding(days: -3)), actor: f.op)
        plan = try await f.services.care.setStatus(
            siteId: f.site, planId: plan.id, to: .active, expectedVersion: plan.version, actor: f.op)
        return (f, patient.id, plan)
    }

    @Test("a stale version of a plan is refused (412), a missing one asks for If-Match (428)")
    func versionConflict() async throws {
        try await TestDatabase.withMigrated { db in
            let (f, _, plan) = try await setUp(db)
            let draft = CarePlanDraft(conditions: [.hypertension], goals: "BP below 140/90", reviewOn: plan.reviewOn)
            let updated = try await f.services.care.updatePlan(
                siteId: f.site, planId: plan.id, draft, expectedVersion: plan.version, actor: f.op)
            #expect(updated.version == plan.version + 1)
            await #expect(throws: DomainError.preconditionFailed(currentVersion: updated.version)) {
                try await f.services.care.updatePlan(
                    siteId: f.site, planId: plan.id, draft, expectedVersion: plan.version, actor: f.op)
            }
            await #expect(throws: DomainError.preconditionRequired) {
                try await f.services.care.updatePlan(
                    siteId: f.site, planId: plan.id, draft, expectedVersion: nil, actor: f.op)
            }
        }
    }

    @Test("a patient has one active plan at a time, and plans move only along their state machine")
    func oneActivePlan() async throws {
        try await TestDatabase.withMigrated { db in
            let (f, patientId, plan) = try await setUp(db)
            let second = try await f.services.care.createPlan(
                siteId: f.site, patientId: Patient.ID(rawValue: patientId.rawValue),
                CarePlanDraft(
                    conditions: [.mentalHealth], goals: "", reviewOn: plan.reviewOn), actor: f.op)
            await #expect(throws: DomainError.self) {
                try await f.services.care.setStatus(
                    siteId: f.site, planId: second.id, to: .active, expectedVersion: nil, actor: f.op)
            }
            await #expect(
                throws: DomainError.illegalTransition(from: "draft", to: "completed", allowed: ["active", "revoked"])
            ) {
                try await f.services.care.setStatus(
                    siteId: f.site, planId: second.id, to: .completed, expectedVersion: nil, actor: f.op)
            }
            _ = try await f.services.care.setStatus(
                siteId: f.site, planId: plan.id, to: .completed, expectedVersion: nil, actor: f.op)
            let active = try await f.services.care.setStatus(
                siteId: f.site, planId: second.id, to: .active, expectedVersion: nil, actor: f.op)
            #expect(active.status == .active)
        }
    }

    @Test("days of cover: usable stock over the daily use of active orders")
    func daysOfCover() async throws {
        try await TestDatabase.withMigrated { db in
            let (f, _, plan) = try await setUp(db)
            // A second order on the same plan: 2 tablets at 12:00 and 20:00, so 1 + 4 = 5 a day.
            _ = try await f.services.care.addActivity(
                siteId: f.site, planId: plan.id,
                CareActivityDraft(
                    kind: .medication, medicationId: f.amlodipine.id, doseUnits: 2, route: "oral",
                    timesOfDay: ["12:00", "20:00"],
                    startsOn: StockFixture.today), actor: f.op)
            try await f.receive(12, lot: "G1", expires: StockFixture.today.adding(days: 100))
            try await f.receive(9, lot: "G0", expires: StockFixture.today.adding(days: -1))
            let line = try await f.services.stockCover.cover(siteId: f.site, actor: f.op).first {
                $0.medicationCode == "AMLO-5"
            }
            #expect(line?.usableOnHand == 12)
            #expect(line?.dailyUse == 5)
            #expect(line?.daysOfCover == 2.4)
            let alerts = try await f.services.stockCover.alerts(siteId: f.site, actor: f.op)
            #expect(alerts.map(\.kind) == [.expiredOnShelf, .lowCover])
        }
    }

    @Test("dispensing against an order records the dose for the patient and marks it given on the dose list")
    func medicationAdministration() async throws {
        try await TestDatabase.withMigrated { db in
            let (f, patientId, plan) = try await setUp(db)
            try await f.receive(28, lot: "H1", expires: StockFixture.today.adding(days: 200), at: f.cabinet)
            let order = plan.activities.first { $0.kind == .medication }!
            let before = try await f.services.care.doseList(siteId: f.site, zoneId: f.demo.zoneA.id, actor: f.op)
            #expect(before.map(\.given) == [false])
            let movement = try await f.services.care.dispenseDose(
                siteId: f.site, activityId: order.id, locationId: f.cabinet.id, actor: f.op)
            #expect(movement.lines.map(\.patientId) == [patientId])
            #expect(movement.lines.map(\.quantityChange) == [-1])
            let after = try await f.services.care.doseList(siteId: f.site, actor: f.op)
            #expect(after.map(\.given) == [true])
            #expect(after.first?.bedCode == "A-001")
            let monitoring = plan.activities.first { $0.kind == .monitoring }!
            await #expect(
                throws: DomainError.invalid("activityId", "activity \(monitoring.id) is not a medication order")
            ) {
                try await f.services.care.dispenseDose(
                    siteId: f.site, activityId: monitoring.id, locationId: f.cabinet.id, actor: f.op)
            }
            _ = try await f.services.care.setStatus(
                siteId: f.site, planId: plan.id, to: .revoked, expectedVersion: nil, actor: f.op)
            await #expect(throws: DomainError.conflict("the care plan is revoked, not active", field: "activityId")) {
                try await f.services.care.dispenseDose(
                    siteId: f.site, activityId: order.id, locationId: f.cabinet.id, actor: f.op)
            }
        }
    }

    @Test(
        "a dose not given is recorded once with its reason, only for a dose due and not given; a clinician records it")
    func doseNotGiven() async throws {
        try await TestDatabase.withMigrated { db in
            let (f, _, _) = try await setUp(db)
            let due = try #require(try await f.services.care.doseList(siteId: f.site, actor: f.op).first)
            let today = StockFixture.today
            let omission = DoseOmission(activityId: due.activityId, date: today, time: due.time, reason: "患者拒服")
            let recorded = try await f.services.care.recordNotGiven(siteId: f.site, omission, actor: f.op)
            #expect(recorded.notGivenReason == "患者拒服" && !recorded.given)
            let listed = try await f.services.care.doseList(siteId: f.site, actor: f.op)
            #expect(listed.map(\.notGivenReason) == ["患者拒服"])
            await #expect(throws: DomainError.conflict("this dose is already recorded as not given", field: "time")) {
                try await f.services.care.recordNotGiven(siteId: f.site, omission, actor: f.op)
            }
            var notDue = omission
            notDue.time = "03:17"
            await #expect(throws: DomainError.self) {
                try await f.services.care.recordNotGiven(siteId: f.site, notDue, actor: f.op)
            }
            var blank = omission
            blank.reason = " "
            await #expect(throws: DomainError.invalid("reason", "must not be empty")) {
                try await f.services.care.recordNotGiven(siteId: f.site, blank, actor: f.op)
            }
            let pharmacist = try await f.services.access.authenticate(
                token: f.demo.tokens["pharmacistA"]!, origin: .seed)
            await #expect(throws: DomainError.self) {
                try await f.services.care.recordNotGiven(siteId: f.site, omission, actor: pharmacist)
            }
            #expect(try await db.count("SELECT count(*)::int FROM dose_omissions") == 1)
            #expect(try await db.count("SELECT count(*)::int FROM audit_log WHERE action = 'not_given'") == 1)
        }
    }

    @Test("the worklist shows late measurements, readings out of range, plans due for review and stock alerts")
    func worklist() async throws {
        try await TestDatabase.withMigrated { db in
            let (f, _, plan) = try await setUp(db)
            let monitoring = plan.activities.first { $0.kind == .monitoring }!
            let late = try await f.services.care.worklist(siteId: f.site, actor: f.op)
            #expect(late.overdueObservations.map(\.activityId) == [monitoring.id])
            #expect(late.overdueObservations.first?.detail == "never measured")
            let reading = try await f.services.care.recordObservation(
                siteId: f.site, planId: plan.id,
                ObservationEntry(
                    activityId: monitoring.id, measure: .bloodPressure, observedAt: Date(), systolic: 186, diastolic: 98
                ), actor: f.op)
            #expect(reading.flag == "systolic 186 mmHg (>= 180)")
            let now = try await f.services.care.worklist(siteId: f.site, actor: f.op)
            #expect(now.overdueObservations.isEmpty)
            #expect(now.flaggedObservations.map(\.observationId) == [reading.id])
            #expect(now.dosesDue.count == 1)
            // An order with no stock at all: zero days of cover.
            #expect(now.stockAlerts.map(\.kind) == [.lowCover])
            let nextWeek = try await f.services.care.worklist(
                siteId: f.site, date: StockFixture.today.adding(days: 8), actor: f.op)
            #expect(nextWeek.plansDueForReview.map(\.planId) == [plan.id])
            await #expect(throws: DomainError.invalid("systolic", "is required, 40-300 mmHg")) {
                try await f.services.care.recordObservation(
                    siteId: f.site, planId: plan.id,
                    ObservationEntry(
                        measure: .bloodPressure, observedAt: Date(), systolic: 400, diastolic: 80), actor: f.op)
            }
        }
    }
}
