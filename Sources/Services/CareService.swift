import Domain
import Foundation
import PostgresNIO
import Storage

/// Care plans, their orders and observations, dispensing against orders, dose lists and the
/// daily worklist. Clinicians manage plans; pharmacists and site managers read them.
public struct CareService: Sendable {
    let database: Database
    let stock: StockService

    static let authors: Set<Role> = [.clinician]
    static let readers: Set<Role> = [.clinician, .pharmacist, .siteManager]

    /// Drafts a plan for an admitted patient.
    public func createPlan(siteId: Int64, patientId: Int64, _ draft: CarePlanDraft, actor: Actor) async throws -> CarePlan {
        try actor.require(Self.authors, at: siteId)
        try draft.validate()
        return try await database.transaction { connection in
            let care = CareRepository(connection, logger: database.logger)
            guard let patient = try await PatientRepository(connection, logger: database.logger).get(siteId: siteId, id: patientId) else {
                throw DomainError.notFound("patient not found")
            }
            guard patient.status == .admitted else { throw DomainError.conflict("patient was discharged", field: "patientId") }
            let id = try await care.insertPlan(siteId: siteId, patientId: patientId, draft, authorUserId: actor.userId, authorName: actor.username)
            let plan = try await care.plan(siteId: siteId, id: id)!
            try await AuditRecorder(connection, database, actor: actor)
                .record("create", entity: "care_plan", id: id, siteId: siteId, before: Nothing?.none, after: plan)
            return plan
        }
    }

    public func plan(siteId: Int64, planId: Int64, actor: Actor) async throws -> CarePlan {
        try actor.require(Self.readers, at: siteId)
        let plan = try await database.read { connection in
            try await CareRepository(connection, logger: database.logger).plan(siteId: siteId, id: planId)
        }
        guard let plan else { throw DomainError.notFound("care plan not found") }
        return plan
    }

    public func plans(siteId: Int64, patientId: Int64? = nil, status: CarePlanStatus? = nil, actor: Actor) async throws -> [CarePlan] {
        try actor.require(Self.readers, at: siteId)
        return try await database.read { connection in
            try await CareRepository(connection, logger: database.logger).plans(siteId: siteId, patientId: patientId, status: status)
        }
    }

    /// Edits conditions, goals and review date when `expectedVersion` is current.
    public func updatePlan(siteId: Int64, planId: Int64, _ draft: CarePlanDraft, expectedVersion: Int?, actor: Actor) async throws -> CarePlan {
        try actor.require(Self.authors, at: siteId)
        guard let expectedVersion else { throw DomainError.preconditionRequired }
        try draft.validate()
        return try await changePlan(siteId: siteId, planId: planId, expectedVersion: expectedVersion, action: "update", actor: actor) { care, before in
            guard before.status == .draft || before.status == .active else {
                throw DomainError.conflict("a \(before.status.rawValue) plan cannot be edited", field: "status")
            }
            try await care.updatePlan(siteId: siteId, id: planId, draft)
        }
    }

    /// Moves a plan along draft -> active -> completed (or revoked). A patient has one active plan.
    public func setStatus(siteId: Int64, planId: Int64, to status: CarePlanStatus, expectedVersion: Int?, actor: Actor) async throws -> CarePlan {
        try actor.require(Self.authors, at: siteId)
        return try await changePlan(siteId: siteId, planId: planId, expectedVersion: expectedVersion, action: "set_status", actor: actor) { care, before in
            try before.status.checkTransition(to: status)
            try await care.setStatus(siteId: siteId, id: planId, status)
        }
    }

    /// Adds an order or activity to a draft or active plan.
    public func addActivity(siteId: Int64, planId: Int64, _ draft: CareActivityDraft, actor: Actor) async throws -> CarePlan {
        try actor.require(Self.authors, at: siteId)
        try draft.validate()
        return try await changePlan(siteId: siteId, planId: planId, expectedVersion: nil, action: "add_activity", actor: actor) { care, before in
            guard before.status == .draft || before.status == .active else {
                throw DomainError.conflict("a \(before.status.rawValue) plan takes no new activities", field: "status")
            }
            if let medicationId = draft.medicationId,
               try await StockRepository(care.connection, logger: database.logger).medications().contains(where: { $0.id == medicationId }) == false {
                throw DomainError.invalid("medicationId", "no medication \(medicationId) in the catalogue")
            }
            _ = try await care.insertActivity(siteId: siteId, planId: planId, draft)
            try await care.touchPlan(siteId: siteId, id: planId)
        }
    }

