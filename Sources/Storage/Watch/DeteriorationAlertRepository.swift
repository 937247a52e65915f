import Domain
import Foundation
import Logging
import PostgresNIO

/// What raising an alert did.
public enum AlertRaising: Sendable, Equatable {
    /// A new alert, addressed to the clinicians on shift in the patient's zone.
    case raised(DeteriorationAlert.ID)
    /// The patient's open urgent alert is an emergency now.
    case levelRaised(DeteriorationAlert.ID)
    /// An open alert of the same or a higher level stands; nothing changed.
    case alreadyOpen
}

/// Alerts raised by deteriorating readings, and their acknowledgements.
public struct DeteriorationAlertRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Raises an alert for the reading `vitalSignsId`, or the level of the patient's open one
    /// (the open-alert unique index decides between two nurses recording at once). It is
    /// addressed to the doctors and nurses on the published roster in the patient's zone now.
    public func raise(
        siteId: Site.ID, patientId: Patient.ID, vitalSignsId: VitalSigns.ID, level: AlertLevel, score: Int
    ) async throws -> AlertRaising {
        let rows = try await connection.query(
            """
            WITH place AS (
                SELECT b.zone_id FROM bed_assignments a JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
                WHERE a.site_id = \(siteId) AND a.patient_id = \(patientId) AND upper_inf(a.during)),
            on_shift AS (
                SELECT coalesce(array_agg(DISTINCT st.id ORDER BY st.id), '{}') AS ids
                FROM shifts sh
                JOIN shift_assignments x ON x.site_id = sh.site_id AND x.shift_id = sh.id AND x.state = 'published'
                JOIN staff st ON st.site_id = x.site_id AND st.id = x.staff_id
                WHERE sh.site_id = \(siteId) AND sh.zone_id = (SELECT zone_id FROM place)
                  AND sh.starts_at <= now() AND sh.ends_at > now()
                  AND st.profession IN ('doctor', 'nurse') AND st.status = 'active')
            INSERT INTO deterioration_alerts (site_id, patient_id, vital_signs_id, level, score, zone_id, addressed_to)
            SELECT \(siteId), \(patientId), \(vitalSignsId), \(level.rawValue), \(score), (SELECT zone_id FROM place), ids
            FROM on_shift
            ON CONFLICT (site_id, patient_id) WHERE acknowledged_at IS NULL DO UPDATE
                SET level = excluded.level, score = excluded.score, vital_signs_id = excluded.vital_signs_id
                WHERE deterioration_alerts.level = 'urgent' AND excluded.level = 'emergency'
            RETURNING id, xmax = 0
            """, logger: logger)
        for try await (id, inserted) in rows.decode((Int64, Bool).self) {
            return inserted ? .raised(.init(id)) : .levelRaised(.init(id))
        }
        return .alreadyOpen
    }

    /// The site's alerts, open ones first (emergencies first among them), then the latest;
    /// only the open ones with `openOnly`; or the one named.
    public func alerts(siteId: Site.ID, openOnly: Bool, id: DeteriorationAlert.ID? = nil, limit: Int = 500)
        async throws -> [DeteriorationAlert]
    {
        let rows = try await connection.query(
            """
            SELECT d.id, d.patient_id, p.name, z.code, bed.code, d.level, d.score::int, d.vital_signs_id,
                   ARRAY(SELECT st.name FROM staff st WHERE st.site_id = d.site_id AND st.id = ANY(d.addressed_to)
                         ORDER BY st.name),
                   d.raised_at, d.acknowledged_at, d.acknowledged_by, d.action_taken
            FROM deterioration_alerts d
            JOIN patients p ON p.site_id = d.site_id AND p.id = d.patient_id
            LEFT JOIN zones z ON z.site_id = d.site_id AND z.id = d.zone_id
            LEFT JOIN LATERAL (
                SELECT b.code FROM bed_assignments a JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
                WHERE a.site_id = d.site_id AND a.patient_id = d.patient_id AND upper_inf(a.during)) bed ON true
            WHERE d.site_id = \(siteId) AND (NOT \(openOnly) OR d.acknowledged_at IS NULL)
              AND (\(id)::bigint IS NULL OR d.id = \(id))
            ORDER BY d.acknowledged_at IS NULL DESC, d.level = 'emergency' DESC, d.raised_at DESC
            LIMIT \(limit)
            """, logger: logger)
        var out: [DeteriorationAlert] = []
        for try await r in rows.decode(
            (
                Int64, Patient.ID, String, String?, String?, String, Int, Int64, [String], Date, Date?, String?,
                String?
            ).self)
        {
            out.append(
                DeteriorationAlert(
                    id: .init(r.0), siteId: siteId, patientId: r.1, patientName: r.2, zoneCode: r.3, bedCode: r.4,
                    level: try AlertLevel.stored(r.5), score: r.6, vitalSignsId: .init(r.7), addressedTo: r.8,
                    raisedAt: r.9, acknowledgedAt: r.10, acknowledgedBy: r.11, actionTaken: r.12))
        }
        return out
    }

    /// Records a clinician's acknowledgement; false when the alert is not open (already
    /// acknowledged, or not there).
    public func acknowledge(siteId: Site.ID, id: DeteriorationAlert.ID, by name: String, action: String)
        async throws -> Bool
    {
        let rows = try await connection.query(
            """
            UPDATE deterioration_alerts SET acknowledged_at = now(), acknowledged_by = \(name), action_taken = \(action)
            WHERE site_id = \(siteId) AND id = \(id) AND acknowledged_at IS NULL RETURNING id
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }

    /// Open alerts by level, and how many of them are older than `escalateMinutes`.
    public func openCounts(siteId: Site.ID, escalateMinutes: Int) async throws
        -> (byLevel: [AlertLevel: Int], escalated: Int)
    {
        let rows = try await connection.query(
            """
            SELECT level, count(*)::int,
                   count(*) FILTER (WHERE raised_at < now() - make_interval(mins => \(escalateMinutes)::int))::int
            FROM deterioration_alerts WHERE site_id = \(siteId) AND acknowledged_at IS NULL GROUP BY level
            """, logger: logger)
        var byLevel: [AlertLevel: Int] = [:]
        var escalated = 0
        for try await (level, count, late) in rows.decode((String, Int, Int).self) {
            byLevel[try AlertLevel.stored(level)] = count
            escalated += late
        }
        return (byLevel, escalated)
    }
}
