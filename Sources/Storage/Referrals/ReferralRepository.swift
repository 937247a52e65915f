import Domain
import Foundation
import Logging
import PostgresNIO

/// Referrals and their timelines in SQL.
public struct ReferralRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Inserts a requested referral; returns its id.
    public func insert(siteId: Site.ID, _ d: ReferralDraft, requestedBy: String) async throws -> Referral.ID {
        try await connection.single(
            """
            INSERT INTO referrals (site_id, patient_id, hospital_id, department_id, reason, clinical_summary, services,
                urgency, fast_lane,
                                   committee_contact, requested_by, created_at)
            VALUES (\(siteId), \(d.patientId), \(d.hospitalId), \(d.departmentId), \(d.reason), \(d.clinicalSummary),
                    \(d.services.map(\.rawValue)), \(d.urgency.rawValue), \(d.fastLane), \(d.committeeContact),
                        \(requestedBy),
                    coalesce(\(d.requestedAt)::timestamptz, now()))
            RETURNING id
            """, as: Referral.ID.self, logger: logger)
    }

    /// Appends a line to a referral's timeline.
    public func appendEvent(
        siteId: Site.ID, referralId: Referral.ID, from: ReferralStatus?, to: ReferralStatus?, actorName: String,
        role: String,
        note: String
    ) async throws {
        try await connection.query(
            """
            INSERT INTO referral_events (site_id, referral_id, from_status, to_status, actor_name, role, note)
            VALUES (\(siteId), \(referralId), \(from?.rawValue), \(to?.rawValue), \(actorName), \(role), \(note))
            """, logger: logger)
    }

    /// Moves a referral and bumps its version.
    public func setStatus(siteId: Site.ID, id: Referral.ID, _ t: ReferralTransition) async throws {
        try await connection.query(
            """
            UPDATE referrals SET status = \(t.to.rawValue), appointment_at = coalesce(\(t.appointmentAt),
                appointment_at),
                outcome = coalesce(\(t.outcome?.rawValue), outcome), version = version + 1, updated_at = now()
            WHERE site_id = \(siteId) AND id = \(id)
            """, logger: logger)
    }

    static let columns = """
        r.id, r.site_id, r.patient_id, p.name, r.hospital_id, r.department_id, r.reason, r.clinical_summary, r.services,
            r.urgency,
        r.fast_lane, r.committee_contact, r.requested_by, r.status, r.appointment_at, r.outcome, r.created_at,
            r.updated_at, r.version,
        p.sex, p.national_id, p.date_of_birth::text, p.phone
        """
    static let from = "referrals r JOIN patients p ON p.site_id = r.site_id AND p.id = r.patient_id"

    /// One referral with its timeline; with `lock`, locked until the transaction ends.
    public func referral(siteId: Site.ID, id: Referral.ID, lock: Bool = false) async throws -> Referral? {
        guard
            var referral = try await referrals(
                connection.query(
                    """
                    SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from) WHERE r.site_id = \(siteId) AND r.id
                        = \(id)
                    \(unescaped: lock ? "FOR UPDATE OF r" : "")
                    """, logger: logger)
            ).first
        else { return nil }
        for try await r in try await connection.query(
            """
            SELECT id, from_status, to_status, actor_name, role, note, at FROM referral_events
            WHERE site_id = \(siteId) AND referral_id = \(id) ORDER BY at, id
            """, logger: logger
        ).decode((Int64, ReferralStatus?, ReferralStatus?, String, String, String, Date).self) {
            referral.events.append(
                ReferralEvent(
                    id: r.0, fromStatus: r.1, toStatus: r.2,
                    actorName: r.3, role: r.4, note: r.5, at: r.6))
        }
        return referral
    }

    /// The site of a referral, when it exists (hospital tools name referrals by id alone).
    public func siteOf(referralId: Referral.ID) async throws -> Site.ID? {
        for try await siteId in try await connection.query(
            "SELECT site_id FROM referrals WHERE id = \(referralId)", logger: logger
        )
        .decode(Site.ID.self) { return siteId }
        return nil
    }

    /// Referrals by last change, optionally of one site, one hospital, one status, changed
    /// after `since`; a page after `afterId`.
    public func referrals(
        siteId: Site.ID?, hospitalId: Hospital.ID?, patientId: Patient.ID? = nil, status: ReferralStatus?,
        since: Date?, page: PageRequest
    ) async throws -> [Referral] {
        try await referrals(
            connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from)
                WHERE (\(siteId)::bigint IS NULL OR r.site_id = \(siteId)::bigint)
                  AND (\(patientId)::bigint IS NULL OR r.patient_id = \(patientId)::bigint)
                  AND (\(hospitalId)::bigint IS NULL OR r.hospital_id = \(hospitalId)::bigint)
                  AND (\(status?.rawValue)::text IS NULL OR r.status = \(status?.rawValue)::text)
                  AND (\(since)::timestamptz IS NULL OR r.updated_at > \(since)::timestamptz)
                  AND (\(page.afterId)::bigint IS NULL OR r.id > \(page.afterId)::bigint)
                ORDER BY r.id LIMIT \(page.limit + 1)
                """, logger: logger))
    }

    /// Referrals still open, for the escalation list.
    public func open(siteIds: [Site.ID]?) async throws -> [Referral] {
        try await referrals(
            connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM \(unescaped: Self.from)
                WHERE r.status NOT IN ('rejected', 'completed', 'cancelled', 'failed')
                  AND (\(siteIds == nil) OR r.site_id = ANY(\(siteIds ?? [])))
                ORDER BY r.created_at, r.id
                """, logger: logger))
    }

    private func referrals(_ rows: PostgresRowSequence) async throws -> [Referral] {
        var out: [Referral] = []
        for try await r in rows.decode(
            (
                Referral.ID, Site.ID, Patient.ID, String, Hospital.ID, Hospital.Department.ID?, String, String,
                [String], Urgency, Bool, String, String, ReferralStatus, Date?, ReferralOutcome?, Date, Date, Int, Sex,
                String, CalendarDate, String?
            ).self)
        {
            let today = CalendarDate(Date(), in: TimeZone(secondsFromGMT: 14 * 3600)!)
            out.append(
                Referral(
                    id: r.0, siteId: r.1, patientId: r.2, patientName: r.3, hospitalId: r.4, departmentId: r.5,
                    reason: r.6,
                    clinicalSummary: r.7, services: try r.8.map { try ReferralServiceKind.stored($0) }, urgency: r.9,
                    fastLane: r.10, committeeContact: r.11, requestedBy: r.12, status: r.13, appointmentAt: r.14,
                    outcome: r.15, createdAt: r.16, updatedAt: r.17, version: r.18))
            out[out.count - 1].patient = PersonIdentity(
                name: r.3, sex: r.19, nationalId: r.20, dateOfBirth: r.21, phone: r.22, today: today)
        }
        return out
    }
}
