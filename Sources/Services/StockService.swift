import Domain
import Foundation
import PostgresNIO
import Storage

/// The lines one stock movement wrote to the ledger.
public struct StockMovement: Sendable, Codable {
    public var movementId: UUID
    public var lines: [StockLedgerEntry]
    /// True when this is the stored answer to an earlier request with the same Idempotency-Key.
    public var replayed = false

    enum CodingKeys: String, CodingKey { case movementId, lines }
}

/// Medication stock: catalogue, locations, receipts, FEFO dispensing, transfers, counts,
/// write-offs, levels and alerts. Pharmacists manage stock; clinicians dispense; site managers read.
public struct StockService: Sendable {
    let database: Database
    let picker: FEFOPicker
    /// Cover below this many days raises an alert (`STOCK_COVER_ALERT_DAYS`).
    let coverAlertDays: Double

    static let managers: Set<Role> = [.pharmacist]
    static let dispensers: Set<Role> = [.pharmacist, .clinician]
    static let readers: Set<Role> = [.pharmacist, .clinician, .siteManager]

    /// Adds a medicine to the catalogue every site shares: admins only, since a pharmacist holds
    /// a grant at one site and the catalogue is all of theirs.
    public func addMedication(_ draft: MedicationDraft, actor: Actor) async throws -> Medication {
        guard actor.isAdmin else {
            throw DomainError.forbidden("the catalogue is shared by every site; only an admin changes it")
        }
        try draft.validate()
        return try await database.transaction { connection in
            let medication = try await StockRepository(connection, logger: database.logger).insertMedication(draft)
            try await AuditRecorder(connection, database, actor: actor)
                .record("create", entity: "medication", id: medication.id, siteId: nil, before: Nothing?.none, after: medication)
            return medication
        }
    }

    /// The catalogue, by code.
    public func medications() async throws -> [Medication] {
        try await database.read { connection in try await StockRepository(connection, logger: database.logger).medications() }
    }

    /// One medicine by code.
    public func medication(code: String) async throws -> Medication {
        let found = try await database.read { connection in
            try await StockRepository(connection, logger: database.logger).medication(code: code)
        }
        guard let found else { throw DomainError.notFound("no medication \(code) in the catalogue") }
        return found
    }

    /// Adds the site pharmacy, or a cabinet in a zone.
    public func createLocation(siteId: Int64, _ draft: StockLocationDraft, actor: Actor) async throws -> StockLocation {
        try actor.require(Self.managers, at: siteId)
        try draft.validate()
        return try await database.transaction { connection in
            let location = try await StockRepository(connection, logger: database.logger)
                .insertLocation(siteId: siteId, code: draft.code, name: draft.name, kind: draft.kind, zoneId: draft.zoneId)
            try await AuditRecorder(connection, database, actor: actor)
                .record("create", entity: "stock_location", id: location.id, siteId: siteId, before: Nothing?.none, after: location)
            return location
        }
    }

    /// The stock locations of a site.
    public func locations(siteId: Int64, actor: Actor) async throws -> [StockLocation] {
        try actor.require(Self.readers, at: siteId)
        return try await database.read { connection in
            try await StockRepository(connection, logger: database.logger).locations(siteId: siteId)
        }
    }

    /// Sets a medicine's minimum and reorder levels at a site.
    public func setLevel(siteId: Int64, _ level: StockLevel, actor: Actor) async throws {
        try actor.require(Self.managers, at: siteId)
        try level.validate()
        try await database.transaction { connection in
            let stock = StockRepository(connection, logger: database.logger)
            let before = try await stock.levels(siteId: siteId).first { $0.medicationId == level.medicationId }
            try await stock.setLevel(siteId: siteId, level)
            try await AuditRecorder(connection, database, actor: actor)
                .record("set_level", entity: "stock_level", id: level.medicationId, siteId: siteId, before: before, after: level)
        }
    }

