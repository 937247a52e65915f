import Foundation

/// The kinds of stock movement. Every change to a shelf is one of these.
public enum StockMovementKind: String, Sendable, Codable, CaseIterable {
    case receipt, dispense
    case transferOut = "transfer_out"
    case transferIn = "transfer_in"
    case count
    case writeOff = "write_off"
}

/// One line of the append-only stock ledger.
public struct StockLedgerEntry: Sendable, Codable, Equatable {
    public var id: Int64
    public var kind: StockMovementKind
    public var medicationId: Medication.ID
    public var medicationCode: String
    public var lotId: Int64
    public var lotNumber: String
    public var expiresOn: CalendarDate
    public var locationId: StockLocation.ID
    public var locationCode: String
    public var quantityChange: Int
    public var balanceAfter: Int
    public var countedQuantity: Int?
    public var reason: String
    public var documentNumber: String?
    public var patientId: Patient.ID?
    /// Lines written by one movement (the two sides of a transfer) share it.
    public var movementId: UUID
    public var actorName: String
    public var occurredAt: Date
    public var recordedAt: Date

    public init(
        id: Int64, kind: StockMovementKind, medicationId: Medication.ID, medicationCode: String, lotId: Int64,
        lotNumber: String,
        expiresOn: CalendarDate, locationId: StockLocation.ID, locationCode: String, quantityChange: Int,
        balanceAfter: Int,
        countedQuantity: Int?, reason: String, documentNumber: String?, patientId: Patient.ID?, movementId: UUID,
        actorName: String, occurredAt: Date, recordedAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.medicationId = medicationId
        self.medicationCode = medicationCode
        self.lotId = lotId
        self.lotNumber = lotNumber
        self.expiresOn = expiresOn
        self.locationId = locationId
        self.locationCode = locationCode
        self.quantityChange = quantityChange
        self.balanceAfter = balanceAfter
        self.countedQuantity = countedQuantity
        self.reason = reason
        self.documentNumber = documentNumber
        self.patientId = patientId
        self.movementId = movementId
        self.actorName = actorName
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
    }
}

/// Minimum and reorder levels of one medicine at one site, in units of issue.
public struct StockLevel: Sendable, Codable, Equatable {
    public var medicationId: Medication.ID
    public var minimum: Int
    public var reorder: Int

    public init(medicationId: Medication.ID, minimum: Int, reorder: Int) {
        self.medicationId = medicationId
        self.minimum = minimum
        self.reorder = reorder
    }

    public func validate() throws {
        var v = Validator()
        v.check((0...1_000_000).contains(minimum), "minimum", "must be between 0 and 1000000")
        v.check(reorder <= 1_000_000, "reorder", "must be at most 1000000")
        v.check(reorder >= minimum, "reorder", "must be at least the minimum")
        try v.finish()
    }
}

/// Something about a site's stock that needs a pharmacist's attention.
public struct StockAlert: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case belowMinimum = "below_minimum"
        case belowReorder = "below_reorder"
        case expiringWithin30Days = "expiring_30"
        case expiringWithin60Days = "expiring_60"
        case expiringWithin90Days = "expiring_90"
        case expiredOnShelf = "expired_on_shelf"
        case lowCover = "low_cover"
    }
    public var kind: Kind
    public var medicationCode: String
    /// The medicine's generic name and strength, as staff call it.
    public var medicationName: String
    public var lotNumber: String?
    public var locationCode: String?
    /// The shelf's name, beside its code.
    public var locationName: String?
    public var quantity: Int
    /// What the alert says, for each reader to word in its language.
    public var explanation: Explanation
    /// The explanation in English, as the API and the CLI give it.
    public var detail: String { explanation.english }

    public init(
        kind: Kind, medicationCode: String, medicationName: String = "", lotNumber: String?, locationCode: String?,
        locationName: String? = nil, quantity: Int, explanation: Explanation
    ) {
        self.kind = kind
        self.medicationCode = medicationCode
        self.medicationName = medicationName
        self.lotNumber = lotNumber
        self.locationCode = locationCode
        self.locationName = locationName
        self.quantity = quantity
        self.explanation = explanation
    }
}

