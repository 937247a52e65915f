import Domain
import Foundation
import Logging
import PostgresNIO

/// The aggregate queries behind a site's census.
public struct CensusRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Beds per zone and status; zones without beds are listed with zero counts.
    public func bedsByZone(siteId: Site.ID) async throws -> [ZoneBeds] {
        var zones: [ZoneBeds] = []
        for try await (zoneId, code, kind, status, count) in try await connection.execute(
            BedsByZoneStatement(siteId: siteId), logger: logger)
        {
            if zones.last?.zoneId != zoneId {
                zones.append(
                    ZoneBeds(zoneId: zoneId, zoneCode: code, zoneKind: kind, beds: BedCounts()))
            }
            if let status { zones[zones.count - 1].beds.add(status, count) }
        }
        return zones
    }

    /// Admissions and discharges per local day of the site, for the days `from...through`.
    public func movements(siteId: Site.ID, from: CalendarDate, through: CalendarDate) async throws
        -> [DayMovement]
    {
        var days: [DayMovement] = []
        let statement = MovementsStatement(siteId: siteId, from: from.description, through: through.description)
        for try await (day, admissions, discharges) in try await connection.execute(statement, logger: logger) {
            days.append(DayMovement(date: day, admissions: admissions, discharges: discharges))
        }
        return days
    }

    /// How many patients are admitted, and how many of them the release rule lets go, from
    /// the kept counts.
    public func patientCounts(siteId: Site.ID) async throws -> (admitted: Int, eligible: Int) {
        for try await counts in try await connection.execute(PatientCountsStatement(siteId: siteId), logger: logger) {
            return counts
        }
        throw PostgresSingleRowMissing(query: PatientCountsStatement.sql)
    }

    /// The first `limit` admitted patients the release rule lets go, longest admitted first, with
    /// their current bed code.
    public func eligible(siteId: Site.ID, limit: Int) async throws -> [EligiblePatient] {
        var out: [EligiblePatient] = []
        for try await (id, name, bed) in try await connection.execute(
            EligiblePatientsStatement(siteId: siteId, limit: limit), logger: logger)
        {
            out.append(EligiblePatient(patientId: id, name: name, bedCode: bed))
        }
        return out
    }

    /// Folds the census's change rows into its kept counts (housekeeping); returns how many
    /// change rows were folded. Only rows committed before it began are seen, so changes being
    /// written meanwhile wait for the next fold.
    public func foldCounts() async throws -> Int {
        let beds = try await connection.single(
            """
            WITH moved AS (DELETE FROM bed_status_changes RETURNING site_id, zone_id, status, change),
            folded AS (
                INSERT INTO bed_status_counts (site_id, zone_id, status, beds)
                SELECT site_id, zone_id, status, sum(change) FROM moved GROUP BY site_id, zone_id, status
                ON CONFLICT (site_id, zone_id, status) DO UPDATE SET beds = bed_status_counts.beds + excluded.beds)
            SELECT count(*)::int FROM moved
            """, as: Int.self, logger: logger)
        let days = try await connection.single(
            """
            WITH moved AS (DELETE FROM patient_day_changes RETURNING site_id, day, admissions, discharges),
            folded AS (
                INSERT INTO patient_day_counts (site_id, day, admissions, discharges)
                SELECT site_id, day, sum(admissions), sum(discharges) FROM moved GROUP BY site_id, day
                ON CONFLICT (site_id, day) DO UPDATE SET admissions = patient_day_counts.admissions
                    + excluded.admissions, discharges = patient_day_counts.discharges + excluded.discharges)
            SELECT count(*)::int FROM moved
            """, as: Int.self, logger: logger)
        let sites = try await connection.single(
            """
            WITH moved AS (DELETE FROM patient_site_changes RETURNING site_id, admitted, eligible),
            folded AS (
                INSERT INTO patient_site_counts (site_id, admitted, eligible)
                SELECT site_id, sum(admitted), sum(eligible) FROM moved GROUP BY site_id
                ON CONFLICT (site_id) DO UPDATE SET admitted = patient_site_counts.admitted + excluded.admitted,
                    eligible = patient_site_counts.eligible + excluded.eligible)
            SELECT count(*)::int FROM moved
            """, as: Int.self, logger: logger)
        let availability = try await connection.single(
            """
            WITH moved AS (DELETE FROM bed_availability_changes
                           RETURNING site_id, status, held, single_sex, near_station, accessible, oxygen, change),
            folded AS (
                INSERT INTO bed_availability_counts
                    (site_id, status, held, single_sex, near_station, accessible, oxygen, beds)
                SELECT site_id, status, held, single_sex, near_station, accessible, oxygen, sum(change) FROM moved
                GROUP BY site_id, status, held, single_sex, near_station, accessible, oxygen
                ON CONFLICT (site_id, status, held, single_sex, near_station, accessible, oxygen)
                DO UPDATE SET beds = bed_availability_counts.beds + excluded.beds)
            SELECT count(*)::int FROM moved
            """, as: Int.self, logger: logger)
        return beds + days + sites + availability
    }

    /// The ids of a site's admitted patients, their rows locked until the transaction ends (so no
    /// test result lands between reading their tests and writing their flags).
    public func lockAdmitted(siteId: Site.ID) async throws -> [Patient.ID] {
        var out: [Patient.ID] = []
        for try await id in try await connection.query(
            "SELECT id FROM patients WHERE site_id = \(siteId) AND status = 'admitted' ORDER BY id FOR UPDATE",
            logger: logger
        ).decode(Patient.ID.self) {
            out.append(id)
        }
        return out
    }
}

