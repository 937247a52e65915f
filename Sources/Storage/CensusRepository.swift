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
                    ZoneBeds(zoneId: zoneId, zoneCode: code, zoneKind: ZoneKind(rawValue: kind)!, beds: BedCounts()))
            }
            if let status = status.flatMap(BedStatus.init) { zones[zones.count - 1].beds.add(status, count) }
        }
        return zones
    }

    /// Admissions and discharges per calendar day in `timeZone`, for the days `from...through`.
    public func movements(siteId: Site.ID, timeZone: String, from: CalendarDate, through: CalendarDate) async throws
        -> [DayMovement]
    {
        var days: [DayMovement] = []
        let statement = MovementsStatement(
            siteId: siteId, timeZone: timeZone, from: from.description, through: through.description)
        for try await (day, admissions, discharges) in try await connection.execute(statement, logger: logger) {
            days.append(DayMovement(date: CalendarDate(day)!, admissions: admissions, discharges: discharges))
        }
        return days
    }

    /// How many patients are admitted, and how many of them the release rule lets go: two
    /// index counts, whatever the site's history.
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

    /// The ids of a site's admitted patients.
    public func admittedIds(siteId: Site.ID) async throws -> [Patient.ID] {
        var out: [Patient.ID] = []
        for try await id in try await connection.query(
            "SELECT id FROM patients WHERE site_id = \(siteId) AND status = 'admitted' ORDER BY id", logger: logger
        ).decode(Patient.ID.self) {
            out.append(id)
        }
        return out
    }
}

// MARK: Prepared statements

/// Beds per zone and status of one site.
struct BedsByZoneStatement: SiteScopedStatement {
    static let sql = """
        SELECT z.id, z.code, z.kind, b.status, count(b.id)::int
        FROM zones z LEFT JOIN beds b ON b.site_id = z.site_id AND b.zone_id = z.id
        WHERE z.site_id = $1
        GROUP BY z.id, z.code, z.kind, b.status
        ORDER BY z.id
        """
    typealias Row = (Zone.ID, String, String, String?, Int)
    var siteId: Site.ID

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// Admissions and discharges per calendar day in a time zone.
struct MovementsStatement: PostgresPreparedStatement {
    static let sql = """
        WITH days AS (
            SELECT d::date AS day,
                   d::timestamp AT TIME ZONE $2 AS starts,
                   (d + interval '1 day')::timestamp AT TIME ZONE $2 AS ends
            FROM generate_series($3::date, $4::date, interval '1 day') AS d
        )
        SELECT days.day::text,
               (SELECT count(*)::int FROM patients p WHERE p.site_id = $1
                    AND p.admitted_at >= days.starts AND p.admitted_at < days.ends),
               (SELECT count(*)::int FROM patients p WHERE p.site_id = $1
                    AND p.discharged_at >= days.starts AND p.discharged_at < days.ends)
        FROM days ORDER BY days.day
        """
    typealias Row = (String, Int, Int)
    var siteId: Site.ID
    var timeZone: String
    var from: String
    var through: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(siteId)
        bindings.append(timeZone)
        bindings.append(from)
        bindings.append(through)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// Admitted and release-eligible patients of a site, counted from their indexes.
struct PatientCountsStatement: SiteScopedStatement {
    static let sql = """
        SELECT (SELECT count(*)::int FROM patients WHERE site_id = $1 AND status = 'admitted'),
               (SELECT count(*)::int FROM patients WHERE site_id = $1 AND status = 'admitted' AND release_eligible)
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
