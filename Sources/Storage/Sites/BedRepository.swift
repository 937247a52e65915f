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

    static let columns =
        "id, site_id, zone_id, code, status, room, bay, near_station, accessible, oxygen, single_sex, version"

    /// Inserts beds with the given codes and attributes in one zone, all or none. A bed added to
    /// a room or bay kept for one sex is kept for it too unless `attributes` says otherwise.
    public func insert(siteId: Site.ID, zoneId: Zone.ID, codes: [String], attributes a: BedAttributes = .none)
        async throws
        -> [Bed]
    {
        try await beds(
            connection.query(
                """
                INSERT INTO beds (site_id, zone_id, code, room, bay, near_station, accessible, oxygen, single_sex)
                SELECT \(siteId), \(zoneId), code, \(a.room), \(a.bay), \(a.nearStation), \(a.accessible),
                       \(a.oxygen),
                       coalesce(\(a.singleSex?.rawValue)::text,
                                (SELECT single_sex FROM beds WHERE site_id = \(siteId) AND place = \(a.place) LIMIT 1))
                FROM unnest(\(codes)::text[]) WITH ORDINALITY AS c(code, n) ORDER BY n
                RETURNING \(unescaped: Self.columns)
                """, logger: logger))
    }

    /// Sets one bed's attributes. The sex mark is the room's or bay's: every bed of the place
    /// the bed ends up in takes it, in the same statement. Returns every bed changed, this one first.
    public func setAttributes(siteId: Site.ID, id: Bed.ID, _ a: BedAttributes) async throws -> [Bed] {
        try await beds(
            connection.query(
                """
                UPDATE beds SET
                    room = CASE WHEN id = \(id) THEN \(a.room) ELSE room END,
                    bay = CASE WHEN id = \(id) THEN \(a.bay) ELSE bay END,
                    near_station = CASE WHEN id = \(id) THEN \(a.nearStation) ELSE near_station END,
                    accessible = CASE WHEN id = \(id) THEN \(a.accessible) ELSE accessible END,
                    oxygen = CASE WHEN id = \(id) THEN \(a.oxygen) ELSE oxygen END,
                    single_sex = \(a.singleSex?.rawValue),
                    version = version + 1, updated_at = now()
                WHERE site_id = \(siteId)
                  AND (id = \(id) OR (place = \(a.place) AND single_sex IS DISTINCT FROM \(a.singleSex?.rawValue)::text))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
        ).sorted { ($0.id == id ? 0 : 1, $0.id.rawValue) < ($1.id == id ? 0 : 1, $1.id.rawValue) }
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

    /// Marks a free bed occupied by a patient of `sex`. Returns nil when the bed is missing, not
    /// free or kept for the other sex; a concurrent admission to the same bed waits on the row
    /// lock and then sees it occupied.
    public func occupyIfFree(siteId: Site.ID, id: Bed.ID, for sex: Sex) async throws -> Bed? {
        try await beds(
            connection.query(
                """
                UPDATE beds SET status = 'occupied', version = version + 1, updated_at = now()
                WHERE site_id = \(siteId) AND id = \(id) AND status = 'free'
                  AND (single_sex IS NULL OR single_sex = \(sex.rawValue))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
        ).first
    }

    fileprivate func beds(_ rows: PostgresRowSequence) async throws -> [Bed] {
        var out: [Bed] = []
        for try await r in rows.decode(
            (Bed.ID, Site.ID, Zone.ID, String, BedStatus, String?, String?, Bool, Bool, Bool, Sex?, Int).self)
        {
            let attributes = BedAttributes(
                room: r.5, bay: r.6, nearStation: r.7, accessible: r.8, oxygen: r.9,
                singleSex: r.10)
            out.append(
                Bed(
                    id: r.0, siteId: r.1, zoneId: r.2, code: r.3, status: r.4,
                    attributes: attributes, version: r.11))
        }
        return out
    }
}

extension BedRepository {
    /// The zone and sex mark of a room or bay (`BedAttributes.place`), nil when it has no beds yet.
    public func place(siteId: Site.ID, _ place: String) async throws -> (zoneId: Zone.ID, singleSex: Sex?)? {
        let rows = try await connection.query(
            "SELECT zone_id, single_sex FROM beds WHERE site_id = \(siteId) AND place = \(place) LIMIT 1",
            logger: logger)
        for try await (zoneId, sex) in rows.decode((Zone.ID, Sex?).self) {
            return (zoneId, sex)
        }
        return nil
    }

    /// One bed by its code.
    public func get(siteId: Site.ID, code: String) async throws -> Bed? {
        try await beds(
            connection.query(
                "SELECT \(unescaped: Self.columns) FROM beds WHERE site_id = \(siteId) AND code = \(code)",
                logger: logger)
        ).first
    }
}