// MARK: Prepared statements

/// Beds per zone and status of one site: the kept counts plus the changes not yet folded in.
struct BedsByZoneStatement: SiteScopedStatement {
    static let sql = """
        SELECT z.id, z.code, z.kind, c.status, coalesce(sum(c.beds), 0)::int
        FROM zones z
        LEFT JOIN (SELECT zone_id, status, beds FROM bed_status_counts WHERE site_id = $1
                   UNION ALL
                   SELECT zone_id, status, change FROM bed_status_changes WHERE site_id = $1) c ON c.zone_id = z.id
        WHERE z.site_id = $1
        GROUP BY z.id, z.code, z.kind, c.status
        ORDER BY z.id
        """
    typealias Row = (Zone.ID, String, ZoneKind, BedStatus?, Int)
    var siteId: Site.ID

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// Admissions and discharges per local day: the kept counts plus the changes not yet folded in.
struct MovementsStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT d::date::text, coalesce(sum(c.admissions), 0)::int, coalesce(sum(c.discharges), 0)::int
        FROM generate_series($2::date, $3::date, interval '1 day') AS d
        LEFT JOIN (SELECT day, admissions, discharges FROM patient_day_counts
                   WHERE site_id = $1 AND day BETWEEN $2::date AND $3::date
                   UNION ALL
                   SELECT day, admissions, discharges FROM patient_day_changes
                   WHERE site_id = $1 AND day BETWEEN $2::date AND $3::date) c ON c.day = d::date
        GROUP BY d ORDER BY d
        """
    typealias Row = (CalendarDate, Int, Int)
    var siteId: Site.ID
    var from: String
    var through: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(siteId)
        bindings.append(from)
        bindings.append(through)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// Admitted and release-eligible patients of a site: the kept counts plus the changes.
struct PatientCountsStatement: SiteScopedStatement {
    static let sql = """
        SELECT coalesce(sum(admitted), 0)::int, coalesce(sum(eligible), 0)::int
        FROM (SELECT admitted, eligible FROM patient_site_counts WHERE site_id = $1
              UNION ALL
              SELECT admitted, eligible FROM patient_site_changes WHERE site_id = $1) c
        """
    typealias Row = (Int, Int)
    var siteId: Site.ID

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// The first release-eligible patients of a site, with their current bed code.
struct EligiblePatientsStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT p.id, p.name, b.code
        FROM patients p
        LEFT JOIN bed_assignments a ON a.site_id = p.site_id AND a.patient_id = p.id AND upper_inf(a.during)
        LEFT JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
        WHERE p.site_id = $1 AND p.status = 'admitted' AND p.release_eligible
        ORDER BY p.id LIMIT $2
        """
    typealias Row = (Patient.ID, String, String?)
    var siteId: Site.ID
    var limit: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(siteId)
        bindings.append(limit)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
