import Domain
import PostgresNIO

/// What a site's stock alerts are worked out from: its balances, levels and shelves.
public struct SiteShelves: Sendable {
    public var stock: [LotStock] = []
    public var levels: [StockLevel] = []
    public var locations: [StockLocation] = []

    public init(stock: [LotStock] = [], levels: [StockLevel] = [], locations: [StockLocation] = []) {
        self.stock = stock
        self.levels = levels
        self.locations = locations
    }
}

extension StockRepository {
    /// The shelves of several sites in three reads, for a view of many sites at once (the
    /// district board), where one read per site and kind would cost a round trip each.
    public func shelves(siteIds: [Site.ID]) async throws -> [Site.ID: SiteShelves] {
        var out = Dictionary(uniqueKeysWithValues: siteIds.map { ($0, SiteShelves()) })
        let ids = siteIds.map(\.rawValue)
        for try await r in try await connection.query(
            """
            SELECT b.site_id, l.id, l.lot_number, l.medication_id, b.location_id, l.expires_on::text, b.quantity
            FROM stock_balances b JOIN stock_lots l ON l.site_id = b.site_id AND l.id = b.lot_id
            WHERE b.site_id = ANY(\(ids)::bigint[])
            ORDER BY b.site_id, l.medication_id, l.expires_on, l.id, b.location_id
            """, logger: logger
        ).decode((Site.ID, Int64, String, Medication.ID, StockLocation.ID, CalendarDate, Int).self) {
            out[r.0, default: SiteShelves()].stock.append(
                LotStock(
                    lotId: r.1, lotNumber: r.2, medicationId: r.3, locationId: r.4, expiresOn: r.5, quantity: r.6))
        }
        for try await (site, med, minimum, reorder) in try await connection.query(
            """
            SELECT site_id, medication_id, minimum, reorder FROM stock_levels
            WHERE site_id = ANY(\(ids)::bigint[]) ORDER BY site_id, medication_id
            """, logger: logger
        ).decode((Site.ID, Medication.ID, Int, Int).self) {
            out[site, default: SiteShelves()].levels.append(
                StockLevel(medicationId: med, minimum: minimum, reorder: reorder))
        }
        for try await r in try await connection.query(
            """
            SELECT id, site_id, code, name, kind, zone_id FROM stock_locations
            WHERE site_id = ANY(\(ids)::bigint[]) ORDER BY site_id, id
            """, logger: logger
        ).decode(LocationsStatement.Row.self) {
            out[r.1, default: SiteShelves()].locations.append(Self.location(r))
        }
        return out
    }
}
