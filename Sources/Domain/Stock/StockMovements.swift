import Foundation

/// What a pharmacist enters when stock arrives: whole packs, loose units of issue, or both.
public struct StockReceipt: Sendable, Codable, Equatable {
    public var locationId: StockLocation.ID
    public var medicationId: Medication.ID
    public var lotNumber: String
    public var expiresOn: CalendarDate
    /// Loose units of issue (tablets).
    public var quantity: Int
    public var reason: String
    public var documentNumber: String?
    public var occurredAt: Date?
    /// Whole packs, each of the medicine's pack size.
    public var packs: Int

    public init(
        locationId: StockLocation.ID, medicationId: Medication.ID, lotNumber: String, expiresOn: CalendarDate,
        quantity: Int, reason: String,
        documentNumber: String?, occurredAt: Date? = nil, packs: Int = 0
    ) {
        self.locationId = locationId
        self.medicationId = medicationId
        self.lotNumber = lotNumber
        self.expiresOn = expiresOn
        self.quantity = quantity
        self.reason = reason
        self.documentNumber = documentNumber
        self.occurredAt = occurredAt
        self.packs = packs
    }

    /// The units of issue received, checked against the pack size of the medicine.
    public func units(packSize: Int) throws -> Int {
        var v = Validator()
        var total = 0
        v.text(lotNumber, "lotNumber", max: 50)
        v.check((0...1_000_000).contains(quantity), "quantity", "must be between 0 and 1000000 units")
        v.check((0...100_000).contains(packs), "packs", "must be between 0 and 100000")
        // Each term is bounded before the sum is taken, so no client number can overflow it.
        if (0...1_000_000).contains(quantity), (0...100_000).contains(packs),
            (1...MedicationDraft.largestPack).contains(packSize)
        {
            let units = quantity + packs * packSize
            v.check(
                (1...1_000_000).contains(units), "quantity", "must come to between 1 and 1000000 units; got \(units)")
            total = units
        }
        v.text(reason, "reason", max: 500)
        v.optionalText(documentNumber, "documentNumber", max: 100)
        v.pastInstant(occurredAt, "occurredAt")
        let latestExpiry = DateRules.latestToday().adding(days: DateRules.expiryHorizonDays)
        v.check(
            expiresOn >= DateRules.earliest && expiresOn <= latestExpiry, "expiresOn",
            "must be a day from \(DateRules.earliest) to \(latestExpiry)")
        try v.finish()
        return total
    }
}

/// Issuing stock, to a patient or to a ward round.
public struct StockDispense: Sendable, Codable, Equatable {
    public var locationId: StockLocation.ID
    public var medicationId: Medication.ID
    public var quantity: Int
    public var patientId: Patient.ID?
    public var reason: String
    /// Why lots expiring within the margin may be used; nil holds them back.
    public var overrideReason: String?
    public var occurredAt: Date?
    /// The medication order this dispense fulfils, which makes it a line of the patient's
    /// medication administration record.
    public var careActivityId: CareActivity.ID?

    public init(
        locationId: StockLocation.ID, medicationId: Medication.ID, quantity: Int, patientId: Patient.ID?,
        reason: String,
        overrideReason: String? = nil, occurredAt: Date? = nil, careActivityId: CareActivity.ID? = nil
    ) {
        self.careActivityId = careActivityId
        self.locationId = locationId
        self.medicationId = medicationId
        self.quantity = quantity
        self.patientId = patientId
        self.reason = reason
        self.overrideReason = overrideReason
        self.occurredAt = occurredAt
    }

    /// Who may issue this: a pharmacist (or admin) anything; anyone else holding a dispensing
    /// role only a dose of a medication order, or a dose from a ward cabinet to a named patient.
    /// An issue from the pharmacy with no patient is in effect a write-off, and stays a pharmacist's.
    public func checkIssuer(roles: Set<Role>, from location: StockLocation) throws {
        if roles.contains(.admin) || roles.contains(.pharmacist) { return }
        if careActivityId != nil { return }
        if location.kind == .cabinet && patientId != nil { return }
        throw DomainError.forbidden(
            "a clinician dispenses a dose of a medication order, or from a ward cabinet to a named patient; "
                + "other issues are a pharmacist's")
    }

    public func validate() throws {
        var v = Validator()
        v.check((1...100_000).contains(quantity), "quantity", "must be between 1 and 100000 units")
        v.text(reason, "reason", max: 500)
        v.optionalText(overrideReason, "overrideReason", max: 500)
        v.pastInstant(occurredAt, "occurredAt")
        try v.finish()
    }
}

/// Moving stock between two locations of one site, all or nothing.
public struct StockTransfer: Sendable, Codable, Equatable {
    public var fromLocationId: StockLocation.ID
    public var toLocationId: StockLocation.ID
    public var medicationId: Medication.ID
    public var quantity: Int
    public var reason: String
    public var documentNumber: String?

    public init(
        fromLocationId: StockLocation.ID, toLocationId: StockLocation.ID, medicationId: Medication.ID, quantity: Int,
        reason: String, documentNumber: String?
    ) {
        self.fromLocationId = fromLocationId
        self.toLocationId = toLocationId
        self.medicationId = medicationId
        self.quantity = quantity
        self.reason = reason
        self.documentNumber = documentNumber
    }

    public func validate() throws {
        var v = Validator()
        v.check(fromLocationId != toLocationId, "toLocationId", "must differ from fromLocationId")
        v.check((1...1_000_000).contains(quantity), "quantity", "must be between 1 and 1000000 units")
        v.text(reason, "reason", max: 500)
        v.optionalText(documentNumber, "documentNumber", max: 100)
        try v.finish()
    }
}

/// A counted quantity of one lot at one location; any variance needs a reason.
public struct StockCount: Sendable, Codable, Equatable {
    public var locationId: StockLocation.ID
    public var lotId: Int64
    public var countedQuantity: Int
    public var reason: String?

    public init(locationId: StockLocation.ID, lotId: Int64, countedQuantity: Int, reason: String?) {
        self.locationId = locationId
        self.lotId = lotId
        self.countedQuantity = countedQuantity
        self.reason = reason
    }

    /// Checks the count against what the books say is there, and returns the variance.
    public func validate(onHand: Int) throws -> Int {
        var v = Validator()
        v.check((0...1_000_000).contains(countedQuantity), "countedQuantity", "must be between 0 and 1000000")
        let variance = countedQuantity - onHand
        if variance != 0 {
            v.check(
                !(reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty, "reason",
                "is required: the count differs from the books by \(variance > 0 ? "+" : "")\(variance)")
        }
        v.optionalText(reason, "reason", max: 500)
        try v.finish()
        return variance
    }
}

/// Removing stock that cannot be used (expired, broken, contaminated).
public struct StockWriteOff: Sendable, Codable, Equatable {
    public var locationId: StockLocation.ID
    public var lotId: Int64
    public var quantity: Int
    public var reason: String

    public init(locationId: StockLocation.ID, lotId: Int64, quantity: Int, reason: String) {
        self.locationId = locationId
        self.lotId = lotId
        self.quantity = quantity
        self.reason = reason
    }

    public func validate() throws {
        var v = Validator()
        v.check((1...1_000_000).contains(quantity), "quantity", "must be between 1 and 1000000 units")
        v.text(reason, "reason", max: 500)
        try v.finish()
    }
}
