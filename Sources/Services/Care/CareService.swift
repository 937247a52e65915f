import Domain
import Foundation
import Storage

/// Care plans, their orders and observations, dispensing against orders, dose lists and the
/// daily worklist. Clinicians manage plans; pharmacists and site managers read them.
public struct CareService: Sendable {
    let database: Database
    let stock: StockService
    let stockCover: StockCoverService

    public static let authors: Set<Role> = [.clinician]
    public static let readers: Set<Role> = [.clinician, .pharmacist, .siteManager]

    /// Drafts a plan for an admitted patient.
    public func createPlan(siteId: Site.ID, patientId: Patient.ID, _ draft: CarePlanDraft, actor: Actor) async throws
        -> CarePlan
    {
        try actor.require(Self.authors, at: siteId)
        try draft.validate()
        return try await database.transaction(actor) { tx in
            let care = tx.care
            let patient = try await tx.patients.get(siteId: siteId, id: patientId).orNotFound("patient")
            try patient.requireAdmitted()
            let id = try await care.insertPlan(
                siteId: siteId, patientId: patientId, draft, authorUserId: actor.userId, authorName: actor.username)
            let plan = try await care.plan(siteId: siteId, id: id)!
            try await tx.audit.record(
                "create", entity: "care_plan", id: id, siteId: siteId, before: Nothing?.none, after: plan)
            return plan
        }
    }

    public func plan(siteId: Site.ID, planId: CarePlan.ID, actor: Actor) async throws -> CarePlan {
        try actor.require(Self.readers, at: siteId)
        let plan = try await database.read(actor) { tx in
            try await tx.care.plan(siteId: siteId, id: planId)
        }
        guard let plan else { throw DomainError.notFound("care plan not found") }
        return plan
    }

    public func plans(siteId: Site.ID, patientId: Patient.ID? = nil, status: CarePlanStatus? = nil, actor: Actor)
        async throws -> [CarePlan]
    {
        try actor.require(Self.readers, at: siteId)
        return try await database.read(actor) { tx in
            try await tx.care.plans(siteId: siteId, patientId: patientId, status: status)
        }
    }

    /// Edits conditions, goals and review date when `expectedVersion` is current.
    public func updatePlan(
        siteId: Site.ID, planId: CarePlan.ID, _ draft: CarePlanDraft, expectedVersion: Int?, actor: Actor
    ) async throws -> CarePlan {
        try actor.require(Self.authors, at: siteId)
        guard let expectedVersion else { throw DomainError.preconditionRequired }
        try draft.validate()
        return try await changePlan(
            siteId: siteId, planId: planId, expectedVersion: expectedVersion, action: "update", actor: actor
        ) { tx, before in
            guard before.status == .draft || before.status == .active else {
                throw DomainError.conflict("a \(before.status.rawValue) plan cannot be edited", field: "status")
            }
            try await tx.care.updatePlan(siteId: siteId, id: planId, draft)
        }
    }

    /// Moves a plan along draft -> active -> completed (or revoked). A patient has one active plan.
    public func setStatus(
        siteId: Site.ID, planId: CarePlan.ID, to status: CarePlanStatus, expectedVersion: Int?, actor: Actor
    ) async throws -> CarePlan {
        try actor.require(Self.authors, at: siteId)
        return try await changePlan(
            siteId: siteId, planId: planId, expectedVersion: expectedVersion, action: "set_status", actor: actor
        ) { tx, before in
            try before.status.checkTransition(to: status)
            try await tx.care.setStatus(siteId: siteId, id: planId, status)
        }
    }

    /// Adds an order or activity to a draft or active plan.
    public func addActivity(siteId: Site.ID, planId: CarePlan.ID, _ draft: CareActivityDraft, actor: Actor) async throws
        -> CarePlan
    {
        try actor.require(Self.authors, at: siteId)
        try draft.validate()
        return try await changePlan(
            siteId: siteId, planId: planId, expectedVersion: nil, action: "add_activity", actor: actor
        ) { tx, before in
            guard before.status == .draft || before.status == .active else {
                throw DomainError.conflict("a \(before.status.rawValue) plan takes no new activities", field: "status")
            }
            if let medicationId = draft.medicationId,
                try await tx.stock.medications().contains(where: { $0.id == medicationId }) == false
            {
                throw DomainError.invalid("medicationId", "no medication \(medicationId) in the catalogue")
            }
            _ = try await tx.care.insertActivity(siteId: siteId, planId: planId, draft)
            try await tx.care.touchPlan(siteId: siteId, id: planId)
        }
    }

