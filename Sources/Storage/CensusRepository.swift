import Domain
import Foundation
import Logging
import PostgresNIO

/// The aggregate queries behind a site's census.
public struct CensusRepository: Sendable {
    private let connection: PostgresConnection
    let logger: Logger

    init(_ connection: PostgresConnection, logger: Logger) {
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

    /// Admitted patients with their current bed code, in id order.
    public func admitted(siteId: Site.ID) async throws -> [EligiblePatient] {
        var out: [EligiblePatient] = []
        for try await (id, name, bed) in try await connection.execute(
            AdmittedPatientsStatement(siteId: siteId), logger: logger)
        {
            out.append(EligiblePatient(patientId: id, name: name, bedCode: bed))
        }
        return out
    }
}
