import Domain
import Foundation
import Logging
import PostgresNIO

/// The catalogue, locations, lots, balances, levels and the stock ledger in SQL.
public struct StockRepository: Sendable {
    let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    // MARK: Catalogue and locations

    static let medicationColumns = "id, code, generic_name, strength, form, unit_of_issue, pack_size"

    public func insertMedication(_ d: MedicationDraft) async throws -> Medication {
        try await medications(
            connection.query(
                """
                INSERT INTO medications (code, generic_name, strength, form, unit_of_issue, pack_size)
                VALUES (\(d.code), \(d.genericName), \(d.strength), \(d.form), \(d.unitOfIssue), \(d.packSize))
                RETURNING \(unescaped: Self.medicationColumns)
                """, logger: logger)
        ).first!
    }

    public func medications() async throws -> [Medication] {
        try await medications(
            connection.query(
                "SELECT \(unescaped: Self.medicationColumns) FROM medications ORDER BY code", logger: logger))
    }

    public func medication(code: String) async throws -> Medication? {
        try await medications(
            connection.query(
                "SELECT \(unescaped: Self.medicationColumns) FROM medications WHERE code = \(code)", logger: logger)
        ).first
    }

    private func medications(_ rows: PostgresRowSequence) async throws -> [Medication] {
        var out: [Medication] = []
        for try await r in rows.decode((Medication.ID, String, String, String, String, String, Int).self) {
            out.append(
                Medication(
                    id: r.0, code: r.1, genericName: r.2, strength: r.3, form: r.4, unitOfIssue: r.5, packSize: r.6))
        }
        return out
    }

    public func insertLocation(siteId: Site.ID, code: String, name: String, kind: StockLocationKind, zoneId: Zone.ID?)
        async throws -> StockLocation
    {
        try await locations(
            connection.query(
                """
                INSERT INTO stock_locations (site_id, code, name, kind, zone_id) VALUES (\(siteId), \(code), \(name),
                    \(kind.rawValue), \(zoneId))
                RETURNING id, site_id, code, name, kind, zone_id
                """, logger: logger)
        ).first!
    }

    public func locations(siteId: Site.ID) async throws -> [StockLocation] {
        var out: [StockLocation] = []
        for try await r in try await connection.execute(LocationsStatement(siteId: siteId), logger: logger) {
            out.append(Self.location(r))
        }
        return out
    }

    private func locations(_ rows: PostgresRowSequence) async throws -> [StockLocation] {
        var out: [StockLocation] = []
        for try await r in rows.decode(LocationsStatement.Row.self) { out.append(Self.location(r)) }
        return out
    }

    static func location(_ r: LocationsStatement.Row) -> StockLocation {
        StockLocation(id: r.0, siteId: r.1, code: r.2, name: r.3, kind: r.4, zoneId: r.5)
    }

    // MARK: Lots and balances

    /// The lot with this number, created with `expiresOn` when new. Returns its id and stored expiry.
    public func upsertLot(siteId: Site.ID, medicationId: Medication.ID, lotNumber: String, expiresOn: CalendarDate)
        async throws -> (Int64, CalendarDate)
    {
        for try await (id, expiry) in try await connection.query(
            """
            INSERT INTO stock_lots (site_id, medication_id, lot_number, expires_on)
            VALUES (\(siteId), \(medicationId), \(lotNumber), \(expiresOn.description)::date)
            ON CONFLICT (site_id, medication_id, lot_number) DO UPDATE SET lot_number = excluded.lot_number
            RETURNING id, expires_on::text
            """, logger: logger
        ).decode((Int64, CalendarDate).self) { return (id, expiry) }
        throw PostgresSingleRowMissing(query: "INSERT ... RETURNING")
    }

    /// Stock of one medication at one location, locked until the transaction ends, in FEFO order.
    /// Every movement locks in this same order, so concurrent movements never deadlock.
    /// The medicine a lot of the site is of, or nil when the site has no such lot.
    public func medicationOfLot(siteId: Site.ID, lotId: Int64) async throws -> Medication.ID? {
        for try await id in try await connection.query(
            "SELECT medication_id FROM stock_lots WHERE site_id = \(siteId) AND id = \(lotId)", logger: logger
        ).decode(Medication.ID.self) { return id }
        return nil
    }

