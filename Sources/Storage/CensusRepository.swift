import Domain
import Foundation
import Logging
import PostgresNIO

/// The aggregate queries behind a site's census.
public struct CensusRepository: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    public init(_ connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Beds per zone and status; zones without beds are listed with zero counts.
    public func bedsByZone(siteId: Int64) async throws -> [ZoneBeds] {
        var zones: [ZoneBeds] = []
        for try await (zoneId, code, kind, status, count) in try await connection.query("""
            SELECT z.id, z.code, z.kind, b.status, count(b.id)::int
            FROM zones z LEFT JOIN beds b ON b.site_id = z.site_id AND b.zone_id = z.id
            WHERE z.site_id = \(siteId)
            GROUP BY z.id, z.code, z.kind, b.status
            ORDER BY z.id
            """, logger: logger).decode((Int64, String, String, String?, Int).self) {
            if zones.last?.zoneId != zoneId {
                zones.append(ZoneBeds(zoneId: zoneId, zoneCode: code, zoneKind: ZoneKind(rawValue: kind)!, beds: BedCounts()))
            }
            if let status = status.flatMap(BedStatus.init) { zones[zones.count - 1].beds.add(status, count) }
        }
        return zones
    }

    /// Admissions and discharges per calendar day in `timeZone`, for the days `from...through`.
    public func movements(siteId: Int64, timeZone: String, from: CalendarDate, through: CalendarDate) async throws -> [DayMovement] {
        var days: [DayMovement] = []
        for try await (day, admissions, discharges) in try await connection.query("""
            WITH days AS (
                SELECT d::date AS day,
                       d::timestamp AT TIME ZONE \(timeZone) AS starts,
                       (d + interval '1 day')::timestamp AT TIME ZONE \(timeZone) AS ends
                FROM generate_series(\(from.description)::date, \(through.description)::date, interval '1 day') AS d
            )
            SELECT days.day::text,
                   (SELECT count(*)::int FROM patients p WHERE p.site_id = \(siteId)
                        AND p.admitted_at >= days.starts AND p.admitted_at < days.ends),
                   (SELECT count(*)::int FROM patients p WHERE p.site_id = \(siteId)
                        AND p.discharged_at >= days.starts AND p.discharged_at < days.ends)
            FROM days ORDER BY days.day
            """, logger: logger).decode((String, Int, Int).self) {
            days.append(DayMovement(date: CalendarDate(day)!, admissions: admissions, discharges: discharges))
        }
        return days
    }

    /// Admitted patients with their current bed code, in id order.
    public func admitted(siteId: Int64) async throws -> [EligiblePatient] {
        var out: [EligiblePatient] = []
        for try await (id, name, bed) in try await connection.query("""
            SELECT p.id, p.name, b.code
            FROM patients p
            LEFT JOIN bed_assignments a ON a.site_id = p.site_id AND a.patient_id = p.id AND upper_inf(a.during)
            LEFT JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
            WHERE p.site_id = \(siteId) AND p.status = 'admitted'
            ORDER BY p.id
            """, logger: logger).decode((Int64, String, String?).self) {
            out.append(EligiblePatient(patientId: id, name: name, bedCode: bed))
        }
        return out
    }
}