    /// Books stock in. A lot number seen before must carry the same expiry.
    public func receive(siteId: Int64, _ receipt: StockReceipt, actor: Actor, idempotencyKey: IdempotencyKey? = nil) async throws -> StockMovement {
        try actor.require(Self.managers, at: siteId)
        return try await movement(siteId: siteId, action: "receive", actor: actor, request: receipt, idempotencyKey: idempotencyKey) { stock, movementId in
            guard let medication = try await stock.medications().first(where: { $0.id == receipt.medicationId }) else {
                throw DomainError.invalid("medicationId", "no medication \(receipt.medicationId) in the catalogue")
            }
            let units = try receipt.units(packSize: medication.packSize)
            try await requireLocation(stock, siteId: siteId, id: receipt.locationId, field: "locationId")
            let (lotId, expiry) = try await stock.upsertLot(siteId: siteId, medicationId: receipt.medicationId,
                                                            lotNumber: receipt.lotNumber, expiresOn: receipt.expiresOn)
            guard expiry == receipt.expiresOn else {
                throw DomainError.invalid("expiresOn", "lot \(receipt.lotNumber) is already recorded with expiry \(expiry)")
            }
            let balance = try await stock.adjust(siteId: siteId, locationId: receipt.locationId, lotId: lotId, by: units)
            return [StockRepository.LedgerLine(
                kind: .receipt, medicationId: receipt.medicationId, lotId: lotId, locationId: receipt.locationId, change: units,
                balanceAfter: balance, reason: receipt.reason, documentNumber: receipt.documentNumber, patientId: nil,
                movementId: movementId, occurredAt: receipt.occurredAt ?? Date())]
        }
    }

    /// Issues stock first-expiry-first-out, never from an expired lot.
    public func dispense(siteId: Int64, _ request: StockDispense, today: CalendarDate? = nil, actor: Actor,
                         idempotencyKey: IdempotencyKey? = nil) async throws -> StockMovement {
        try actor.require(Self.dispensers, at: siteId)
        try request.validate()
        return try await movement(siteId: siteId, action: "dispense", actor: actor, request: request, idempotencyKey: idempotencyKey) { stock, movementId in
            let site = try await requireLocation(stock, siteId: siteId, id: request.locationId, field: "locationId")
            let location = try await stock.locations(siteId: siteId).first { $0.id == request.locationId }!
            try request.checkIssuer(roles: actor.roles(at: siteId), from: location)
            if let patientId = request.patientId {
                let patient = try await PatientRepository(stock.connection, logger: database.logger).get(siteId: siteId, id: patientId)
                guard patient?.status == .admitted else { throw DomainError.invalid("patientId", "no admitted patient \(patientId) at this site") }
            }
            if let activityId = request.careActivityId {
                try await checkOrder(stock, siteId: siteId, activityId: activityId, request: request)
            }
            let shelf = try await stock.lockStock(siteId: siteId, locationId: request.locationId, medicationId: request.medicationId)
            let picks = try picker.allocate(request.quantity, from: shelf, today: today ?? site.today, overrideReason: request.overrideReason)
            var lines: [StockRepository.LedgerLine] = []
            let reason = request.overrideReason.map { "\(request.reason) (short-dated override: \($0))" } ?? request.reason
            for pick in picks {
                let balance = try await stock.adjust(siteId: siteId, locationId: request.locationId, lotId: pick.lotId, by: -pick.quantity)
                lines.append(.init(kind: .dispense, medicationId: request.medicationId, lotId: pick.lotId, locationId: request.locationId,
                                   change: -pick.quantity, balanceAfter: balance, reason: reason, documentNumber: nil,
                                   patientId: request.patientId, careActivityId: request.careActivityId, movementId: movementId,
                                   occurredAt: request.occurredAt ?? Date()))
            }
            return lines
        }
    }

    /// Moves stock between two locations, FEFO from the source; both sides or neither.
    public func transfer(siteId: Int64, _ request: StockTransfer, actor: Actor) async throws -> StockMovement {
        try actor.require(Self.managers, at: siteId)
        try request.validate()
        return try await movement(siteId: siteId, action: "transfer", actor: actor, request: request) { stock, movementId in
            let site = try await requireLocation(stock, siteId: siteId, id: request.fromLocationId, field: "fromLocationId")
            try await requireLocation(stock, siteId: siteId, id: request.toLocationId, field: "toLocationId")
            let shelf = try await stock.lockStock(siteId: siteId, locationId: request.fromLocationId, medicationId: request.medicationId)
            // Short-dated stock may move between shelves; expired stock may not.
            let picks = try picker.allocate(request.quantity, from: shelf, today: site.today, overrideReason: "transfer")
            var lines: [StockRepository.LedgerLine] = []
            for pick in picks {
                let out = try await stock.adjust(siteId: siteId, locationId: request.fromLocationId, lotId: pick.lotId, by: -pick.quantity)
                let into = try await stock.adjust(siteId: siteId, locationId: request.toLocationId, lotId: pick.lotId, by: pick.quantity)
                lines.append(.init(kind: .transferOut, medicationId: request.medicationId, lotId: pick.lotId, locationId: request.fromLocationId,
                                   change: -pick.quantity, balanceAfter: out, reason: request.reason, documentNumber: request.documentNumber,
                                   patientId: nil, movementId: movementId, occurredAt: Date()))
                lines.append(.init(kind: .transferIn, medicationId: request.medicationId, lotId: pick.lotId, locationId: request.toLocationId,
                                   change: pick.quantity, balanceAfter: into, reason: request.reason, documentNumber: request.documentNumber,
                                   patientId: nil, movementId: movementId, occurredAt: Date()))
            }
            return lines
        }
    }

