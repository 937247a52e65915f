import Domain
import Foundation
import Logging
import PostgresNIO

/// Buses home and their passengers.
public struct BusRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Holds the site's bus planning until the transaction ends, so two clerks planning at once
    /// plan one after the other and nobody gets two seats.
    public func lockPlanning(siteId: Site.ID) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtextextended('release-buses', \(siteId)))", logger: logger)
    }

    /// Who was released as recovered from the site in the last `hours` hours and has no seat yet.
    public func homeward(siteId: Site.ID, hours: Int) async throws -> [Homeward] {
        let rows = try await connection.query(
            """
            SELECT p.id, p.name, c.id, coalesce(c.name, p.committee), c.street, p.household, p.needs_carer
            FROM patients p
            LEFT JOIN residential_committees c ON c.id = p.committee_id
            WHERE p.site_id = \(siteId) AND p.status = 'discharged' AND p.discharge_reason = 'recovered'
              AND p.discharged_at > now() - make_interval(hours => \(hours)::int)
              AND NOT EXISTS (SELECT 1 FROM release_bus_passengers x WHERE x.site_id = p.site_id AND x.patient_id = p.id)
            ORDER BY p.id
            """, logger: logger)
        var out: [Homeward] = []
        for try await r in rows.decode((Patient.ID, String, Int64?, String?, String?, String?, Bool).self) {
            out.append(
                Homeward(
                    patientId: r.0, name: r.1, committeeId: r.2.map { ResidentialCommittee.ID(rawValue: $0) },
                    committee: r.3,
                    street: r.4, household: r.5, needsCarer: r.6))
        }
        return out
    }

    /// Writes the planned buses and their passengers (0 and "" stand for no committee: arrays
    /// bind without nulls); returns the buses' ids in plan order.
    public func insert(
        siteId: Site.ID, _ plan: [PlannedBus], seats: Int, departsAt: Date, plannedBy: String
    ) async throws -> [ReleaseBus.ID] {
        var ids: [ReleaseBus.ID] = []
        for bus in plan {
            let rows = try await connection.query(
                """
                INSERT INTO release_buses (site_id, destination, seats, seats_taken, departs_at, planned_by)
                VALUES (\(siteId), \(bus.destination), \(seats), \(bus.seatsTaken), \(departsAt), \(plannedBy))
                RETURNING id
                """, logger: logger)
            for try await id in rows.decode(Int64.self) { ids.append(ReleaseBus.ID(id)) }
        }
        let seated = zip(ids, plan).flatMap { id, bus in bus.passengers.map { (id, $0) } }
        try await connection.query(
            """
            INSERT INTO release_bus_passengers (site_id, bus_id, patient_id, seat_count, committee_id, committee)
            SELECT \(siteId), u.bus, u.patient, u.seats, nullif(u.committee_id, 0), nullif(u.committee, '')
            FROM unnest(\(seated.map { $0.0.rawValue })::bigint[], \(seated.map { $0.1.patientId.rawValue })::bigint[],
                        \(seated.map { $0.1.seats })::int[], \(seated.map { $0.1.committeeId?.rawValue ?? 0 })::bigint[],
                        \(seated.map { $0.1.committee ?? "" })::text[]) AS u (bus, patient, seats, committee_id, committee)
            """, logger: logger)
        return ids
    }

    /// The site's buses, latest departure first (at most `limit`), or the ones named.
    public func buses(siteId: Site.ID, ids: [ReleaseBus.ID]? = nil, limit: Int = 500) async throws -> [ReleaseBus] {
        let wanted = ids.map { $0.map(\.rawValue) }
        let rows = try await connection.query(
            """
            SELECT b.id, b.destination, b.seats, b.seats_taken, b.departs_at, b.departed_at, b.planned_by, s.time_zone
            FROM release_buses b JOIN sites s ON s.id = b.site_id
            WHERE b.site_id = \(siteId) AND (\(wanted)::bigint[] IS NULL OR b.id = ANY(\(wanted)::bigint[]))
            ORDER BY b.departs_at DESC, b.id
            LIMIT \(limit)
            """, logger: logger)
        var buses: [ReleaseBus] = []
        var zone = TimeZone.current
        for try await r in rows.decode((Int64, String, Int, Int, Date, Date?, String, String).self) {
            zone = TimeZone(identifier: r.7) ?? zone
            buses.append(
                ReleaseBus(
                    id: .init(r.0), siteId: siteId, destination: r.1, seats: r.2, seatsTaken: r.3, departsAt: r.4,
                    departedAt: r.5, plannedBy: r.6, passengers: []))
        }
        guard !buses.isEmpty else { return [] }
        let passengerRows = try await connection.query(
            """
            SELECT x.bus_id, p.id, p.name, x.committee, p.household, x.seat_count, p.discharged_at
            FROM release_bus_passengers x JOIN patients p ON p.site_id = x.site_id AND p.id = x.patient_id
            WHERE x.site_id = \(siteId) AND x.bus_id = ANY(\(buses.map(\.id.rawValue))::bigint[])
            ORDER BY x.bus_id, x.committee NULLS LAST, p.household NULLS LAST, p.id
            """, logger: logger)
        var index: [Int64: Int] = [:]
        for (at, bus) in buses.enumerated() { index[bus.id.rawValue] = at }
        for try await r in passengerRows.decode((Int64, Patient.ID, String, String?, String?, Int, Date).self) {
            guard let at = index[r.0] else { continue }
            buses[at].passengers.append(
                ReleaseBus.Passenger(
                    patientId: r.1, name: r.2, committee: r.3, household: r.4, seats: r.5, releasedAt: r.6,
                    monitoringEndsOn: ReleaseBus.monitoringEnds(releasedAt: r.6, in: zone)))
        }
        return buses
    }

    /// Records the bus's departure now; the first departure stands. Nil when there is no such bus.
    public func depart(siteId: Site.ID, busId: ReleaseBus.ID) async throws -> Bool? {
        let rows = try await connection.query(
            """
            WITH target AS (SELECT id, departed_at FROM release_buses WHERE site_id = \(siteId) AND id = \(busId) FOR UPDATE),
            gone AS (
                UPDATE release_buses b SET departed_at = now() FROM target
                WHERE b.site_id = \(siteId) AND b.id = target.id AND target.departed_at IS NULL RETURNING b.id)
            SELECT EXISTS (SELECT 1 FROM gone) FROM target
            """, logger: logger)
        for try await departedNow in rows.decode(Bool.self) { return departedNow }
        return nil
    }
}