    private func changePlan(
        siteId: Site.ID, planId: CarePlan.ID, expectedVersion: Int?, action: String, actor: Actor,
        _ change: @escaping @Sendable (Transaction, CarePlan) async throws -> Void
    ) async throws -> CarePlan {
        try await database.transaction(actor) { tx in
            let care = tx.care
            let before = try await care.plan(siteId: siteId, id: planId, lock: true).orNotFound("care plan")
            try before.check(expectedVersion: expectedVersion)
            try await change(tx, before)
            let after = try await care.plan(siteId: siteId, id: planId)!
            try await tx.audit.record(
                action, entity: "care_plan", id: planId, siteId: siteId, before: before, after: after)
            return after
        }
    }

    /// Records a vital sign or an assessment; readings out of range are flagged.
    public func recordObservation(siteId: Site.ID, planId: CarePlan.ID, _ entry: ObservationEntry, actor: Actor)
        async throws -> Observation
    {
        try actor.require(Self.authors, at: siteId)
        try entry.validate(now: Date())
        return try await database.transaction(actor) { tx in
            let care = tx.care
            let plan = try await care.plan(siteId: siteId, id: planId).orNotFound("care plan")
            if let activityId = entry.activityId, !plan.activities.contains(where: { $0.id == activityId }) {
                throw DomainError.invalid("activityId", "no activity \(activityId) in this plan")
            }
            let observation = try await care.insertObservation(
                siteId: siteId, planId: planId, entry, recordedBy: actor.username)
            try await tx.audit.record(
                "record", entity: "observation", id: observation.id, siteId: siteId, before: Nothing?.none,
                after: observation)
            return observation
        }
    }

    public func observations(siteId: Site.ID, planId: CarePlan.ID, actor: Actor) async throws -> [Observation] {
        _ = try await plan(siteId: siteId, planId: planId, actor: actor)
        return try await database.read(actor) { tx in
            try await tx.care.observations(siteId: siteId, planId: planId)
        }
    }

    /// Dispenses one dose of a medication order from a location: a line of the patient's
    /// medication administration record. One transaction locks the order (its plan must be
    /// active until the stock has moved) and issues the dose, or does neither.
    public func dispenseDose(
        siteId: Site.ID, activityId: CareActivity.ID, locationId: StockLocation.ID, overrideReason: String? = nil,
        occurredAt: Date? = nil, actor: Actor, idempotencyKey: IdempotencyKey? = nil
    ) async throws -> StockMovement {
        try actor.require(StockService.dispensers, at: siteId)
        let asked = DoseRequest(
            activityId: activityId, locationId: locationId, overrideReason: overrideReason, occurredAt: occurredAt)
        let idempotency = try IdempotentRequest(idempotencyKey, operation: "care.dose.\(siteId)", request: asked)
        let stock = stock
        let created = try await database.transaction(actor, idempotency: idempotency) { tx in
            let order = try await tx.care.lockOrder(siteId: siteId, activityId: activityId).orNotFound(
                "medication order")
            guard order.activity.kind == .medication, let medicationId = order.activity.medicationId,
                let dose = order.activity.doseUnits
            else {
                throw DomainError.invalid("activityId", "activity \(activityId) is not a medication order")
            }
            guard order.status == .active else {
                throw DomainError.conflict("the care plan is \(order.status.rawValue), not active", field: "activityId")
            }
            let request = StockDispense(
                locationId: locationId, medicationId: medicationId, quantity: dose, patientId: order.patientId,
                reason: "dose of order \(activityId)", overrideReason: overrideReason, occurredAt: occurredAt,
                careActivityId: activityId)
            try request.validate()
            let movementId = UUID()
            let lines = try await stock.issue(request, siteId: siteId, movementId: movementId, tx)
            return try await stock.record(
                "dispense", siteId: siteId, request: request, lines: lines, movementId: movementId, tx)
        }
        var movement = created.value
        movement.replayed = created.replayed
        return movement
    }

    /// Records that a dose due on the day was not given, and why. Only a dose the order lists for
    /// that day and time, not yet given, can be; each dose once.
    public func recordNotGiven(siteId: Site.ID, _ omission: DoseOmission, actor: Actor) async throws -> DoseDue {
        try actor.require(Self.authors, at: siteId)
        try omission.validate()
        return try await database.transaction(actor) { tx in
            // The order's lock serialises this with a dose being dispensed against it.
            _ = try await tx.care.lockOrder(siteId: siteId, activityId: omission.activityId).orNotFound(
                "medication order")
            let site = try await tx.site(siteId)
            let due = try await Self.doses(tx, site: site, day: omission.date).first {
                $0.activityId == omission.activityId && $0.time == omission.time
            }
            guard let due else {
                throw DomainError.invalid(
                    "time", "no dose of order \(omission.activityId) is due at \(omission.time) on \(omission.date)")
            }
            if due.given { throw DomainError.conflict("this dose was given", field: "time") }
            try await tx.care.insertOmission(siteId: siteId, omission, recordedBy: actor.username)
            try await tx.audit.record(
                "not_given", entity: "care_activity", id: omission.activityId, siteId: siteId, before: Nothing?.none,
                after: omission)
            var recorded = due
            recorded.notGivenReason = omission.reason
            return recorded
        }
    }

