import Domain
import Foundation
import Logging
import PostgresNIO

/// The numbers of a site's daily report, in SQL.
public struct ReportRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Admissions, discharges by reason, and people with a published shift, in `day`.
    public func movements(siteId: Site.ID, day: Range<Date>) async throws -> (
        admitted: Int, discharged: DailyReport.Discharges, staffOnDuty: Int
    ) {
        // An aggregate without GROUP BY answers one row, discharges or none.
        let rows = try await connection.query(
            """
            SELECT (SELECT count(*) FROM patients
                    WHERE site_id = \(siteId) AND admitted_at >= \(day.lowerBound) AND admitted_at < \(day.upperBound))::int,
                   (SELECT count(DISTINCT staff_id) FROM shift_assignments
                    WHERE site_id = \(siteId) AND state = 'published'
                      AND during && tstzrange(\(day.lowerBound), \(day.upperBound)))::int,
                   count(*) FILTER (WHERE discharge_reason = 'recovered')::int,
                   count(*) FILTER (WHERE discharge_reason = 'transferred')::int,
                   count(*) FILTER (WHERE discharge_reason = 'other')::int
            FROM patients
            WHERE site_id = \(siteId) AND discharged_at >= \(day.lowerBound) AND discharged_at < \(day.upperBound)
            """, logger: logger)
        for try await (admitted, staff, recovered, transferred, other) in rows.decode((Int, Int, Int, Int, Int).self) {
            return (
                admitted, DailyReport.Discharges(recovered: recovered, transferred: transferred, other: other), staff
            )
        }
        throw PostgresSingleRowMissing(query: "ReportRepository.movements")
    }

    /// Patients on site at `instant`, by severity as last recorded. `now` reads today's from the
    /// admitted patients' index rather than from the whole history.
    public func inCare(siteId: Site.ID, at instant: Date, now: Bool) async throws -> DailyReport.InCare {
        let rows =
            now
            ? try await connection.query(
                """
                SELECT severity, count(*)::int FROM patients WHERE site_id = \(siteId) AND status = 'admitted'
                GROUP BY severity
                """, logger: logger)
            : try await connection.query(
                """
                SELECT severity, count(*)::int FROM patients
                WHERE site_id = \(siteId) AND admitted_at < \(instant) AND (discharged_at IS NULL OR discharged_at >= \(instant))
                GROUP BY severity
                """, logger: logger)
        var counts: [Severity: Int] = [:]
        for try await (severity, n) in rows.decode((Severity, Int).self) { counts[severity] = n }
        return DailyReport.InCare(bySeverity: counts)
    }
}
