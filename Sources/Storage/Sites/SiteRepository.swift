import Domain
import Foundation
import Logging
import PostgresNIO

/// Sites, zones and their rows in SQL.
public struct SiteRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    static let columns =
        "id, code, name, district, address, kind, bed_capacity, time_zone, opened_on::text, closed_on::text, status, version"

    /// Inserts a site and returns it as stored.
    public func insert(_ d: SiteDraft) async throws -> Site {
        try await one(
            connection.query(
                """
                INSERT INTO sites (code, name, district, address, kind, bed_capacity, time_zone, opened_on, closed_on,
                    status)
                VALUES (\(d.code), \(d.name), \(d.district), \(d.address), \(d.kind.rawValue), \(d.bedCapacity),
                    \(d.timeZone),
                        \(d.openedOn?.description)::date, \(d.closedOn?.description)::date, \(d.status.rawValue))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger))!
    }

    /// The site with this id; with `lock`, the row stays locked until the transaction ends.
    public func get(_ id: Site.ID, lock: Bool = false) async throws -> Site? {
        if lock {
            return try await one(
                connection.query(
                    "SELECT \(unescaped: Self.columns) FROM sites WHERE id = \(id) FOR UPDATE", logger: logger))
        }
        for try await row in try await connection.execute(SiteStatement(siteId: id), logger: logger) {
            return try Self.site(row)
        }
        return nil
    }

    /// Every site's id, in order.
    public func ids() async throws -> [Site.ID] {
        var out: [Site.ID] = []
        for try await id in try await connection.query("SELECT id FROM sites ORDER BY id", logger: logger)
            .decode(Site.ID.self)
        {
            out.append(id)
        }
        return out
    }

    /// The site with this code.
    public func get(code: String) async throws -> Site? {
        try await one(
            connection.query("SELECT \(unescaped: Self.columns) FROM sites WHERE code = \(code)", logger: logger))
    }

    /// Replaces the editable fields and bumps the version.
    public func update(_ id: Site.ID, _ d: SiteDraft) async throws -> Site {
        try await one(
            connection.query(
                """
                UPDATE sites SET code = \(d.code), name = \(d.name), district = \(d.district), address = \(d.address),
                    kind = \(d.kind.rawValue), bed_capacity = \(d.bedCapacity), time_zone = \(d.timeZone),
                    opened_on = \(d.openedOn?.description)::date, closed_on = \(d.closedOn?.description)::date,
                    status = \(d.status.rawValue), version = version + 1, updated_at = now()
                WHERE id = \(id)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger))!
    }

    /// Sites in id order after the cursor, limited to `visible` unless that is nil (admin).
    public func list(visible: [Site.ID]?, page: PageRequest) async throws -> [Site] {
        try await all(
            connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM sites
                WHERE (\(visible)::bigint[] IS NULL OR id = ANY(\(visible)::bigint[])) AND id > \(page.afterId ?? 0)
                ORDER BY id LIMIT \(page.limit + 1)
                """, logger: logger))
    }

    private func all(_ rows: PostgresRowSequence) async throws -> [Site] {
        var sites: [Site] = []
        for try await row in rows { sites.append(try Self.site(row)) }
        return sites
    }

    /// A site from a row of `columns`.
    static func site(_ row: PostgresRow) throws -> Site {
        let r = try row.decode(
            (
                Site.ID, String, String, String, String, SiteKind, Int, String, CalendarDate?, CalendarDate?,
                SiteStatus, Int
            )
            .self)
        // Validated when written; a zone the system's time zone data no longer knows is named, not guessed.
        guard let zone = TimeZone(identifier: r.7) else {
            throw UnreadableStoredValue(column: "sites.time_zone", value: r.7)
        }
        return Site(
            id: r.0, code: r.1, name: r.2, district: r.3, address: r.4, kind: r.5,
            bedCapacity: r.6, timeZone: zone, openedOn: r.8, closedOn: r.9, status: r.10,
            version: r.11)
    }

    private func one(_ rows: PostgresRowSequence) async throws -> Site? { try await all(rows).first }

    // MARK: Zones

    static let zoneColumns = "id, site_id, code, name, kind"

    /// Inserts a zone of `siteId`.
    public func insertZone(siteId: Site.ID, _ d: ZoneDraft) async throws -> Zone {
        try await zones(
            connection.query(
                """
                INSERT INTO zones (site_id, code, name, kind) VALUES (\(siteId), \(d.code), \(d.name),
                    \(d.kind.rawValue))
                RETURNING \(unescaped: Self.zoneColumns)
                """, logger: logger)
        ).first!
    }

    /// Every zone of a site, in creation order.
    public func zones(siteId: Site.ID) async throws -> [Zone] {
        try await zones(
            connection.query(
                "SELECT \(unescaped: Self.zoneColumns) FROM zones WHERE site_id = \(siteId) ORDER BY id", logger: logger
            ))
    }

    /// One zone of a site.
    public func zone(siteId: Site.ID, id: Zone.ID) async throws -> Zone? {
        try await zones(
            connection.query(
                "SELECT \(unescaped: Self.zoneColumns) FROM zones WHERE site_id = \(siteId) AND id = \(id)",
                logger: logger)
        ).first
    }

    private func zones(_ rows: PostgresRowSequence) async throws -> [Zone] {
        var out: [Zone] = []
        for try await r in rows.decode((Zone.ID, Site.ID, String, String, ZoneKind).self) {
            out.append(Zone(id: r.0, siteId: r.1, code: r.2, name: r.3, kind: r.4))
        }
        return out
    }
}

/// A stored value this build cannot read, such as a time zone missing from the system's data.
public struct UnreadableStoredValue: Error, CustomStringConvertible {
    public let column: String
    public let value: String
    public var description: String { "\(column) holds \(value), which this system cannot read" }
}

/// One site by id, read on nearly every request that names a site.
struct SiteStatement: SiteScopedStatement {
    static let sql = "SELECT \(SiteRepository.columns) FROM sites WHERE id = $1"
    typealias Row = PostgresRow
    var siteId: Site.ID

    func decodeRow(_ row: PostgresRow) throws -> Row { row }
}