/// Turns balances and levels into alerts, most urgent first.
public enum StockAlerts {
    /// Days before expiry at which a lot is flagged: the stock page marks a lot by the same bands.
    public static let expiryBands: [(days: Int, kind: StockAlert.Kind)] = [
        (30, .expiringWithin30Days), (60, .expiringWithin60Days), (90, .expiringWithin90Days),
    ]

    /// The band a lot's expiry falls in on `today`, or nil when it is further off.
    public static func expiryBand(_ expiresOn: CalendarDate, today: CalendarDate) -> StockAlert.Kind? {
        if expiresOn < today { return .expiredOnShelf }
        return expiryBands.first { expiresOn <= today.adding(days: $0.days) }?.kind
    }

    public static func evaluate(
        medications: [Medication], stock: [LotStock], levels: [StockLevel],
        locations: [StockLocation.ID: (code: String, name: String)], today: CalendarDate,
        cover: [CoverLine] = [], coverAlertDays: Double = 3
    ) -> [StockAlert] {
        let byId = Dictionary(uniqueKeysWithValues: medications.map { ($0.id, $0) })
        var alerts: [StockAlert] = []
        func alert(_ kind: StockAlert.Kind, _ med: Medication, lot: LotStock? = nil, quantity: Int, _ why: Explanation)
        {
            let location = lot.flatMap { locations[$0.locationId] }
            alerts.append(
                StockAlert(
                    kind: kind, medicationCode: med.code, medicationName: med.displayName, lotNumber: lot?.lotNumber,
                    locationCode: location?.code, locationName: location?.name, quantity: quantity, explanation: why))
        }
        // One alert per lot and shelf: the same lot on two shelves is two things to do.
        for lot in stock where lot.quantity > 0 {
            guard let med = byId[lot.medicationId], let band = expiryBand(lot.expiresOn, today: today) else { continue }
            let values: [String: Explanation.Value] = [
                "lot": .text(lot.lotNumber), "date": .text(lot.expiresOn.description),
                "quantity": .text(String(lot.quantity)), "unit": med.unitExplained,
                "place": .text(locations[lot.locationId]?.name ?? ""),
            ]
            if band == .expiredOnShelf {
                alert(band, med, lot: lot, quantity: lot.quantity, Explanation("stock.expired", values))
            } else {
                let days = expiryBands.first { $0.kind == band }!.days
                alert(
                    band, med, lot: lot, quantity: lot.quantity,
                    Explanation("stock.expiring", values.merging(["days": .text(String(days))]) { a, _ in a }))
            }
        }
        for level in levels {
            guard let med = byId[level.medicationId] else { continue }
            let usable = stock.filter { $0.medicationId == level.medicationId && !$0.isExpired(on: today) }.reduce(0) {
                $0 + $1.quantity
            }
            let values: [String: Explanation.Value] = ["usable": .text(String(usable)), "unit": med.unitExplained]
            if usable < level.minimum {
                alert(
                    .belowMinimum, med, quantity: usable,
                    Explanation(
                        "stock.below_minimum", values.merging(["level": .text(String(level.minimum))]) { a, _ in a }))
            } else if usable < level.reorder {
                alert(
                    .belowReorder, med, quantity: usable,
                    Explanation(
                        "stock.below_reorder", values.merging(["level": .text(String(level.reorder))]) { a, _ in a }))
            }
        }
        for line in cover {
            guard let med = byId[line.medicationId], let days = line.daysOfCover, days < coverAlertDays else {
                continue
            }
            alert(
                .lowCover, med, quantity: line.usableOnHand,
                Explanation(
                    "stock.low_cover",
                    [
                        "usable": .text(String(line.usableOnHand)), "unit": med.unitExplained,
                        "days": .text(CoverLine.format(days)), "daily": .text(String(line.dailyUse)),
                        "limit": .text(CoverLine.format(coverAlertDays)),
                    ]))
        }
        let urgency: [StockAlert.Kind] = [
            .expiredOnShelf, .belowMinimum, .lowCover, .belowReorder, .expiringWithin30Days, .expiringWithin60Days,
            .expiringWithin90Days,
        ]
        return alerts.sorted { urgency.firstIndex(of: $0.kind)! < urgency.firstIndex(of: $1.kind)! }
    }
}
