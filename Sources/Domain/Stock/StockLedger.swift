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
    public var lotNumber: String?
    public var locationCode: String?
    public var quantity: Int
    public var detail: String

    public init(
        kind: Kind, medicationCode: String, lotNumber: String?, locationCode: String?, quantity: Int, detail: String
    ) {
        self.kind = kind
        self.medicationCode = medicationCode
        self.lotNumber = lotNumber
        self.locationCode = locationCode
        self.quantity = quantity
        self.detail = detail
    }
}

/// Turns balances and levels into alerts, most urgent first.
public enum StockAlerts {
    public static func evaluate(
        medications: [Medication], stock: [LotStock], levels: [StockLevel],
        locationCodes: [StockLocation.ID: String], today: CalendarDate,
        cover: [CoverLine] = [], coverAlertDays: Double = 3
    ) -> [StockAlert] {
        let byId = Dictionary(uniqueKeysWithValues: medications.map { ($0.id, $0) })
        var alerts: [StockAlert] = []
        for lot in stock where lot.quantity > 0 {
            guard let med = byId[lot.medicationId] else { continue }
            let location = locationCodes[lot.locationId]
            if lot.isExpired(on: today) {
                alerts.append(
                    StockAlert(
                        kind: .expiredOnShelf, medicationCode: med.code, lotNumber: lot.lotNumber,
                        locationCode: location,
                        quantity: lot.quantity,
                        detail: "expired \(lot.expiresOn); remove it from the shelf and write it off"))
                continue
            }
            for (days, kind) in [
                (30, StockAlert.Kind.expiringWithin30Days), (60, .expiringWithin60Days), (90, .expiringWithin90Days),
            ]
            where lot.expiresOn <= today.adding(days: days) {
                alerts.append(
                    StockAlert(
                        kind: kind, medicationCode: med.code, lotNumber: lot.lotNumber, locationCode: location,
                        quantity: lot.quantity, detail: "expires \(lot.expiresOn), within \(days) days"))
                break
            }
        }
        for level in levels {
            guard let med = byId[level.medicationId] else { continue }
            let usable = stock.filter { $0.medicationId == level.medicationId && !$0.isExpired(on: today) }.reduce(0) {
                $0 + $1.quantity
            }
            if usable < level.minimum {
                alerts.append(
                    StockAlert(
                        kind: .belowMinimum, medicationCode: med.code, lotNumber: nil, locationCode: nil,
                        quantity: usable,
                        detail: "\(usable) \(med.unitOfIssue) usable, below the minimum of \(level.minimum)"))
            } else if usable < level.reorder {
                alerts.append(
                    StockAlert(
                        kind: .belowReorder, medicationCode: med.code, lotNumber: nil, locationCode: nil,
                        quantity: usable,
                        detail: "\(usable) \(med.unitOfIssue) usable, below the reorder level of \(level.reorder)"))
            }
        }
        for line in cover {
            if let days = line.daysOfCover, days < coverAlertDays {
                alerts.append(
                    StockAlert(
                        kind: .lowCover, medicationCode: line.medicationCode, lotNumber: nil, locationCode: nil,
                        quantity: line.usableOnHand,
                        detail:
                            "\(line.usableOnHand) units cover \(CoverLine.format(days)) days of current orders (\(line.dailyUse) a day); below \(CoverLine.format(coverAlertDays)) days"
                    ))
            }
        }
        let urgency: [StockAlert.Kind] = [
            .expiredOnShelf, .belowMinimum, .lowCover, .belowReorder, .expiringWithin30Days, .expiringWithin60Days,
            .expiringWithin90Days,
        ]
        return alerts.sorted { urgency.firstIndex(of: $0.kind)! < urgency.firstIndex(of: $1.kind)! }
    }
}
