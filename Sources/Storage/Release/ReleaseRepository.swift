import Domain
import Foundation
import Logging
import PostgresNIO

/// A site's release criteria, its release list, clinicians' sign-offs and release itself, in SQL.
public struct ReleaseRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// The site's criteria, or the defaults (the test rule alone) when it never set any.
    public func criteria(siteId: Site.ID) async throws -> ReleaseCriteria {
        let rows = try await connection.query(
            """
            SELECT no_fever_hours, fever_celsius::float8, symptoms_improved, news2_stable FROM release_criteria
            WHERE site_id = \(siteId)
            """, logger: logger)
        for try await (hours, fever, symptoms, news2) in rows.decode((Int16?, Double, Bool, Bool).self) {
            return ReleaseCriteria(
                noFeverHours: hours.map(Int.init), feverCelsius: fever, symptomsImproved: symptoms, news2Stable: news2)
        }
        return ReleaseCriteria()
    }

    public func setCriteria(siteId: Site.ID, _ criteria: ReleaseCriteria) async throws {
        try await connection.query(
            """
            INSERT INTO release_criteria (site_id, no_fever_hours, fever_celsius, symptoms_improved, news2_stable)
            VALUES (\(siteId), \(criteria.noFeverHours.map(Int16.init)), \(criteria.feverCelsius)::numeric(3, 1),
                    \(criteria.symptomsImproved), \(criteria.news2Stable))
            ON CONFLICT (site_id) DO UPDATE SET no_fever_hours = excluded.no_fever_hours,
                fever_celsius = excluded.fever_celsius, symptoms_improved = excluded.symptoms_improved,
                news2_stable = excluded.news2_stable, updated_at = now()
            """, logger: logger)
    }

    /// Who is on the way home at a site (a fever is a temperature from a care plan's
    /// observations or from a set of vital signs): admitted patients whose tests meet the rule, who hold a
    /// sign-off, or whose sign-off was withdrawn within the last day (so the clinician who
    /// signed sees why they left the list); in zone and bed order, at most `limit`. With `ids`,
    /// exactly those admitted patients, locked (for signing off and releasing).
    public func candidates(
        siteId: Site.ID, zoneId: Zone.ID? = nil, ids: [Patient.ID]? = nil, criteria: ReleaseCriteria, limit: Int
    ) async throws -> [ReleaseCandidate] {
        let hours = Double(criteria.noFeverHours ?? 0)
        let lock = ids == nil ? "" : "FOR UPDATE OF p"
        let rows = try await connection.query(
            """
            SELECT p.id, p.name, z.code, z.name, b.code, p.release_eligible, f.observed_at, f.value,
                   s.id, s.signed_by, s.signed_at, s.symptoms_improved, s.note,
                   w.id, w.signed_by, w.signed_at, w.symptoms_improved, w.note, w.withdrawn_at, w.withdrawn_reason,
                   w.withdrawn_detail
            FROM patients p
            LEFT JOIN bed_assignments a ON a.site_id = p.site_id AND a.patient_id = p.id AND upper_inf(a.during)
            LEFT JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
            LEFT JOIN zones z ON z.site_id = b.site_id AND z.id = b.zone_id
            LEFT JOIN release_sign_offs s ON s.site_id = p.site_id AND s.patient_id = p.id AND s.withdrawn_at IS NULL
            LEFT JOIN LATERAL (
                SELECT t.observed_at, t.value FROM (
                    SELECT o.observed_at, o.value FROM care_plans c
                    JOIN observations o ON o.site_id = c.site_id AND o.plan_id = c.id
                    WHERE \(hours) > 0 AND c.site_id = p.site_id AND c.patient_id = p.id AND o.measure = 'temperature'
                      AND o.observed_at > now() - make_interval(hours => \(hours)::int)
                      AND o.value >= \(criteria.feverCelsius)
                    UNION ALL
                    SELECT v.taken_at, v.temperature::float8 FROM vital_signs v
                    WHERE \(hours) > 0 AND v.site_id = p.site_id AND v.patient_id = p.id
                      AND v.taken_at > now() - make_interval(hours => \(hours)::int)
                      AND v.temperature >= \(criteria.feverCelsius)) t
                ORDER BY t.observed_at DESC LIMIT 1) f ON true
            LEFT JOIN LATERAL (
                SELECT * FROM release_sign_offs w
                WHERE s.id IS NULL AND w.site_id = p.site_id AND w.patient_id = p.id AND w.withdrawn_at IS NOT NULL
                ORDER BY w.withdrawn_at DESC LIMIT 1) w ON true
            WHERE p.site_id = \(siteId) AND p.status = 'admitted'
              AND (\(zoneId)::bigint IS NULL OR z.id = \(zoneId))
              AND CASE WHEN \(ids.map { $0.map(\.rawValue) })::bigint[] IS NULL
                       THEN p.release_eligible OR s.id IS NOT NULL OR w.withdrawn_at > now() - interval '1 day'
                       ELSE p.id = ANY(\(ids.map { $0.map(\.rawValue) })::bigint[]) END
            ORDER BY z.code NULLS LAST, b.code NULLS LAST, p.id
            LIMIT \(limit)
            \(unescaped: lock)
            """, logger: logger)
        var out: [ReleaseCandidate] = []
        for try await r in rows.decode(
            (
                Patient.ID, String, String?, String?, String?, Bool, Date?, Double?,
                Int64?, String?, Date?, Bool?, String?,
                Int64?, String?, Date?, Bool?, String?, Date?, String?, String?
            ).self)
        {
            let fever = r.6.flatMap { at in r.7.map { Fever(takenAt: at, celsius: $0) } }
            var signOff: ReleaseSignOff?
            if let id = r.8, let by = r.9, let at = r.10, let symptoms = r.11 {
                signOff = ReleaseSignOff(id: id, signedBy: by, signedAt: at, symptomsImproved: symptoms, note: r.12)
            }
            var withdrawn: WithdrawnSignOff?
            if let id = r.13, let by = r.14, let at = r.15, let symptoms = r.16, let when = r.18,
                let reason = r.19.flatMap(SignOffWithdrawal.init(rawValue:))
            {
                withdrawn = WithdrawnSignOff(
                    signOff: ReleaseSignOff(id: id, signedBy: by, signedAt: at, symptomsImproved: symptoms, note: r.17),
                    withdrawnAt: when, reason: reason, detail: r.20)
            }
            out.append(
                ReleaseCandidate(
                    patientId: r.0, name: r.1, zoneCode: r.2, zoneName: r.3, bedCode: r.4, testsMet: r.5, fever: fever,
                    signOff: signOff, withdrawn: withdrawn))
        }
        if criteria.news2Stable, !out.isEmpty {
            let trends = try await news2Trends(siteId: siteId, patientIds: out.map(\.patientId))
            for index in out.indices { out[index].news2 = trends[out[index].patientId] }
        }
        return out
    }

    /// The last two NEWS2 totals of each patient's complete sets, the latest first.
    func news2Trends(siteId: Site.ID, patientIds: [Patient.ID]) async throws -> [Patient.ID: NEWS2Trend] {
        let rows = try await connection.query(
            """
            SELECT p.id, t.scores, t.latest_at FROM unnest(\(patientIds.map(\.rawValue))::bigint[]) AS p(id)
            JOIN LATERAL (
                SELECT array_agg(v.score::int ORDER BY v.taken_at DESC, v.id DESC) AS scores, max(v.taken_at) AS latest_at
                FROM (SELECT score, taken_at, id FROM vital_signs
                      WHERE site_id = \(siteId) AND patient_id = p.id AND score IS NOT NULL
                      ORDER BY taken_at DESC, id DESC LIMIT 2) v) t ON t.scores IS NOT NULL
            """, logger: logger)
        var out: [Patient.ID: NEWS2Trend] = [:]
        for try await (id, scores, at) in rows.decode((Patient.ID, [Int], Date).self) {
            guard let latest = scores.first else { continue }
            out[id] = NEWS2Trend(latest: latest, takenAt: at, previous: scores.dropFirst().first)
        }
        return out
    }

    /// Records sign-offs for these patients (each without a standing one); returns them by patient.
    public func signOff(
        siteId: Site.ID, _ patients: [Patient.ID], by actor: Actor, symptomsImproved: Bool, note: String?
    ) async throws -> [Patient.ID: ReleaseSignOff] {
        var out: [Patient.ID: ReleaseSignOff] = [:]
        let rows = try await connection.query(
            """
            INSERT INTO release_sign_offs (site_id, patient_id, signed_by_user_id, signed_by, symptoms_improved, note)
            SELECT \(siteId), id, \(actor.userId), \(actor.username), \(symptomsImproved), \(note)
            FROM unnest(\(patients.map(\.rawValue))::bigint[]) AS id
            RETURNING patient_id, id, signed_by, signed_at, symptoms_improved, note
            """, logger: logger)
        for try await r in rows.decode((Patient.ID, Int64, String, Date, Bool, String?).self) {
            out[r.0] = ReleaseSignOff(id: r.1, signedBy: r.2, signedAt: r.3, symptomsImproved: r.4, note: r.5)
        }
        return out
    }

    /// Withdraws a patient's standing sign-off by a clinician's hand; false when none stands.
    public func withdraw(siteId: Site.ID, patientId: Patient.ID, reason: String) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE release_sign_offs SET withdrawn_at = now(), withdrawn_reason = 'clinician', withdrawn_detail = \(reason)
            WHERE site_id = \(siteId) AND patient_id = \(patientId) AND withdrawn_at IS NULL
            RETURNING id
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }

    /// Of these patients of the site, those already discharged, with when and why.
    public func discharged(siteId: Site.ID, _ ids: [Patient.ID]) async throws -> [Patient.ID: Date] {
        var out: [Patient.ID: Date] = [:]
        let rows = try await connection.query(
            """
            SELECT id, discharged_at FROM patients
            WHERE site_id = \(siteId) AND id = ANY(\(ids.map(\.rawValue))::bigint[]) AND status = 'discharged'
            """, logger: logger)
        for try await (id, at) in rows.decode((Patient.ID, Date).self) { out[id] = at }
        return out
    }

    /// Releases these (locked, ready) patients of the site as recovered, set-wise: each patient
    /// discharged, their bed stay closed and the bed sent to cleaning, as a single discharge
    /// does, and one audit entry each. Returns the patients released.
    public func release(siteId: Site.ID, _ ids: [Patient.ID], at: Date, actor: Actor) async throws -> [Patient.ID] {
        guard !ids.isEmpty else { return [] }
        var out: [Patient.ID] = []
        let rows = try await connection.query(
            """
            WITH before AS (
                SELECT p.* FROM patients p WHERE p.site_id = \(siteId) AND p.id = ANY(\(ids.map(\.rawValue))::bigint[])
                  AND p.status = 'admitted'),
            released AS (
                UPDATE patients p SET status = 'discharged', discharged_at = \(at), discharge_reason = 'recovered',
                       discharge_note = NULL, version = p.version + 1, updated_at = now()
                FROM before WHERE p.site_id = before.site_id AND p.id = before.id
                RETURNING p.*),
            stays AS (
                UPDATE bed_assignments a SET during = tstzrange(lower(a.during), \(at), '[)')
                FROM released r WHERE a.site_id = r.site_id AND a.patient_id = r.id AND upper_inf(a.during)
                RETURNING a.site_id, a.bed_id),
            cleaned AS (
                UPDATE beds b SET status = 'cleaning', version = b.version + 1, updated_at = now()
                FROM stays WHERE b.site_id = stays.site_id AND b.id = stays.bed_id),
            audited AS (
                INSERT INTO audit_log (site_id, actor_user_id, actor_name, role, request_id, cli_operator, action, entity,
                                       entity_id, before, after)
                SELECT r.site_id, \(actor.userId), \(actor.username), \(actor.auditRole(at: siteId)),
                       \(actor.auditOrigin.requestId), \(actor.auditOrigin.cliOperator), 'release', 'patient', r.id::text,
                       jsonb_build_object('status', b.status, 'version', b.version),
                       jsonb_build_object('status', r.status, 'dischargedAt', r.discharged_at,
                                          'dischargeReason', r.discharge_reason, 'version', r.version)
                FROM released r JOIN before b ON b.site_id = r.site_id AND b.id = r.id)
            SELECT id FROM released
            """, logger: logger)
        for try await id in rows.decode(Patient.ID.self) { out.append(id) }
        return out
    }
}