    public func lockStock(siteId: Site.ID, locationId: StockLocation.ID, medicationId: Medication.ID) async throws
        -> [LotStock]
    {
        var out: [LotStock] = []
        let statement = LockStockStatement(siteId: siteId, locationId: locationId, medicationId: medicationId)
        for try await r in try await connection.execute(statement, logger: logger) {
            out.append(
                LotStock(
                    lotId: r.0, lotNumber: r.1, medicationId: r.2, locationId: r.3, expiresOn: r.4,
                    quantity: r.5))
        }
        return out
    }

    /// Every balance of a site, optionally of one medication.
    public func stock(siteId: Site.ID, medicationId: Medication.ID? = nil) async throws -> [LotStock] {
        try await lotStock(
            connection.query(
                """
                SELECT l.id, l.lot_number, l.medication_id, b.location_id, l.expires_on::text, b.quantity
                FROM stock_balances b JOIN stock_lots l ON l.site_id = b.site_id AND l.id = b.lot_id
                WHERE b.site_id = \(siteId) AND (\(medicationId)::bigint IS NULL OR l.medication_id =
                    \(medicationId)::bigint)
                ORDER BY l.medication_id, l.expires_on, l.id, b.location_id
                """, logger: logger))
    }

    private func lotStock(_ rows: PostgresRowSequence) async throws -> [LotStock] {
        var out: [LotStock] = []
        for try await r in rows.decode((Int64, String, Medication.ID, StockLocation.ID, CalendarDate, Int).self) {
            out.append(
                LotStock(
                    lotId: r.0, lotNumber: r.1, medicationId: r.2, locationId: r.3, expiresOn: r.4,
                    quantity: r.5))
        }
        return out
    }

    /// Adds `change` (negative to take) to a balance, creating it if needed; returns the new quantity.
    /// The CHECK on the table refuses a result below zero.
    public func adjust(siteId: Site.ID, locationId: StockLocation.ID, lotId: Int64, by change: Int) async throws -> Int
    {
        if change < 0 {
            // PostgreSQL checks the row an upsert proposes to insert before it finds the conflict,
            // so taking stock is a plain UPDATE of the existing balance.
            let statement = TakeStockStatement(siteId: siteId, locationId: locationId, lotId: lotId, change: change)
            for try await quantity in try await connection.execute(statement, logger: logger) { return quantity }
            throw DomainError.conflict("nothing of lot \(lotId) is on this shelf", field: "lotId")
        }
        for try await quantity in try await connection.query(
            """
            INSERT INTO stock_balances (site_id, location_id, lot_id, quantity) VALUES (\(siteId), \(locationId),
                \(lotId), \(change))
            ON CONFLICT (site_id, location_id, lot_id) DO UPDATE SET quantity = stock_balances.quantity +
                excluded.quantity
            RETURNING quantity
            """, logger: logger
        ).decode(Int.self) { return quantity }
        throw PostgresSingleRowMissing(query: "INSERT ... RETURNING")
    }

    /// One ledger line.
    public struct LedgerLine: Sendable {
        public var kind: StockMovementKind
        public var medicationId: Medication.ID
        public var lotId: Int64
        public var locationId: StockLocation.ID
        public var change: Int
        public var balanceAfter: Int
        public var countedQuantity: Int?
        public var reason: String
        public var documentNumber: String?
        public var patientId: Patient.ID?
        /// The medication order a dispense fulfils.
        public var careActivityId: CareActivity.ID?
        public var movementId: UUID
        public var occurredAt: Date