    /// The doses due on `date` (today where the site is, by default), optionally in one zone.
    public func doseList(siteId: Site.ID, date: CalendarDate? = nil, zoneId: Zone.ID? = nil, actor: Actor) async throws
        -> [DoseDue]
    {
        try actor.require(Self.readers.union(StockService.dispensers), at: siteId)
        return try await database.read(actor) { tx in
            let (site, day) = try await siteDay(tx, siteId: siteId, date: date)
            return try await Self.doses(tx, site: site, day: day).filter { zoneId == nil || $0.zoneId == zoneId }
        }
    }

    /// The day's work: doses due, late measurements, plans due for review, readings out of range
    /// in the last 24 hours, and stock alerts.
    public func worklist(siteId: Site.ID, date: CalendarDate? = nil, now: Date = Date(), actor: Actor) async throws
        -> Worklist
    {
        try actor.require(Self.readers, at: siteId)
        let stockCover = stockCover
        // One snapshot: the doses, the readings and the stock alerts are of the same moment.
        return try await database.snapshot(actor) { tx in
            let care = tx.care
            let (site, day) = try await siteDay(tx, siteId: siteId, date: date)
            let last = try await care.lastObservations(siteId: siteId)
            var overdue: [OverdueObservation] = []
            for order in try await care.activeOrders(siteId: siteId, kind: .monitoring, on: day) {
                let start = site.start(of: order.activity.startsOn)
                let lastAt = last[order.activity.id]
                guard let measure = order.activity.measure,
                    isObservationOverdue(
                        last: lastAt, since: start, timesPerDay: order.activity.timesOfDay.count, now: now)
                else { continue }
                overdue.append(
                    OverdueObservation(
                        patientId: order.patientId, patientName: order.patientName, bedCode: order.bedCode,
                        activityId: order.activity.id, measure: measure, lastObservedAt: lastAt))
            }
            return Worklist(
                siteId: siteId, date: day, dosesDue: try await Self.doses(tx, site: site, day: day),
                overdueObservations: overdue,
                plansDueForReview: try await care.plansDueForReview(siteId: siteId, on: day),
                flaggedObservations: try await care.flaggedObservations(
                    siteId: siteId, since: now.addingTimeInterval(-24 * 3600)),
                stockAlerts: try await stockCover.alerts(siteId: siteId, today: day, tx))
        }
    }

    private func siteDay(_ tx: Transaction, siteId: Site.ID, date: CalendarDate?) async throws -> (Site, CalendarDate) {
        let site = try await tx.site(siteId)
        return (site, date ?? site.today)
    }

    /// The doses due at `site` on `day` (of one patient, when given), each given or not and why.
    static func doses(_ tx: Transaction, site: Site, day: CalendarDate, patientId: Patient.ID? = nil) async throws
        -> [DoseDue]
    {
        let care = tx.care
        let given = try await care.dispensesByOrder(
            siteId: site.id, from: site.start(of: day), until: site.start(of: site.day(1, after: day)))
        let omitted = try await care.omissions(siteId: site.id, on: day)
        let codes = Dictionary(uniqueKeysWithValues: try await tx.stock.medications().map { ($0.id, $0.code) })
        return try await care.activeOrders(siteId: site.id, kind: .medication, on: day, patientId: patientId).flatMap {
            order in
            markGiven(
                times: order.activity.timesOfDay, dispensed: given[order.activity.id] ?? 0,
                omitted: omitted[order.activity.id] ?? [:]
            ).map { time, isGiven, reason in
                DoseDue(
                    patientId: order.patientId, patientName: order.patientName, bedCode: order.bedCode,
                    zoneId: order.zoneId,
                    activityId: order.activity.id, medicationCode: codes[order.activity.medicationId!] ?? "?",
                    doseUnits: order.activity.doseUnits!, route: order.activity.route ?? "", time: time, given: isGiven,
                    notGivenReason: reason)
            }
        }.sorted { ($0.time, $0.bedCode ?? "") < ($1.time, $1.bedCode ?? "") }
    }
}

/// What a dose request asked for: a retry with the same Idempotency-Key must ask the same.
private struct DoseRequest: Encodable, Sendable {
    var activityId: CareActivity.ID
    var locationId: StockLocation.ID
    var overrideReason: String?
    var occurredAt: Date?
}