    private func changePlan(siteId: Int64, planId: Int64, expectedVersion: Int?, action: String, actor: Actor,
                            _ change: @escaping @Sendable (CareRepository, CarePlan) async throws -> Void) async throws -> CarePlan {
        try await database.transaction { connection in
            let care = CareRepository(connection, logger: database.logger)
            guard let before = try await care.plan(siteId: siteId, id: planId, lock: true) else { throw DomainError.notFound("care plan not found") }
            if let expectedVersion, before.version != expectedVersion { throw DomainError.preconditionFailed(currentVersion: before.version) }
            try await change(care, before)
            let after = try await care.plan(siteId: siteId, id: planId)!
            try await AuditRecorder(connection, database, actor: actor)
                .record(action, entity: "care_plan", id: planId, siteId: siteId, before: before, after: after)
            return after
        }
    }

    /// Records a vital sign or an assessment; readings out of range are flagged.
    public func recordObservation(siteId: Int64, planId: Int64, _ entry: ObservationEntry, actor: Actor) async throws -> Observation {
        try actor.require(Self.authors, at: siteId)
        try entry.validate(now: Date())
        return try await database.transaction { connection in
            let care = CareRepository(connection, logger: database.logger)
            guard let plan = try await care.plan(siteId: siteId, id: planId) else { throw DomainError.notFound("care plan not found") }
            if let activityId = entry.activityId, !plan.activities.contains(where: { $0.id == activityId }) {
                throw DomainError.invalid("activityId", "no activity \(activityId) in this plan")
            }
            let observation = try await care.insertObservation(siteId: siteId, planId: planId, entry, recordedBy: actor.username)
            try await AuditRecorder(connection, database, actor: actor)
                .record("record", entity: "observation", id: observation.id, siteId: siteId, before: Nothing?.none, after: observation)
            return observation
        }
    }

    public func observations(siteId: Int64, planId: Int64, actor: Actor) async throws -> [Observation] {
        _ = try await plan(siteId: siteId, planId: planId, actor: actor)
        return try await database.read { connection in
            try await CareRepository(connection, logger: database.logger).observations(siteId: siteId, planId: planId)
        }
    }

    /// Dispenses one dose of a medication order from a location: a line of the patient's
    /// medication administration record.
    public func dispenseDose(siteId: Int64, activityId: Int64, locationId: Int64, overrideReason: String? = nil,
                             occurredAt: Date? = nil, actor: Actor, idempotencyKey: IdempotencyKey? = nil) async throws -> StockMovement {
        try actor.require(StockService.dispensers, at: siteId)
        let (activity, plan) = try await database.read { connection in
            let care = CareRepository(connection, logger: database.logger)
            guard let activity = try await care.activity(siteId: siteId, id: activityId) else {
                throw DomainError.notFound("medication order not found")
            }
            return (activity, try await care.plan(siteId: siteId, id: activity.planId)!)
        }
        guard activity.kind == .medication, let medicationId = activity.medicationId, let dose = activity.doseUnits else {
            throw DomainError.invalid("activityId", "activity \(activityId) is not a medication order")
        }
        // The plan's status is checked again, under lock, inside the dispense's transaction.
        return try await stock.dispense(siteId: siteId, StockDispense(
            locationId: locationId, medicationId: medicationId, quantity: dose, patientId: plan.patientId,
            reason: "dose of order \(activityId)", overrideReason: overrideReason, occurredAt: occurredAt, careActivityId: activityId),
            actor: actor, idempotencyKey: idempotencyKey)
    }