    /// Records a count: the shelf is set to what was counted and the variance is booked with its reason.
    public func count(siteId: Int64, _ request: StockCount, actor: Actor) async throws -> StockMovement {
        try actor.require(Self.managers, at: siteId)
        return try await movement(siteId: siteId, action: "count", actor: actor, request: request) { stock, movementId in
            try await requireLocation(stock, siteId: siteId, id: request.locationId, field: "locationId")
            let lot = try await lockedLot(stock, siteId: siteId, locationId: request.locationId, lotId: request.lotId)
            let variance = try request.validate(onHand: lot.quantity)
            let balance = try await stock.adjust(siteId: siteId, locationId: request.locationId, lotId: request.lotId, by: variance)
            return [.init(kind: .count, medicationId: lot.medicationId, lotId: lot.lotId, locationId: request.locationId, change: variance,
                          balanceAfter: balance, countedQuantity: request.countedQuantity,
                          reason: request.reason.flatMap { $0.isEmpty ? nil : $0 } ?? "count matched the books",
                          documentNumber: nil, patientId: nil, movementId: movementId, occurredAt: Date())]
        }
    }

    /// Removes unusable stock, with a reason.
    public func writeOff(siteId: Int64, _ request: StockWriteOff, actor: Actor) async throws -> StockMovement {
        try actor.require(Self.managers, at: siteId)
        try request.validate()
        return try await movement(siteId: siteId, action: "write_off", actor: actor, request: request) { stock, movementId in
            try await requireLocation(stock, siteId: siteId, id: request.locationId, field: "locationId")
            let lot = try await lockedLot(stock, siteId: siteId, locationId: request.locationId, lotId: request.lotId)
            guard lot.quantity >= request.quantity else {
                throw DomainError.conflict("only \(lot.quantity) of lot \(lot.lotNumber) are on this shelf", field: "quantity")
            }
            let balance = try await stock.adjust(siteId: siteId, locationId: request.locationId, lotId: request.lotId, by: -request.quantity)
            return [.init(kind: .writeOff, medicationId: lot.medicationId, lotId: lot.lotId, locationId: request.locationId,
                          change: -request.quantity, balanceAfter: balance, reason: request.reason, documentNumber: nil,
                          patientId: nil, movementId: movementId, occurredAt: Date())]
        }
    }

    /// Every balance of a site, optionally of one medicine.
    public func onHand(siteId: Int64, medicationId: Int64? = nil, actor: Actor) async throws -> [LotStock] {
        try actor.require(Self.readers, at: siteId)
        return try await database.read { connection in
            try await StockRepository(connection, logger: database.logger).stock(siteId: siteId, medicationId: medicationId)
        }
    }

    /// The ledger of a site, a page at a time.
    public func ledger(siteId: Int64, medicationId: Int64?, page: PageRequest, actor: Actor) async throws -> Page<StockLedgerEntry> {
        try actor.require(Self.readers, at: siteId)
        let rows = try await database.read { connection in
            try await StockRepository(connection, logger: database.logger).ledger(siteId: siteId, medicationId: medicationId, page: page)
        }
        return Page(fetched: rows, limit: page.limit, id: \.id)
    }

    /// Expired stock on the shelf, lots expiring within 30/60/90 days, medicines below their
    /// levels, and medicines whose cover at the current orders is short.
    public func alerts(siteId: Int64, today: CalendarDate? = nil, actor: Actor) async throws -> [StockAlert] {
        try actor.require(Self.readers, at: siteId)
        return try await database.read { connection in
            let stock = StockRepository(connection, logger: database.logger)
            let (day, cover) = try await cover(connection, siteId: siteId, today: today)
            let locations = try await stock.locations(siteId: siteId)
            return StockAlerts.evaluate(
                medications: try await stock.medications(), stock: try await stock.stock(siteId: siteId),
                levels: try await stock.levels(siteId: siteId),
                locationCodes: Dictionary(uniqueKeysWithValues: locations.map { ($0.id, $0.code) }),
                today: day, cover: cover, coverAlertDays: coverAlertDays)
        }
    }

    /// Days of cover per medicine: usable stock on the site's shelves over the daily use of the
    /// active medication orders.
    public func cover(siteId: Int64, today: CalendarDate? = nil, actor: Actor) async throws -> [CoverLine] {
        try actor.require(Self.readers, at: siteId)
        return try await database.read { connection in try await cover(connection, siteId: siteId, today: today).1 }
    }