        public init(
            kind: StockMovementKind, medicationId: Medication.ID, lotId: Int64, locationId: StockLocation.ID,
            change: Int, balanceAfter: Int,
            countedQuantity: Int? = nil, reason: String, documentNumber: String?, patientId: Patient.ID?,
            careActivityId: CareActivity.ID? = nil,
            movementId: UUID, occurredAt: Date
        ) {
            self.careActivityId = careActivityId
            self.kind = kind
            self.medicationId = medicationId
            self.lotId = lotId
            self.locationId = locationId
            self.change = change
            self.balanceAfter = balanceAfter
            self.countedQuantity = countedQuantity
            self.reason = reason
            self.documentNumber = documentNumber
            self.patientId = patientId
            self.movementId = movementId
            self.occurredAt = occurredAt
        }
    }

    public func appendLedger(siteId: Site.ID, _ line: LedgerLine, actorUserId: Int64?, actorName: String) async throws
        -> StockLedgerEntry
    {
        let statement = LedgerAppendStatement(
            siteId: siteId, line: line, actorUserId: actorUserId, actorName: actorName)
        for try await entry in try await connection.execute(statement, logger: logger) { return entry }
        throw PostgresSingleRowMissing(query: "INSERT ... RETURNING")
    }

    /// The columns of a ledger entry, from `s` (the ledger) joined to its medicine `m`, lot `l`
    /// and location `c`, in the order `entry(_:)` reads them.
    static let entryColumns = """
        s.id, s.kind, s.medication_id, m.code, s.lot_id, l.lot_number, l.expires_on::text, s.location_id, c.code,
        s.quantity_change, s.balance_after, s.counted_quantity, s.reason, s.document_number, s.patient_id,
        s.movement_id, s.actor_name, s.occurred_at, s.recorded_at
        """

    static let entryJoins = """
        JOIN medications m ON m.id = s.medication_id
        JOIN stock_lots l ON l.site_id = s.site_id AND l.id = s.lot_id
        JOIN stock_locations c ON c.site_id = s.site_id AND c.id = s.location_id
        """

    static func entry(_ row: PostgresRow) throws -> StockLedgerEntry {
        let r = try row.decode(
            (
                Int64, StockMovementKind, Medication.ID, String, Int64, String, CalendarDate, StockLocation.ID, String,
                Int,
                Int, Int?,
                String, String?, Patient.ID?, UUID, String, Date, Date
            ).self)
        return StockLedgerEntry(
            id: r.0, kind: r.1, medicationId: r.2, medicationCode: r.3,
            lotId: r.4, lotNumber: r.5, expiresOn: r.6, locationId: r.7, locationCode: r.8,
            quantityChange: r.9, balanceAfter: r.10, countedQuantity: r.11, reason: r.12,
            documentNumber: r.13, patientId: r.14, movementId: r.15, actorName: r.16,
            occurredAt: r.17, recordedAt: r.18)
    }

    /// Ledger lines of a site in id order, optionally of one medication or movement.
    public func ledger(siteId: Site.ID, medicationId: Medication.ID?, movementId: UUID? = nil, page: PageRequest)
        async throws -> [StockLedgerEntry]
    {
        var out: [StockLedgerEntry] = []
        for try await row in try await connection.query(
            """
            SELECT \(unescaped: Self.entryColumns)
            FROM stock_ledger s
            \(unescaped: Self.entryJoins)
            WHERE s.site_id = \(siteId) AND s.id > \(page.afterId ?? 0)
              AND (\(medicationId)::bigint IS NULL OR s.medication_id = \(medicationId)::bigint)
              AND (\(movementId)::uuid IS NULL OR s.movement_id = \(movementId)::uuid)
            ORDER BY s.id LIMIT \(page.limit + 1)
            """, logger: logger
        ) {
            out.append(try Self.entry(row))
        }
        return out
    }

    // MARK: Levels

    public func setLevel(siteId: Site.ID, _ level: StockLevel) async throws {
        try await connection.query(
            """
            INSERT INTO stock_levels (site_id, medication_id, minimum, reorder) VALUES (\(siteId),
                \(level.medicationId), \(level.minimum), \(level.reorder))
            ON CONFLICT (site_id, medication_id) DO UPDATE SET minimum = excluded.minimum, reorder = excluded.reorder
            """, logger: logger)
    }

