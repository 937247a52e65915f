import Domain
import Foundation
import Logging
import PostgresNIO

/// What committees are told of the buses, and their acknowledgements.
public struct CommitteeNoticeRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// A notice for each committee with people on these buses (those matched to a record).
    public func create(siteId: Site.ID, busIds: [ReleaseBus.ID]) async throws {
        try await connection.query(
            """
            INSERT INTO committee_notices (site_id, bus_id, committee_id)
            SELECT DISTINCT site_id, bus_id, committee_id FROM release_bus_passengers
            WHERE site_id = \(siteId) AND bus_id = ANY(\(busIds.map(\.rawValue))::bigint[]) AND committee_id IS NOT NULL
            ON CONFLICT (site_id, bus_id, committee_id) DO NOTHING
            """, logger: logger)
    }

    /// The site's notices, latest first (at most `limit`), the one named, or those of the buses
    /// named, each with the arrivals it tells of.
    public func notices(
        siteId: Site.ID, id: CommitteeNotice.ID? = nil, busIds: [ReleaseBus.ID]? = nil, limit: Int = 500
    ) async throws -> [CommitteeNotice] {
        let rows = try await connection.query(
            """
            SELECT n.id, s.name, s.time_zone, c.id, c.name, b.id, b.destination, b.departs_at, b.departed_at, n.sent_at,
                   n.acknowledged_at, n.acknowledged_by
            FROM committee_notices n
            JOIN sites s ON s.id = n.site_id
            JOIN residential_committees c ON c.id = n.committee_id
            JOIN release_buses b ON b.site_id = n.site_id AND b.id = n.bus_id
            WHERE n.site_id = \(siteId) AND (\(id)::bigint IS NULL OR n.id = \(id))
              AND (\(busIds == nil) OR n.bus_id = ANY(\((busIds ?? []).map(\.rawValue))::bigint[]))
            ORDER BY n.sent_at DESC, n.id DESC
            LIMIT \(limit)
            """, logger: logger)
        var notices: [CommitteeNotice] = []
        var keys: [(bus: Int64, committee: Int64)] = []
        var zone = TimeZone.current
        for try await r in rows.decode(
            (Int64, String, String, Int64, String, Int64, String, Date, Date?, Date, Date?, String?).self)
        {
            zone = TimeZone(identifier: r.2) ?? zone
            keys.append((r.5, r.3))
            let timeZone = zone
            notices.append(
                CommitteeNotice(
                    id: .init(r.0), siteId: siteId, siteName: r.1, committeeId: .init(r.3), committee: r.4,
                    busId: .init(r.5), destination: r.6,
                    departsAt: r.7, departedAt: r.8, sentAt: r.9, acknowledgedAt: r.10, acknowledgedBy: r.11,
                    arrivals: [], timeZone: timeZone))
        }
        guard !notices.isEmpty else { return [] }
        let passengers = try await connection.query(
            """
            SELECT x.bus_id, x.committee_id, p.id, p.name, x.committee, p.household, x.seat_count, p.discharged_at
            FROM release_bus_passengers x JOIN patients p ON p.site_id = x.site_id AND p.id = x.patient_id
            WHERE x.site_id = \(siteId) AND x.bus_id = ANY(\(keys.map(\.bus))::bigint[])
            ORDER BY p.household NULLS LAST, p.id
            """, logger: logger)
        var byKey: [String: [ReleaseBus.Passenger]] = [:]
        for try await r in passengers.decode((Int64, Int64?, Patient.ID, String, String?, String?, Int, Date).self) {
            guard let committee = r.1 else { continue }
            byKey["\(r.0)/\(committee)", default: []].append(
                ReleaseBus.Passenger(
                    patientId: r.2, name: r.3, committee: r.4, household: r.5, seats: r.6, releasedAt: r.7,
                    monitoringEndsOn: ReleaseBus.monitoringEnds(releasedAt: r.7, in: zone)))
        }
        for (index, key) in keys.enumerated() { notices[index].arrivals = byKey["\(key.bus)/\(key.committee)"] ?? [] }
        return notices
    }

    /// Records the committee's acknowledgement; the first stands. False when it stood already.
    public func acknowledge(siteId: Site.ID, id: CommitteeNotice.ID, by name: String) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE committee_notices SET acknowledged_at = now(), acknowledged_by = \(name)
            WHERE site_id = \(siteId) AND id = \(id) AND acknowledged_at IS NULL RETURNING id
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }

    /// How many of the site's notices wait past `hours` for an acknowledgement.
    public func overdueCount(siteId: Site.ID, hours: Int) async throws -> Int {
        try await unanswered(siteIds: [siteId], hours: hours)[siteId]?.overdue ?? 0
    }

    /// Per site, the notices not yet acknowledged, and of those the ones waiting past `hours`
    /// (sites with none are left out).
    public func unanswered(siteIds: [Site.ID], hours: Int) async throws -> [Site.ID: (waiting: Int, overdue: Int)] {
        let rows = try await connection.query(
            """
            SELECT site_id, count(*)::int,
                   count(*) FILTER (WHERE sent_at < now() - make_interval(hours => \(hours)::int))::int
            FROM committee_notices
            WHERE site_id = ANY(\(siteIds.map(\.rawValue))::bigint[]) AND acknowledged_at IS NULL
            GROUP BY site_id
            """, logger: logger)
        var out: [Site.ID: (waiting: Int, overdue: Int)] = [:]
        for try await (site, waiting, overdue) in rows.decode((Site.ID, Int, Int).self) {
            out[site] = (waiting, overdue)
        }
        return out
    }
}