    private func cover(_ connection: PostgresConnection, siteId: Int64, today: CalendarDate?) async throws -> (CalendarDate, [CoverLine]) {
        guard let site = try await SiteRepository(connection, logger: database.logger).get(siteId) else { throw DomainError.notFound("site not found") }
        let day = today ?? site.today
        let stock = StockRepository(connection, logger: database.logger)
        let usable = Dictionary(grouping: try await stock.stock(siteId: siteId).filter { !$0.isExpired(on: day) }, by: \.medicationId)
            .mapValues { $0.reduce(0) { $0 + $1.quantity } }
        let use = Dictionary(grouping: try await CareRepository(connection, logger: database.logger).activeOrders(siteId: siteId, kind: .medication, on: day),
                             by: { $0.activity.medicationId! }).mapValues { $0.reduce(0) { $0 + $1.activity.dailyUnits } }
        let lines = try await stock.medications()
            .filter { usable[$0.id] != nil || use[$0.id] != nil }
            .map { CoverLine(medicationId: $0.id, medicationCode: $0.code, usableOnHand: usable[$0.id] ?? 0, dailyUse: use[$0.id] ?? 0) }
        return (day, lines)
    }

    // MARK: Shared steps

    /// Runs one movement in a transaction: its ledger lines, and one audit entry for the whole.
    private func movement<Request: Encodable & Sendable>(
        siteId: Int64, action: String, actor: Actor, request: Request, idempotencyKey: IdempotencyKey? = nil,
        _ body: @escaping @Sendable (StockRepository, UUID) async throws -> [StockRepository.LedgerLine]
    ) async throws -> StockMovement {
        let movementId = UUID()
        let created = try await IdempotentCreate(database: database).run(
            key: idempotencyKey, actor: actor, operation: "stock.\(action).\(siteId)", request: request
        ) { connection in
            let stock = StockRepository(connection, logger: database.logger)
            for line in try await body(stock, movementId) {
                _ = try await stock.appendLedger(siteId: siteId, line, actorUserId: actor.userId, actorName: actor.username)
            }
            let lines = try await stock.ledger(siteId: siteId, medicationId: nil, movementId: movementId,
                                               page: PageRequest(limit: PageRequest.maximumLimit))
            try await AuditRecorder(connection, database, actor: actor)
                .record(action, entity: "stock_movement", id: movementId.uuidString, siteId: siteId, before: request, after: lines)
            return StockMovement(movementId: movementId, lines: lines)
        }
        var movement = created.value
        movement.replayed = created.replayed
        return movement
    }

    /// A dispense against an order must match the order, and its plan must stay active until
    /// the dispense commits.
    private func checkOrder(_ stock: StockRepository, siteId: Int64, activityId: Int64, request: StockDispense) async throws {
        guard let order = try await CareRepository(stock.connection, logger: database.logger).lockOrder(siteId: siteId, activityId: activityId),
              order.activity.kind == .medication else {
            throw DomainError.invalid("activityId", "no medication order \(activityId) at this site")
        }
        guard order.status == .active else {
            throw DomainError.conflict("the care plan is \(order.status.rawValue), not active", field: "activityId")
        }
        guard order.activity.medicationId == request.medicationId, order.patientId == request.patientId else {
            throw DomainError.invalid("activityId", "the dispense does not match order \(activityId)")
        }
    }

    @discardableResult
    private func requireLocation(_ stock: StockRepository, siteId: Int64, id: Int64, field: String) async throws -> Site {
        guard let site = try await SiteRepository(stock.connection, logger: database.logger).get(siteId) else {
            throw DomainError.notFound("site not found")
        }
        guard try await stock.locations(siteId: siteId).contains(where: { $0.id == id }) else {
            throw DomainError.invalid(field, "no stock location \(id) at this site")
        }
        return site
    }

    private func lockedLot(_ stock: StockRepository, siteId: Int64, locationId: Int64, lotId: Int64) async throws -> LotStock {
        let rows = try await stock.connection.query("""
            SELECT l.medication_id FROM stock_lots l WHERE l.site_id = \(siteId) AND l.id = \(lotId)
            """, logger: database.logger)
        var medicationId: Int64?
        for try await id in rows.decode(Int64.self) { medicationId = id }
        guard let medicationId else { throw DomainError.invalid("lotId", "no lot \(lotId) at this site") }
        let shelf = try await stock.lockStock(siteId: siteId, locationId: locationId, medicationId: medicationId)
        guard let lot = shelf.first(where: { $0.lotId == lotId }) else {
            throw DomainError.conflict("lot \(lotId) has never been on this shelf", field: "lotId")
        }
        return lot
    }
}

extension Site {
    /// Today's date where the site is.
    var today: CalendarDate { CalendarDate(Date(), in: TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!) }
}