    public func levels(siteId: Site.ID) async throws -> [StockLevel] {
        var out: [StockLevel] = []
        for try await (med, minimum, reorder) in try await connection.query(
            "SELECT medication_id, minimum, reorder FROM stock_levels WHERE site_id = \(siteId) ORDER BY medication_id",
            logger: logger
        ).decode((Medication.ID, Int, Int).self) {
            out.append(StockLevel(medicationId: med, minimum: minimum, reorder: reorder))
        }
        return out
    }
}

// MARK: Prepared statements

/// One stock ledger line, answered as the entry it became (with its medicine's, lot's and
/// location's codes), so a movement never reads the ledger back.
struct LedgerAppendStatement: PostgresPreparedStatement {
    static let sql = """
        WITH s AS (
            INSERT INTO stock_ledger (site_id, kind, medication_id, lot_id, location_id, quantity_change, balance_after,
                                      counted_quantity, reason, document_number, patient_id, care_activity_id,
                                      movement_id, actor_user_id, actor_name, occurred_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            RETURNING *
        )
        SELECT \(StockRepository.entryColumns) FROM s \(StockRepository.entryJoins)
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .int8, .text, .int8, .int8, .int8, .int4, .int4, .int4, .text, .text, .int8, .int8,
        .uuid, .int8, .text, .timestamptz,
    ]
    typealias Row = StockLedgerEntry
    var siteId: Site.ID
    var line: StockRepository.LedgerLine
    var actorUserId: Int64?
    var actorName: String

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 16)
        b.append(siteId)
        b.append(line.kind.rawValue)
        b.append(line.medicationId)
        b.append(line.lotId)
        b.append(line.locationId)
        b.append(Int32(line.change))
        b.append(Int32(line.balanceAfter))
        b.append(line.countedQuantity.map(Int32.init))
        b.append(line.reason)
        b.append(line.documentNumber)
        b.append(line.patientId)
        b.append(line.careActivityId)
        b.append(line.movementId)
        b.append(actorUserId)
        b.append(actorName)
        b.append(line.occurredAt)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try StockRepository.entry(row) }
}

/// A site's stock locations.
struct LocationsStatement: SiteScopedStatement {
    static let sql = "SELECT id, site_id, code, name, kind, zone_id FROM stock_locations WHERE site_id = $1 ORDER BY id"
    typealias Row = (StockLocation.ID, Site.ID, String, String, StockLocationKind, Zone.ID?)
    var siteId: Site.ID

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// Takes stock off one lot's balance on one shelf; no row when the shelf never held the lot.
struct TakeStockStatement: PostgresPreparedStatement {
    static let sql = """
        UPDATE stock_balances SET quantity = quantity + $4
        WHERE site_id = $1 AND location_id = $2 AND lot_id = $3
        RETURNING quantity
        """
    static let bindingDataTypes: [PostgresDataType] = [.int8, .int8, .int8, .int8]
    typealias Row = Int
    var siteId: Site.ID
    var locationId: StockLocation.ID
    var lotId: Int64
    var change: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(siteId)
        bindings.append(locationId)
        bindings.append(lotId)
        bindings.append(change)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int.self) }
}

/// The balances of one medicine at one location, locked, in FEFO order.
struct LockStockStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT l.id, l.lot_number, l.medication_id, b.location_id, l.expires_on::text, b.quantity
        FROM stock_balances b JOIN stock_lots l ON l.site_id = b.site_id AND l.id = b.lot_id
        WHERE b.site_id = $1 AND b.location_id = $2 AND l.medication_id = $3
        ORDER BY l.expires_on, l.id
        FOR UPDATE OF b
        """
    typealias Row = (Int64, String, Medication.ID, StockLocation.ID, CalendarDate, Int)
    var siteId: Site.ID, locationId: StockLocation.ID, medicationId: Medication.ID

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 3)
        b.append(siteId)
        b.append(locationId)
        b.append(medicationId)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
