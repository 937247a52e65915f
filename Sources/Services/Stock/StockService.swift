import Domain
import Foundation
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

    public static let managers: Set<Role> = [.pharmacist]
    public static let dispensers: Set<Role> = [.pharmacist, .clinician]
    public static let readers: Set<Role> = [.pharmacist, .clinician, .siteManager]

    /// Adds a medicine to the catalogue every site shares: admins only, since a pharmacist holds
    /// a grant at one site and the catalogue is all of theirs.
    public func addMedication(_ draft: MedicationDraft, actor: Actor) async throws -> Medication {
        guard actor.isAdmin else {
            throw DomainError.forbidden("the catalogue is shared by every site; only an admin changes it")
        }
        try draft.validate()
        return try await database.transaction(actor) { tx in
            let medication = try await tx.stock.insertMedication(draft)
            try await tx.audit.record(
                "create", entity: "medication", id: medication.id, siteId: nil, before: Nothing?.none, after: medication
            )
            return medication
        }
    }

    /// The catalogue, by code.
    public func medications(actor: Actor) async throws -> [Medication] {
        try await database.read(actor) { tx in try await tx.stock.medications() }
    }

    /// One medicine by code.
    public func medication(code: String, actor: Actor) async throws -> Medication {
        let found = try await database.read(actor) { tx in
            try await tx.stock.medication(code: code)
        }
        guard let found else { throw DomainError.notFound("no medication \(code) in the catalogue") }
        return found
    }

    /// Adds the site pharmacy, or a cabinet in a zone.
    public func createLocation(siteId: Site.ID, _ draft: StockLocationDraft, actor: Actor) async throws -> StockLocation
    {
        try actor.require(Self.managers, at: siteId)
        try draft.validate()
        return try await database.transaction(actor) { tx in
            let location = try await tx.stock
                .insertLocation(
                    siteId: siteId, code: draft.code, name: draft.name, kind: draft.kind, zoneId: draft.zoneId)
            try await tx.audit.record(
                "create", entity: "stock_location", id: location.id, siteId: siteId, before: Nothing?.none,
                after: location)
            return location
        }
    }

    /// The stock locations of a site.
    public func locations(siteId: Site.ID, actor: Actor) async throws -> [StockLocation] {
        try actor.require(Self.readers, at: siteId)
        return try await database.read(actor) { tx in
            try await tx.stock.locations(siteId: siteId)
        }
    }

    /// Sets a medicine's minimum and reorder levels at a site.
    public func setLevel(siteId: Site.ID, _ level: StockLevel, actor: Actor) async throws {
        try actor.require(Self.managers, at: siteId)
        try level.validate()
        try await database.transaction(actor) { tx in
            let stock = tx.stock
            let before = try await stock.levels(siteId: siteId).first { $0.medicationId == level.medicationId }
            try await stock.setLevel(siteId: siteId, level)
            try await tx.audit.record(
                "set_level", entity: "stock_level", id: level.medicationId, siteId: siteId, before: before, after: level
            )
        }
    }

    /// Books stock in. A lot number seen before must carry the same expiry.
    public func receive(siteId: Site.ID, _ receipt: StockReceipt, actor: Actor, idempotencyKey: IdempotencyKey? = nil)
        async throws -> StockMovement
    {
        try actor.require(Self.managers, at: siteId)
        return try await movement(
            siteId: siteId, action: "receive", actor: actor, request: receipt, idempotencyKey: idempotencyKey
        ) { tx, movementId in
            let stock = tx.stock
            guard let medication = try await stock.medications().first(where: { $0.id == receipt.medicationId }) else {
                throw DomainError.invalid("medicationId", "no medication \(receipt.medicationId) in the catalogue")
            }
            let units = try receipt.units(packSize: medication.packSize)
            try await requireLocation(tx, siteId: siteId, id: receipt.locationId, field: "locationId")
            let (lotId, expiry) = try await stock.upsertLot(
                siteId: siteId, medicationId: receipt.medicationId,
                lotNumber: receipt.lotNumber, expiresOn: receipt.expiresOn)
            guard expiry == receipt.expiresOn else {
                throw DomainError.invalid(
                    "expiresOn", "lot \(receipt.lotNumber) is already recorded with expiry \(expiry)")
            }
            let balance = try await stock.adjust(
                siteId: siteId, locationId: receipt.locationId, lotId: lotId, by: units)
            return [
                StockRepository.LedgerLine(
                    kind: .receipt, medicationId: receipt.medicationId, lotId: lotId, locationId: receipt.locationId,
                    change: units,
                    balanceAfter: balance, reason: receipt.reason, documentNumber: receipt.documentNumber,
                    patientId: nil,
                    movementId: movementId, occurredAt: receipt.occurredAt ?? Date())
            ]
        }
    }

    /// Issues stock first-expiry-first-out, never from an expired lot.
    public func dispense(
        siteId: Site.ID, _ request: StockDispense, today: CalendarDate? = nil, actor: Actor,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws -> StockMovement {
        try actor.require(Self.dispensers, at: siteId)
        try request.validate()
        return try await movement(
            siteId: siteId, action: "dispense", actor: actor, request: request, idempotencyKey: idempotencyKey
        ) { tx, movementId in
            try await issue(request, siteId: siteId, today: today, movementId: movementId, tx)
        }
    }

    /// The lines of a dispense, inside the caller's transaction: a dose of a medication order
    /// (Care's use case) takes this step with the order locked in the same transaction.
    func issue(
        _ request: StockDispense, siteId: Site.ID, today: CalendarDate? = nil, movementId: UUID,
        _ tx: Transaction
    ) async throws -> [StockRepository.LedgerLine] {
        let (site, location) = try await requireLocation(
            tx, siteId: siteId, id: request.locationId, field: "locationId")
        try request.checkIssuer(roles: tx.actor.roles(at: siteId), from: location)
        if let patientId = request.patientId {
            guard let patient = try await tx.patients.get(siteId: siteId, id: patientId) else {
                throw DomainError.invalid("patientId", "no patient \(patientId) at this site")
            }
            try patient.requireAdmitted()
        }
        let shelf = try await tx.stock.lockStock(
            siteId: siteId, locationId: request.locationId, medicationId: request.medicationId)
        let picks = try picker.allocate(
            request.quantity, from: shelf, today: today ?? site.today, overrideReason: request.overrideReason)
        let reason = request.overrideReason.map { "\(request.reason) (short-dated override: \($0))" } ?? request.reason
        var lines: [StockRepository.LedgerLine] = []
        for pick in picks {
            let balance = try await tx.stock.adjust(
                siteId: siteId, locationId: request.locationId, lotId: pick.lotId, by: -pick.quantity)
            lines.append(
                .init(
                    kind: .dispense, medicationId: request.medicationId, lotId: pick.lotId,
                    locationId: request.locationId,
                    change: -pick.quantity, balanceAfter: balance, reason: reason, documentNumber: nil,
                    patientId: request.patientId, careActivityId: request.careActivityId, movementId: movementId,
                    occurredAt: request.occurredAt ?? Date()))
        }
        return lines
    }

    /// Moves stock between two locations, FEFO from the source; both sides or neither.
    public func transfer(siteId: Site.ID, _ request: StockTransfer, actor: Actor) async throws -> StockMovement {
        try actor.require(Self.managers, at: siteId)
        try request.validate()
        return try await movement(siteId: siteId, action: "transfer", actor: actor, request: request) {
            tx, movementId in
            let (site, _) = try await requireLocation(
                tx, siteId: siteId, id: request.fromLocationId, field: "fromLocationId")
            _ = try await requireLocation(tx, siteId: siteId, id: request.toLocationId, field: "toLocationId")
            let shelf = try await tx.stock.lockStock(
                siteId: siteId, locationId: request.fromLocationId, medicationId: request.medicationId)
            // Short-dated stock may move between shelves; expired stock may not.
            let picks = try picker.allocate(
                request.quantity, from: shelf, today: site.today, overrideReason: "transfer")
            var lines: [StockRepository.LedgerLine] = []
            for pick in picks {
                let out = try await tx.stock.adjust(
                    siteId: siteId, locationId: request.fromLocationId, lotId: pick.lotId, by: -pick.quantity)
                let into = try await tx.stock.adjust(
                    siteId: siteId, locationId: request.toLocationId, lotId: pick.lotId, by: pick.quantity)
                lines.append(
                    .init(
                        kind: .transferOut, medicationId: request.medicationId, lotId: pick.lotId,
                        locationId: request.fromLocationId,
                        change: -pick.quantity, balanceAfter: out, reason: request.reason,
                        documentNumber: request.documentNumber,
                        patientId: nil, movementId: movementId, occurredAt: Date()))
                lines.append(
                    .init(
                        kind: .transferIn, medicationId: request.medicationId, lotId: pick.lotId,
                        locationId: request.toLocationId,
                        change: pick.quantity, balanceAfter: into, reason: request.reason,
                        documentNumber: request.documentNumber,
                        patientId: nil, movementId: movementId, occurredAt: Date()))
            }
            return lines
        }
    }

    /// Records a count: the shelf is set to what was counted and the variance is booked with its reason.
    public func count(siteId: Site.ID, _ request: StockCount, actor: Actor) async throws -> StockMovement {
        try actor.require(Self.managers, at: siteId)
        return try await movement(siteId: siteId, action: "count", actor: actor, request: request) { tx, movementId in
            _ = try await requireLocation(tx, siteId: siteId, id: request.locationId, field: "locationId")
            let lot = try await lockedLot(tx, siteId: siteId, locationId: request.locationId, lotId: request.lotId)
            let variance = try request.validate(onHand: lot.quantity)
            let balance = try await tx.stock.adjust(
                siteId: siteId, locationId: request.locationId, lotId: request.lotId, by: variance)
            return [
                .init(
                    kind: .count, medicationId: lot.medicationId, lotId: lot.lotId, locationId: request.locationId,
                    change: variance,
                    balanceAfter: balance, countedQuantity: request.countedQuantity,
                    reason: request.reason.flatMap { $0.isEmpty ? nil : $0 } ?? "count matched the books",
                    documentNumber: nil, patientId: nil, movementId: movementId, occurredAt: Date())
            ]
        }
    }

    /// Removes unusable stock, with a reason.
    public func writeOff(siteId: Site.ID, _ request: StockWriteOff, actor: Actor) async throws -> StockMovement {
        try actor.require(Self.managers, at: siteId)
        try request.validate()
        return try await movement(siteId: siteId, action: "write_off", actor: actor, request: request) {
            tx, movementId in
            _ = try await requireLocation(tx, siteId: siteId, id: request.locationId, field: "locationId")
            let lot = try await lockedLot(tx, siteId: siteId, locationId: request.locationId, lotId: request.lotId)
            guard lot.quantity >= request.quantity else {
                throw DomainError.conflict(
                    "only \(lot.quantity) of lot \(lot.lotNumber) are on this shelf", field: "quantity")
            }
            let balance = try await tx.stock.adjust(
                siteId: siteId, locationId: request.locationId, lotId: request.lotId, by: -request.quantity)
            return [
                .init(
                    kind: .writeOff, medicationId: lot.medicationId, lotId: lot.lotId, locationId: request.locationId,
                    change: -request.quantity, balanceAfter: balance, reason: request.reason, documentNumber: nil,
                    patientId: nil, movementId: movementId, occurredAt: Date())
            ]
        }
    }

    /// The stock location `code` of a site, as people label the shelf (PHARM, CAB-A).
    public func location(siteId: Site.ID, code: String, actor: Actor) async throws -> StockLocation {
        try await locations(siteId: siteId, actor: actor).first { $0.code == code }
            .orThrow(DomainError.notFound("no stock location \(code) at this site"))
    }

    /// The lot numbered `number` (as printed on the box) of a medicine at a site.
    public func lot(siteId: Site.ID, medicationId: Medication.ID, number: String, actor: Actor) async throws -> LotStock
    {
        try await onHand(siteId: siteId, medicationId: medicationId, actor: actor).first { $0.lotNumber == number }
            .orThrow(DomainError.notFound("no lot \(number) of this medicine at this site"))
    }

    /// Every balance of a site, optionally of one medicine.
    public func onHand(siteId: Site.ID, medicationId: Medication.ID? = nil, actor: Actor) async throws -> [LotStock] {
        try actor.require(Self.readers, at: siteId)
        return try await database.read(actor) { tx in
            try await tx.stock.stock(siteId: siteId, medicationId: medicationId)
        }
    }

    /// The ledger of a site, a page at a time.
    public func ledger(siteId: Site.ID, medicationId: Medication.ID?, page: PageRequest, actor: Actor) async throws
        -> Page<StockLedgerEntry>
    {
        try actor.require(Self.readers, at: siteId)
        let rows = try await database.read(actor) { tx in
            try await tx.stock.ledger(siteId: siteId, medicationId: medicationId, page: page)
        }
        return Page(fetched: rows, limit: page.limit, id: \.id)
    }

    // MARK: Shared steps

    /// Runs one movement in a transaction: its ledger lines, and one audit entry for the whole.
    func movement<Request: Encodable & Sendable>(
        siteId: Site.ID, action: String, actor: Actor, request: Request, idempotencyKey: IdempotencyKey? = nil,
        _ body: @escaping @Sendable (Transaction, UUID) async throws -> [StockRepository.LedgerLine]
    ) async throws -> StockMovement {
        let movementId = UUID()
        let idempotency = try IdempotentRequest(
            idempotencyKey, operation: "stock.\(action).\(siteId)", request: request)
        let created = try await database.transaction(actor, idempotency: idempotency) { tx in
            try await record(
                action, siteId: siteId, request: request, lines: try await body(tx, movementId), movementId: movementId,
                tx)
        }
        var movement = created.value
        movement.replayed = created.replayed
        return movement
    }

    /// Writes a movement's ledger lines and its one audit entry, in `tx`.
    func record<Request: Encodable & Sendable>(
        _ action: String, siteId: Site.ID, request: Request, lines: [StockRepository.LedgerLine],
        movementId: UUID, _ tx: Transaction
    ) async throws -> StockMovement {
        var written: [StockLedgerEntry] = []
        for line in lines {
            written.append(
                try await tx.stock.appendLedger(
                    siteId: siteId, line, actorUserId: tx.actor.userId, actorName: tx.actor.username))
        }
        try await tx.audit.record(
            action, entity: "stock_movement", id: movementId.uuidString, siteId: siteId, before: request, after: written
        )
        return StockMovement(movementId: movementId, lines: written)
    }

    /// The site and the stock location `id` of it; a location of no site of this one is `field`'s fault.
    func requireLocation(_ tx: Transaction, siteId: Site.ID, id: StockLocation.ID, field: String) async throws -> (
        Site, StockLocation
    ) {
        let site = try await tx.site(siteId)
        guard let location = try await tx.stock.locations(siteId: siteId).first(where: { $0.id == id }) else {
            throw DomainError.invalid(field, "no stock location \(id) at this site")
        }
        return (site, location)
    }

    /// One lot's balance at one location, locked.
    private func lockedLot(_ tx: Transaction, siteId: Site.ID, locationId: StockLocation.ID, lotId: Int64) async throws
        -> LotStock
    {
        guard let medicationId = try await tx.stock.medicationOfLot(siteId: siteId, lotId: lotId) else {
            throw DomainError.invalid("lotId", "no lot \(lotId) at this site")
        }
        let shelf = try await tx.stock.lockStock(siteId: siteId, locationId: locationId, medicationId: medicationId)
        guard let lot = shelf.first(where: { $0.lotId == lotId }) else {
            throw DomainError.conflict("lot \(lotId) has never been on this shelf", field: "lotId")
        }
        return lot
    }
}
