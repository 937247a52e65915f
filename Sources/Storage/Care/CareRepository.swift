import Domain
import Foundation
import Logging
import PostgresNIO

/// Care plans, their activities and observations, and the queries behind dose lists,
/// days of cover and the worklist.
public struct CareRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    static let planColumns = "id, site_id, patient_id, status, conditions, goals, review_on::text, author_name, version"

    public func insertPlan(
        siteId: Site.ID, patientId: Patient.ID, _ d: CarePlanDraft, authorUserId: Int64?, authorName: String
    ) async throws -> CarePlan.ID {
        for try await id in try await connection.query(
            """
            INSERT INTO care_plans (site_id, patient_id, conditions, goals, review_on, author_user_id, author_name)
            VALUES (\(siteId), \(patientId), \(d.conditions.map(\.rawValue)), \(d.goals),
                \(d.reviewOn.description)::date,
                    \(authorUserId), \(authorName))
            RETURNING id
            """, logger: logger
        ).decode(CarePlan.ID.self) { return id }
        throw PostgresSingleRowMissing(query: "INSERT ... RETURNING")
    }

    /// One plan with its activities; with `lock`, the plan row stays locked until the transaction ends.
    public func plan(siteId: Site.ID, id: CarePlan.ID, lock: Bool = false) async throws -> CarePlan? {
        let plans = try await plans(
            connection.query(
                """
                SELECT \(unescaped: Self.planColumns) FROM care_plans WHERE site_id = \(siteId) AND id = \(id)
                    \(unescaped: lock ? "FOR UPDATE" : "")
                """, logger: logger))
        guard var plan = plans.first else { return nil }
        plan.activities = try await activities(siteId: siteId, planId: id)
        return plan
    }

    /// Plans of a site, optionally of one patient or status, newest first, with their activities.
    public func plans(siteId: Site.ID, patientId: Patient.ID?, status: CarePlanStatus?) async throws -> [CarePlan] {
        var plans = try await plans(
            connection.query(
                """
                SELECT \(unescaped: Self.planColumns) FROM care_plans
                WHERE site_id = \(siteId) AND (\(patientId)::bigint IS NULL OR patient_id = \(patientId)::bigint)
                  AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue)::text)
                ORDER BY id DESC
                """, logger: logger))
        let all = try await activities(siteId: siteId, planIds: plans.map(\.id))
        for i in plans.indices { plans[i].activities = all.filter { $0.planId == plans[i].id } }
        return plans
    }

    private func plans(_ rows: PostgresRowSequence) async throws -> [CarePlan] {
        var out: [CarePlan] = []
        for try await r in rows.decode(
            (CarePlan.ID, Site.ID, Patient.ID, CarePlanStatus, [String], String, CalendarDate, String, Int).self)
        {
            out.append(
                CarePlan(
                    id: r.0, siteId: r.1, patientId: r.2, status: r.3,
                    conditions: try r.4.map { try CareCondition.stored($0) }, goals: r.5, reviewOn: r.6,
                    authorName: r.7, version: r.8, activities: []))
        }
        return out
    }

    public func updatePlan(siteId: Site.ID, id: CarePlan.ID, _ d: CarePlanDraft) async throws {
        try await connection.query(
            """
            UPDATE care_plans SET conditions = \(d.conditions.map(\.rawValue)), goals = \(d.goals), review_on =
                \(d.reviewOn.description)::date,
                version = version + 1, updated_at = now()
            WHERE site_id = \(siteId) AND id = \(id)
            """, logger: logger)
    }

    public func setStatus(siteId: Site.ID, id: CarePlan.ID, _ status: CarePlanStatus) async throws {
        try await connection.query(
            """
            UPDATE care_plans SET status = \(status.rawValue), version = version + 1, updated_at = now()
            WHERE site_id = \(siteId) AND id = \(id)
            """, logger: logger)
    }

    public func touchPlan(siteId: Site.ID, id: CarePlan.ID) async throws {
        try await connection.query(
            "UPDATE care_plans SET version = version + 1, updated_at = now() WHERE site_id = \(siteId) AND id = \(id)",
            logger: logger)
    }

    // MARK: Activities

    static let activityColumns =
        "id, plan_id, kind, description, medication_id, dose_units, route, times_of_day, measure, instrument, starts_on::text, ends_on::text"

    public func insertActivity(siteId: Site.ID, planId: CarePlan.ID, _ d: CareActivityDraft) async throws
        -> CareActivity
    {
        try await activities(
            connection.query(
                """
                INSERT INTO care_activities (site_id, plan_id, kind, description, medication_id, dose_units, route,
                    times_of_day, measure,
                                             instrument, starts_on, ends_on)
                VALUES (\(siteId), \(planId), \(d.kind.rawValue), \(d.description), \(d.medicationId), \(d.doseUnits),
                    \(d.route),
                        \(d.timesOfDay.sorted()), \(d.measure?.rawValue), \(d.instrument?.rawValue),
                            \(d.startsOn.description)::date,
                        \(d.endsOn?.description)::date)
                RETURNING \(unescaped: Self.activityColumns)
                """, logger: logger)
        ).first!
    }

    public func activity(siteId: Site.ID, id: CareActivity.ID) async throws -> CareActivity? {
        try await activities(
            connection.query(
                "SELECT \(unescaped: Self.activityColumns) FROM care_activities WHERE site_id = \(siteId) AND id = \(id)",
                logger: logger)
        ).first
    }

    public func activities(siteId: Site.ID, planId: CarePlan.ID) async throws -> [CareActivity] {
        try await activities(siteId: siteId, planIds: [planId])
    }

    public func activities(siteId: Site.ID, planIds: [CarePlan.ID]) async throws -> [CareActivity] {
        try await activities(
            connection.query(
                """
                SELECT \(unescaped: Self.activityColumns) FROM care_activities WHERE site_id = \(siteId) AND plan_id =
                    ANY(\(planIds)::bigint[])
                ORDER BY id
                """, logger: logger))
    }

    private func activities(_ rows: PostgresRowSequence) async throws -> [CareActivity] {
        var out: [CareActivity] = []
        for try await r in rows.decode(
            (
                CareActivity.ID, CarePlan.ID, CareActivityKind, String, Medication.ID?, Int?, String?, [String],
                Measure?, Instrument?, CalendarDate, CalendarDate?
            ).self)
        {
            out.append(
                CareActivity(
                    id: r.0, planId: r.1, kind: r.2, description: r.3, medicationId: r.4, doseUnits: r.5, route: r.6,
                    timesOfDay: r.7, measure: r.8, instrument: r.9, startsOn: r.10, endsOn: r.11))
        }
        return out
    }

    // MARK: Observations

    static let observationColumns =
        "id, plan_id, activity_id, measure, observed_at, systolic, diastolic, value, instrument, score, note, flag, recorded_by"

    public func insertObservation(siteId: Site.ID, planId: CarePlan.ID, _ e: ObservationEntry, recordedBy: String)
        async throws -> Observation
    {
        try await observations(
            connection.query(
                """
                INSERT INTO observations (site_id, plan_id, activity_id, measure, observed_at, systolic, diastolic,
                    value, instrument, score,
                                          note, flag, recorded_by)
                VALUES (\(siteId), \(planId), \(e.activityId), \(e.measureName), \(e.observedAt), \(e.systolic),
                    \(e.diastolic), \(e.value),
                        \(e.instrument?.rawValue), \(e.score), \(e.note), \(e.flag), \(recordedBy))
                RETURNING \(unescaped: Self.observationColumns)
                """, logger: logger)
        ).first!
    }

    public func observations(siteId: Site.ID, planId: CarePlan.ID) async throws -> [Observation] {
        try await observations(
            connection.query(
                """
                SELECT \(unescaped: Self.observationColumns) FROM observations WHERE site_id = \(siteId) AND plan_id =
                    \(planId)
                ORDER BY observed_at, id
                """, logger: logger))
    }

    private func observations(_ rows: PostgresRowSequence) async throws -> [Observation] {
        var out: [Observation] = []
        for try await r in rows.decode(
            (
                Observation.ID, CarePlan.ID, CareActivity.ID?, String, Date, Int?, Int?, Double?, Instrument?, Int?,
                String?, String?, String
            ).self)
        {
            out.append(
                Observation(
                    id: r.0, planId: r.1, activityId: r.2, measure: r.3, observedAt: r.4, systolic: r.5, diastolic: r.6,
                    value: r.7, instrument: r.8, score: r.9, note: r.10, flag: r.11,
                    recordedBy: r.12))
        }
        return out
    }

    /// A medication order's plan status and patient, with the plan locked against a concurrent
    /// status change until the transaction ends.
    public func lockOrder(siteId: Site.ID, activityId: CareActivity.ID) async throws -> (
        status: CarePlanStatus, patientId: Patient.ID, activity: CareActivity
    )? {
        for try await (status, patientId) in try await connection.query(
            """
            SELECT c.status, c.patient_id FROM care_activities a JOIN care_plans c ON c.site_id = a.site_id AND c.id =
                a.plan_id
            WHERE a.site_id = \(siteId) AND a.id = \(activityId)
            FOR SHARE OF c
            """, logger: logger
        ).decode((CarePlanStatus, Patient.ID).self) {
            guard let activity = try await activity(siteId: siteId, id: activityId) else { return nil }
            return (status, patientId, activity)
        }
        return nil
    }

    // MARK: The day's work

    /// An active order of an active plan of an admitted patient, with where the patient lies.
    public struct ActiveOrder: Sendable {
        public var activity: CareActivity
        public var planId: CarePlan.ID
        public var patientId: Patient.ID
        public var patientName: String
        public var bedCode: String?
        public var zoneId: Zone.ID?
    }

    /// The site's active medication orders of `date` (admitted patients, active plans), counted
    /// per medicine, dose and times a day: what the stock cover needs, without reading each order.
    public func medicationOrderShapes(siteId: Site.ID, on date: CalendarDate) async throws -> [OrderShapeCount] {
        try await medicationOrderShapes(days: [siteId: date])[siteId] ?? []
    }

    /// The same for several sites, each on its own day, in one read (the district board).
    public func medicationOrderShapes(days: [Site.ID: CalendarDate]) async throws -> [Site.ID: [OrderShapeCount]] {
        let sites = Array(days.keys)
        var out: [Site.ID: [OrderShapeCount]] = [:]
        for try await (site, medicationId, doseUnits, timesADay, orders) in try await connection.query(
            """
            SELECT a.site_id, a.medication_id, a.dose_units, cardinality(a.times_of_day), count(*)::int
            FROM unnest(\(sites.map(\.rawValue))::bigint[], \(sites.map { days[$0]!.description })::date[])
                AS d(site_id, day)
            JOIN care_activities a ON a.site_id = d.site_id
            JOIN care_plans c ON c.site_id = a.site_id AND c.id = a.plan_id AND c.status = 'active'
            JOIN patients p ON p.site_id = c.site_id AND p.id = c.patient_id AND p.status = 'admitted'
            WHERE a.kind = 'medication' AND a.medication_id IS NOT NULL
              AND a.starts_on <= d.day AND (a.ends_on IS NULL OR a.ends_on >= d.day)
            GROUP BY 1, 2, 3, 4
            """, logger: logger
        ).decode((Site.ID, Medication.ID, Int?, Int, Int).self) {
            out[site, default: []].append(
                OrderShapeCount(medicationId: medicationId, doseUnits: doseUnits, timesADay: timesADay, orders: orders))
        }
        return out
    }

    /// Orders of `kind` running on `date` for admitted patients with an active plan.
    public func activeOrders(
        siteId: Site.ID, kind: CareActivityKind, on date: CalendarDate, patientId: Patient.ID? = nil
    ) async throws -> [ActiveOrder] {
        var out: [ActiveOrder] = []
        for try await r in try await connection.query(
            """
            SELECT a.id, a.plan_id, a.kind, a.description, a.medication_id, a.dose_units, a.route, a.times_of_day,
                a.measure, a.instrument,
                   a.starts_on::text, a.ends_on::text, p.id, p.name, b.code, b.zone_id
            FROM care_activities a
            JOIN care_plans c ON c.site_id = a.site_id AND c.id = a.plan_id AND c.status = 'active'
            JOIN patients p ON p.site_id = c.site_id AND p.id = c.patient_id AND p.status = 'admitted'
            LEFT JOIN bed_assignments ba ON ba.site_id = p.site_id AND ba.patient_id = p.id AND upper_inf(ba.during)
            LEFT JOIN beds b ON b.site_id = ba.site_id AND b.id = ba.bed_id
            WHERE a.site_id = \(siteId) AND a.kind = \(kind.rawValue)
              AND (\(patientId)::bigint IS NULL OR p.id = \(patientId)::bigint)
              AND a.starts_on <= \(date.description)::date AND (a.ends_on IS NULL OR a.ends_on >=
                  \(date.description)::date)
            ORDER BY b.code NULLS LAST, p.id, a.id
            """, logger: logger
        ).decode(
            (
                CareActivity.ID, CarePlan.ID, CareActivityKind, String, Medication.ID?, Int?, String?, [String],
                Measure?, Instrument?, CalendarDate, CalendarDate?, Patient.ID, String, String?, Zone.ID?
            ).self)
        {
            let activity = CareActivity(
                id: r.0, planId: r.1, kind: r.2, description: r.3, medicationId: r.4, doseUnits: r.5, route: r.6,
                timesOfDay: r.7, measure: r.8, instrument: r.9, startsOn: r.10, endsOn: r.11)
            out.append(
                ActiveOrder(
                    activity: activity, planId: r.1, patientId: r.12, patientName: r.13, bedCode: r.14, zoneId: r.15))
        }
        return out
    }

    /// Dispense movements against each order between two instants.
    public func dispensesByOrder(siteId: Site.ID, from: Date, until: Date) async throws -> [CareActivity.ID: Int] {
        var out: [CareActivity.ID: Int] = [:]
        for try await (activity, count) in try await connection.query(
            """
            SELECT care_activity_id, count(DISTINCT movement_id)::int FROM stock_ledger
            WHERE site_id = \(siteId) AND care_activity_id IS NOT NULL AND kind = 'dispense'
              AND occurred_at >= \(from) AND occurred_at < \(until)
            GROUP BY care_activity_id
            """, logger: logger
        ).decode((CareActivity.ID, Int).self) { out[activity] = count }
        return out
    }

    /// Records a dose of `activityId` due on `day` at `time` as not given.
    public func insertOmission(siteId: Site.ID, _ omission: DoseOmission, recordedBy: String) async throws {
        try await connection.query(
            """
            INSERT INTO dose_omissions (site_id, activity_id, due_on, due_time, reason, recorded_by)
            VALUES (\(siteId), \(omission.activityId), \(omission.date.description)::date, \(omission.time),
                    \(omission.reason), \(recordedBy))
            """, logger: logger)
    }

    /// The reasons doses of `day` were not given, by order and time.
    public func omissions(siteId: Site.ID, on day: CalendarDate) async throws -> [CareActivity.ID: [String: String]] {
        var out: [CareActivity.ID: [String: String]] = [:]
        for try await (activity, time, reason) in try await connection.query(
            """
            SELECT activity_id, due_time, reason FROM dose_omissions
            WHERE site_id = \(siteId) AND due_on = \(day.description)::date
            """, logger: logger
        ).decode((CareActivity.ID, String, String).self) { out[activity, default: [:]][time] = reason }
        return out
    }

    /// The latest observation of each monitoring order.
    public func lastObservations(siteId: Site.ID) async throws -> [CareActivity.ID: Date] {
        var out: [CareActivity.ID: Date] = [:]
        for try await (activity, at) in try await connection.query(
            """
            SELECT activity_id, max(observed_at) FROM observations WHERE site_id = \(siteId) AND activity_id IS NOT NULL
                GROUP BY activity_id
            """, logger: logger
        ).decode((CareActivity.ID, Date).self) { out[activity] = at }
        return out
    }

    /// Active plans whose review date has passed.
    public func plansDueForReview(siteId: Site.ID, on date: CalendarDate) async throws -> [PlanDueForReview] {
        var out: [PlanDueForReview] = []
        for try await (plan, patient, name, review) in try await connection.query(
            """
            SELECT c.id, p.id, p.name, c.review_on::text FROM care_plans c JOIN patients p ON p.site_id = c.site_id AND
                p.id = c.patient_id
            WHERE c.site_id = \(siteId) AND c.status = 'active' AND c.review_on < \(date.description)::date AND p.status
                = 'admitted'
            ORDER BY c.review_on, c.id
            """, logger: logger
        ).decode((CarePlan.ID, Patient.ID, String, CalendarDate).self) {
            out.append(PlanDueForReview(planId: plan, patientId: patient, patientName: name, reviewOn: review))
        }
        return out
    }

    /// Out-of-range observations since an instant.
    public func flaggedObservations(siteId: Site.ID, since: Date) async throws -> [FlaggedObservation] {
        var out: [FlaggedObservation] = []
        for try await r in try await connection.query(
            """
            SELECT o.id, p.id, p.name, o.observed_at, o.flag, o.measure, o.systolic, o.diastolic, o.value,
                   o.instrument, o.score
            FROM observations o
            JOIN care_plans c ON c.site_id = o.site_id AND c.id = o.plan_id
            JOIN patients p ON p.site_id = c.site_id AND p.id = c.patient_id
            WHERE o.site_id = \(siteId) AND o.flag IS NOT NULL AND o.observed_at >= \(since)
            ORDER BY o.observed_at DESC
            """, logger: logger
        ).decode(
            (Observation.ID, Patient.ID, String, Date, String, String, Int?, Int?, Double?, Instrument?, Int?).self)
        {
            // The reading is read again so that each reader words the flag in its own language.
            let reading = ObservationEntry(
                measure: Measure(rawValue: r.5), observedAt: r.3, systolic: r.6, diastolic: r.7, value: r.8,
                instrument: r.9, score: r.10)
            out.append(
                FlaggedObservation(
                    observationId: r.0, patientId: r.1, patientName: r.2, observedAt: r.3, flag: r.4,
                    explanation: reading.flagExplanation))
        }
        return out
    }
}