    /// The doses due on `date` (today where the site is, by default), optionally in one zone.
    public func doseList(siteId: Int64, date: CalendarDate? = nil, zoneId: Int64? = nil, actor: Actor) async throws -> [DoseDue] {
        try actor.require(Self.readers.union(StockService.dispensers), at: siteId)
        return try await database.read { connection in
            let (site, day) = try await siteDay(connection, siteId: siteId, date: date)
            return try await doses(connection, site: site, day: day).filter { zoneId == nil || $0.zoneId == zoneId }
        }
    }

    /// The day's work: doses due, late measurements, plans due for review, readings out of range
    /// in the last 24 hours, and stock alerts.
    public func worklist(siteId: Int64, date: CalendarDate? = nil, now: Date = Date(), actor: Actor) async throws -> Worklist {
        try actor.require(Self.readers, at: siteId)
        let partial: Worklist = try await database.read { connection in
            let care = CareRepository(connection, logger: database.logger)
            let (site, day) = try await siteDay(connection, siteId: siteId, date: date)
            let last = try await care.lastObservations(siteId: siteId)
            let zone = TimeZone(identifier: site.timeZone)!
            var overdue: [OverdueObservation] = []
            for order in try await care.activeOrders(siteId: siteId, kind: .monitoring, on: day) {
                let start = CensusService.midday(of: order.activity.startsOn, in: zone).addingTimeInterval(-12 * 3600)
                let lastAt = last[order.activity.id]
                guard let measure = order.activity.measure,
                      isObservationOverdue(last: lastAt, since: start, timesPerDay: order.activity.timesOfDay.count, now: now) else { continue }
                let detail = lastAt.map { "last \(measure.rawValue) at \($0.formatted(.iso8601))" } ?? "never measured"
                overdue.append(OverdueObservation(patientId: order.patientId, patientName: order.patientName, bedCode: order.bedCode,
                                                  activityId: order.activity.id, measure: measure, lastObservedAt: lastAt, detail: detail))
            }
            return Worklist(siteId: siteId, date: day, dosesDue: try await doses(connection, site: site, day: day),
                            overdueObservations: overdue, plansDueForReview: try await care.plansDueForReview(siteId: siteId, on: day),
                            flaggedObservations: try await care.flaggedObservations(siteId: siteId, since: now.addingTimeInterval(-24 * 3600)),
                            stockAlerts: [])
        }
        var worklist = partial
        worklist.stockAlerts = try await stock.alerts(siteId: siteId, today: worklist.date, actor: actor)
        return worklist
    }

    private func siteDay(_ connection: PostgresConnection, siteId: Int64, date: CalendarDate?) async throws -> (Site, CalendarDate) {
        guard let site = try await SiteRepository(connection, logger: database.logger).get(siteId) else { throw DomainError.notFound("site not found") }
        return (site, date ?? site.today)
    }

    private func doses(_ connection: PostgresConnection, site: Site, day: CalendarDate) async throws -> [DoseDue] {
        let care = CareRepository(connection, logger: database.logger)
        let zone = TimeZone(identifier: site.timeZone)!
        let dayStart = CensusService.midday(of: day, in: zone).addingTimeInterval(-12 * 3600)
        let given = try await care.dispensesByOrder(siteId: site.id, from: dayStart, until: dayStart.addingTimeInterval(24 * 3600))
        let codes = Dictionary(uniqueKeysWithValues: try await StockRepository(connection, logger: database.logger).medications().map { ($0.id, $0.code) })
        return try await care.activeOrders(siteId: site.id, kind: .medication, on: day).flatMap { order in
            markGiven(times: order.activity.timesOfDay, dispensed: given[order.activity.id] ?? 0).map { time, isGiven in
                DoseDue(patientId: order.patientId, patientName: order.patientName, bedCode: order.bedCode, zoneId: order.zoneId,
                        activityId: order.activity.id, medicationCode: codes[order.activity.medicationId!] ?? "?",
                        doseUnits: order.activity.doseUnits!, route: order.activity.route ?? "", time: time, given: isGiven)
            }
        }.sorted { ($0.time, $0.bedCode ?? "") < ($1.time, $1.bedCode ?? "") }
    }
}
