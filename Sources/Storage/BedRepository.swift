import Domain
import Logging
import PostgresNIO

/// Beds and their occupancy flag in SQL.
public struct BedRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    static let columns = "id, site_id, zone_id, code, status, version"

    /// Inserts beds with the given codes in one zone, all or none.
    public func insert(siteId: Site.ID, zoneId: Zone.ID, codes: [String]) async throws -> [Bed] {
        try await beds(
            connection.query(
                """
                INSERT INTO beds (site_id, zone_id, code)
                SELECT \(siteId), \(zoneId), code FROM unnest(\(codes)::text[]) WITH ORDINALITY AS c(code, n) ORDER BY n
                RETURNING \(unescaped: Self.columns)
                """, logger: logger))
    }

    /// One bed; with `lock`, the row stays locked until the transaction ends.
    public func get(siteId: Site.ID, id: Bed.ID, lock: Bool = false) async throws -> Bed? {
        try await beds(
            connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM beds WHERE site_id = \(siteId) AND id = \(id)
                \(unescaped: lock ? "FOR UPDATE" : "")
                """, logger: logger)
        ).first
    }

    /// Beds of a site in id order, optionally of one zone or status.
    public func list(siteId: Site.ID, zoneId: Zone.ID?, status: BedStatus?, page: PageRequest) async throws -> [Bed] {
        try await beds(
            connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM beds
                WHERE site_id = \(siteId) AND id > \(page.afterId ?? 0)
                  AND (\(zoneId)::bigint IS NULL OR zone_id = \(zoneId)::bigint)
                  AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue)::text)
                ORDER BY id LIMIT \(page.limit + 1)
                """, logger: logger))
    }

    /// Sets a bed's status and bumps its version.
    public func setStatus(siteId: Site.ID, id: Bed.ID, to status: BedStatus) async throws -> Bed {
        try await beds(
            connection.query(
                """
                UPDATE beds SET status = \(status.rawValue), version = version + 1, updated_at = now()
                WHERE site_id = \(siteId) AND id = \(id)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
        ).first!
    }

    /// Marks a free bed occupied. Returns nil when the bed is missing or not free; a concurrent
    /// admission to the same bed waits on the row lock and then sees it occupied.
    public func occupyIfFree(siteId: Site.ID, id: Bed.ID) async throws -> Bed? {
        try await beds(
            connection.query(
                """
                UPDATE beds SET status = 'occupied', version = version + 1, updated_at = now()
                WHERE site_id = \(siteId) AND id = \(id) AND status = 'free'
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
        ).first
    }

    fileprivate func beds(_ rows: PostgresRowSequence) async throws -> [Bed] {
        var out: [Bed] = []
        for try await r in rows.decode((Bed.ID, Site.ID, Zone.ID, String, String, Int).self) {
            out.append(
                Bed(id: r.0, siteId: r.1, zoneId: r.2, code: r.3, status: BedStatus(rawValue: r.4)!, version: r.5))
        }
        return out
    }
}

extension BedRepository {
    /// One bed by its code.
    public func get(siteId: Site.ID, code: String) async throws -> Bed? {
        try await beds(
            connection.query(
                "SELECT \(unescaped: Self.columns) FROM beds WHERE site_id = \(siteId) AND code = \(code)",
                logger: logger)
        ).first
    }
}
