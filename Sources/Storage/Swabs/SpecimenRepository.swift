import Domain
import Foundation
import Logging
import PostgresNIO

/// Swab schedules, the day's rounds and their tubes (specimens), in SQL.
public struct SpecimenRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// The site's schedule, or the defaults when it never set one.
    public func schedule(siteId: Site.ID) async throws -> SwabSchedule {
        let rows = try await connection.query(
            "SELECT first_day_after_admission, interval_days FROM swab_schedules WHERE site_id = \(siteId)",
            logger: logger)
        for try await (first, interval) in rows.decode((Int16, Int16).self) {
            return SwabSchedule(firstDayAfterAdmission: Int(first), intervalDays: Int(interval))
        }
        return SwabSchedule()
    }

    public func setSchedule(siteId: Site.ID, _ schedule: SwabSchedule) async throws {
        try await connection.query(
            """
            INSERT INTO swab_schedules (site_id, first_day_after_admission, interval_days)
            VALUES (\(siteId), \(Int16(schedule.firstDayAfterAdmission)), \(Int16(schedule.intervalDays)))
            ON CONFLICT (site_id) DO UPDATE SET first_day_after_admission = excluded.first_day_after_admission,
                interval_days = excluded.interval_days, updated_at = now()
            """, logger: logger)
    }

    /// Every admitted patient of the site as the round of `day` sees them: the day of admission
    /// and of the last swab taken before `day` (a tube taken, or a result entered by hand) in
    /// the site's time zone, the bed they lie in, and the tube already printed for `day`.
    /// Only the last swab within the longest interval decides, so older ones are not read.
    public func roundCandidates(siteId: Site.ID, day: CalendarDate) async throws -> [SwabCandidate] {
        let window = Int32(SwabSchedule.longestInterval + 1)
        let rows = try await connection.query(
            """
            WITH site AS (SELECT time_zone FROM sites WHERE id = \(siteId)),
            taken AS (
                SELECT patient_id, max(round_date) AS day FROM specimens
                WHERE site_id = \(siteId) AND round_date < \(day.description)::date
                  AND round_date >= \(day.description)::date - \(window)
                  AND status IN ('collected', 'sent', 'resulted')
                GROUP BY patient_id),
            entered AS (
                SELECT t.patient_id, max((t.sampled_at AT TIME ZONE site.time_zone)::date) AS day
                FROM nucleic_acid_tests t JOIN patients p ON p.site_id = t.site_id AND p.id = t.patient_id, site
                WHERE t.site_id = \(siteId) AND p.status = 'admitted'
                  AND t.sampled_at >= ((\(day.description)::date - \(window))::timestamp AT TIME ZONE site.time_zone)
                GROUP BY t.patient_id)
            SELECT p.id, (p.admitted_at AT TIME ZONE site.time_zone)::date::text,
                   greatest(taken.day, entered.day)::text, a.bed_id, b.zone_id, s.accession, s.status, s.bed_id
            FROM patients p CROSS JOIN site
            LEFT JOIN bed_assignments a ON a.site_id = p.site_id AND a.patient_id = p.id AND upper_inf(a.during)
            LEFT JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
            LEFT JOIN taken ON taken.patient_id = p.id
            LEFT JOIN entered ON entered.patient_id = p.id
            LEFT JOIN specimens s ON s.site_id = p.site_id AND s.patient_id = p.id AND s.round_date = \(day.description)::date
            WHERE p.site_id = \(siteId) AND p.status = 'admitted'
            """, logger: logger)
        var out: [SwabCandidate] = []
        for try await r in rows.decode(
            (Patient.ID, CalendarDate, CalendarDate?, Bed.ID?, Zone.ID?, Int64?, SpecimenStatus?, Bed.ID?).self)
        {
            var printed: SwabCandidate.PrintedTube?
            if let sequence = r.5, let accession = AccessionNumber(sequence: sequence), let status = r.6,
                let bedId = r.7
            {
                printed = .init(accession: accession, status: status, bedId: bedId)
            }
            let bed = r.3.flatMap { bedId in r.4.map { (id: bedId, zoneId: $0) } }
            out.append(
                SwabCandidate(
                    patientId: r.0, admittedOn: r.1, lastSwabbedOn: r.2, bed: bed, printed: printed))
        }
        return out
    }

    /// The tubes of `day` printed for patients who are no longer admitted.
    public func departedTubes(siteId: Site.ID, day: CalendarDate) async throws -> [SwabCandidate.PrintedTube] {
        let rows = try await connection.query(
            """
            SELECT s.accession, s.status, s.bed_id FROM specimens s
            JOIN patients p ON p.site_id = s.site_id AND p.id = s.patient_id
            WHERE s.site_id = \(siteId) AND s.round_date = \(day.description)::date AND p.status <> 'admitted'
            """, logger: logger)
        var out: [SwabCandidate.PrintedTube] = []
        for try await (sequence, status, bedId) in rows.decode((Int64, SpecimenStatus, Bed.ID).self) {
            if let accession = AccessionNumber(sequence: sequence) {
                out.append(.init(accession: accession, status: status, bedId: bedId))
            }
        }
        return out
    }

    /// Prints the new tubes of a round, numbered in zone and bed order so that a zone's labels
    /// come off the printer in the order the nurses walk. A patient who already has a tube for
    /// the day is skipped (the unique key), so a round made twice at once prints each tube once.
    /// Returns how many were printed.
    public func insertTubes(siteId: Site.ID, day: CalendarDate, _ tubes: [SwabRoundPlan.NewTube]) async throws
        -> Int
    {
        guard !tubes.isEmpty else { return 0 }
        return try await connection.single(
            """
            WITH added AS (
                INSERT INTO specimens (site_id, round_date, patient_id, zone_id, bed_id)
                SELECT \(siteId), \(day.description)::date, x.patient_id, x.zone_id, x.bed_id
                FROM unnest(\(tubes.map(\.patientId.rawValue))::bigint[], \(tubes.map(\.zoneId.rawValue))::bigint[],
                            \(tubes.map(\.bedId.rawValue))::bigint[]) AS x(patient_id, zone_id, bed_id)
                JOIN zones z ON z.site_id = \(siteId) AND z.id = x.zone_id
                JOIN beds b ON b.site_id = \(siteId) AND b.id = x.bed_id
                ORDER BY z.code, b.code
                ON CONFLICT (site_id, patient_id, round_date) DO NOTHING
                RETURNING 1)
            SELECT count(*)::int FROM added
            """, as: Int.self, logger: logger)
    }

    /// Points tubes not yet taken at the bed their patient lies in now.
    public func moveTubes(siteId: Site.ID, _ moves: [SwabRoundPlan.MovedTube]) async throws {
        guard !moves.isEmpty else { return }
        try await connection.query(
            """
            UPDATE specimens s SET bed_id = x.bed_id, zone_id = x.zone_id, updated_at = now()
            FROM unnest(\(moves.map(\.accession.sequence))::bigint[], \(moves.map(\.bedId.rawValue))::bigint[],
                        \(moves.map(\.zoneId.rawValue))::bigint[]) AS x(accession, bed_id, zone_id)
            WHERE s.site_id = \(siteId) AND s.accession = x.accession AND s.status IN ('due', 'not_collected')
            """, logger: logger)
    }

    /// Cancels tubes not yet taken; returns how many.
    public func cancelTubes(siteId: Site.ID, _ accessions: [AccessionNumber], because: SpecimenCancellation)
        async throws -> Int
    {
        guard !accessions.isEmpty else { return 0 }
        return try await connection.single(
            """
            WITH cancelled AS (
                UPDATE specimens SET status = 'cancelled', cancellation = \(because.rawValue),
                    not_collected_reason = NULL, updated_at = now()
                WHERE site_id = \(siteId) AND accession = ANY(\(accessions.map(\.sequence))::bigint[])
                  AND status IN ('due', 'not_collected')
                RETURNING 1)
            SELECT count(*)::int FROM cancelled
            """, as: Int.self, logger: logger)
    }

    /// The round of `day`: its tubes counted by zone and state, zones in code order.
    public func round(siteId: Site.ID, day: CalendarDate) async throws -> SwabRound {
        let rows = try await connection.query(
            """
            SELECT z.id, z.code, z.name, s.status, count(*)::int FROM specimens s
            JOIN zones z ON z.site_id = s.site_id AND z.id = s.zone_id
            WHERE s.site_id = \(siteId) AND s.round_date = \(day.description)::date
            GROUP BY z.id, z.code, z.name, s.status ORDER BY z.code
            """, logger: logger)
        var zones: [SwabRound.ZoneTally] = []
        for try await (zoneId, code, name, status, count) in rows.decode(
            (Zone.ID, String, String, SpecimenStatus, Int).self)
        {
            if zones.last?.zoneId != zoneId {
                zones.append(.init(zoneId: zoneId, zoneCode: code, zoneName: name, tally: SwabTally()))
            }
            zones[zones.count - 1].tally.add(status, count: count)
        }
        let oldest = try await connection.single(
            """
            SELECT min(x.sent_at) FROM specimens s JOIN specimen_boxes x ON x.site_id = s.site_id AND x.id = s.box_id
            WHERE s.site_id = \(siteId) AND s.status = 'sent'
            """, as: Date?.self, logger: logger)
        return SwabRound(siteId: siteId, date: day, zones: zones, oldestAwaitingSince: oldest)
    }

    static let columns = """
        s.accession, s.site_id, s.round_date::text, s.patient_id, p.name, s.zone_id, z.code, s.bed_id, b.code,
        s.status, s.not_collected_reason, s.cancellation, s.collected_at, s.created_at
        """
    static let joins = """
        JOIN patients p ON p.site_id = s.site_id AND p.id = s.patient_id
        JOIN zones z ON z.site_id = s.site_id AND z.id = s.zone_id
        JOIN beds b ON b.site_id = s.site_id AND b.id = s.bed_id
        """

    /// A page of a round's tubes in accession order (for one making, the zone and bed order
    /// they print in), optionally of one zone or in one state; one more than the page holds, to
    /// show that another follows.
    public func tubes(
        siteId: Site.ID, day: CalendarDate, zoneId: Zone.ID?, status: SpecimenStatus?, page: PageRequest
    ) async throws -> [Specimen] {
        try await specimens(
            connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM specimens s \(unescaped: Self.joins)
                WHERE s.site_id = \(siteId) AND s.round_date = \(day.description)::date
                  AND (\(zoneId)::bigint IS NULL OR s.zone_id = \(zoneId))
                  AND (\(status?.rawValue)::text IS NULL OR s.status = \(status?.rawValue))
                  AND s.accession > \(page.afterId ?? 0)
                ORDER BY s.accession LIMIT \(page.limit + 1)
                """, logger: logger))
    }

    /// The tubes to label, in print order (zone, then bed): of one zone or of the whole round,
    /// or only those listed (a reprint); never the cancelled. At most `limit`.
    public func labelTubes(
        siteId: Site.ID, day: CalendarDate, zoneId: Zone.ID?, only accessions: [AccessionNumber], limit: Int
    ) async throws -> [Specimen] {
        try await specimens(
            connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM specimens s \(unescaped: Self.joins)
                WHERE s.site_id = \(siteId) AND s.round_date = \(day.description)::date AND s.status <> 'cancelled'
                  AND (\(zoneId)::bigint IS NULL OR s.zone_id = \(zoneId))
                  AND (cardinality(\(accessions.map(\.sequence))::bigint[]) = 0
                       OR s.accession = ANY(\(accessions.map(\.sequence))::bigint[]))
                ORDER BY z.code, b.code, s.accession LIMIT \(limit)
                """, logger: logger))
    }

    /// The tubes of a box in the order they were printed.
    public func boxTubes(siteId: Site.ID, boxId: SpecimenBox.ID) async throws -> [Specimen] {
        try await specimens(
            connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM specimens s \(unescaped: Self.joins)
                WHERE s.site_id = \(siteId) AND s.box_id = \(boxId) ORDER BY s.accession
                """, logger: logger))
    }

    /// One tube of the site; with `lock`, its row stays locked until the transaction ends.
    public func specimen(siteId: Site.ID, accession: AccessionNumber, lock: Bool = false) async throws -> Specimen? {
        try await specimens(
            connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM specimens s \(unescaped: Self.joins)
                WHERE s.site_id = \(siteId) AND s.accession = \(accession.sequence)
                \(unescaped: lock ? "FOR UPDATE OF s" : "")
                """, logger: logger)
        ).first
    }

    /// Writes what the nurse recorded for a tube.
    public func recordCollection(
        siteId: Site.ID, accession: AccessionNumber, _ outcome: CollectionOutcome, by userId: Int64?
    ) async throws {
        var collectedAt: Date?
        var reason: String?
        switch outcome {
        case .collected(_, let at): collectedAt = at
        case .notCollected(let why): reason = why.rawValue
        }
        try await connection.query(
            """
            UPDATE specimens SET status = \(outcome.status.rawValue), not_collected_reason = \(reason),
                collected_at = \(collectedAt), collected_by = \(collectedAt == nil ? nil : userId), updated_at = now()
            WHERE site_id = \(siteId) AND accession = \(accession.sequence)
            """, logger: logger)
    }

    private func specimens(_ rows: PostgresRowSequence) async throws -> [Specimen] {
        var out: [Specimen] = []
        for try await r in rows.decode(
            (
                Int64, Site.ID, CalendarDate, Patient.ID, String, Zone.ID, String, Bed.ID, String, SpecimenStatus,
                String?, String?, Date?, Date
            ).self)
        {
            guard let accession = AccessionNumber(sequence: r.0) else { continue }
            out.append(
                Specimen(
                    accession: accession, siteId: r.1, roundDate: r.2, patientId: r.3, patientName: r.4, zoneId: r.5,
                    zoneCode: r.6, bedId: r.7, bedCode: r.8, status: r.9,
                    notCollectedReason: try r.10.map { try NotCollectedReason.stored($0) },
                    cancellation: try r.11.map { try SpecimenCancellation.stored($0) }, collectedAt: r.12,
                    createdAt: r.13))
        }
        return out
    }
}
