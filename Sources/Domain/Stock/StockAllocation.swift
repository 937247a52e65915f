import Foundation

/// The stock of one lot at one location.
public struct LotStock: Sendable, Codable, Equatable {
    public var lotId: Int64
    public var lotNumber: String
    public var medicationId: Medication.ID
    public var locationId: StockLocation.ID
    public var expiresOn: CalendarDate
    public var quantity: Int

    public init(
        lotId: Int64, lotNumber: String, medicationId: Medication.ID, locationId: StockLocation.ID,
        expiresOn: CalendarDate, quantity: Int
    ) {
        self.lotId = lotId
        self.lotNumber = lotNumber
        self.medicationId = medicationId
        self.locationId = locationId
        self.expiresOn = expiresOn
        self.quantity = quantity
    }

    /// A lot is usable through its expiry date and expired from the day after.
    public func isExpired(on today: CalendarDate) -> Bool { expiresOn < today }
}

/// How much to take from which lot.
public struct Allocation: Sendable, Codable, Equatable {
    public var lotId: Int64
    public var lotNumber: String
    public var quantity: Int

    public init(lotId: Int64, lotNumber: String, quantity: Int) {
        self.lotId = lotId
        self.lotNumber = lotNumber
        self.quantity = quantity
    }
}

/// First-expiry-first-out picking. Expired lots are never issued; lots expiring within the
/// margin are issued only when a person overrides, with a reason.
public struct FEFOPicker: Sendable {
    /// Lots expiring within this many days of today are held back unless overridden.
    public var marginDays: Int

    public init(marginDays: Int = 7) { self.marginDays = marginDays }

    /// Picks `quantity` units from `stock` (one medication at one location).
    ///
    /// - Parameter overrideReason: why short-dated lots may be used; nil keeps them back.
    public func allocate(
        _ quantity: Int, from stock: [LotStock], today: CalendarDate, overrideReason: String?,
        unit: String = "units"
    ) throws -> [Allocation] {
        guard quantity > 0 else { throw DomainError.invalid("quantity", "must be at least 1") }
        let ordered = stock.filter { $0.quantity > 0 }.sorted { ($0.expiresOn, $0.lotId) < ($1.expiresOn, $1.lotId) }
        let marginEnd = today.adding(days: marginDays)
        let allowShortDated = !(overrideReason ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        var remaining = quantity
        var picks: [Allocation] = []
        var heldBack = 0
        var expired = 0
        for lot in ordered {
            if lot.isExpired(on: today) {
                expired += lot.quantity
                continue
            }
            if lot.expiresOn < marginEnd && !allowShortDated {
                heldBack += lot.quantity
                continue
            }
            guard remaining > 0 else { break }
            let take = min(remaining, lot.quantity)
            picks.append(Allocation(lotId: lot.lotId, lotNumber: lot.lotNumber, quantity: take))
            remaining -= take
        }
        if remaining > 0 {
            var detail = "only \(quantity - remaining) \(unit) can be issued here, \(quantity) asked"
            if heldBack > 0 {
                detail += "; \(heldBack) more expire within \(marginDays) days and need an override with a reason"
            }
            if expired > 0 { detail += "; \(expired) expired \(unit) are on the shelf and are never issued" }
            throw DomainError.conflict(detail, field: "quantity")
        }
        return picks
    }
}

extension CalendarDate {
    /// The date `days` later (or earlier, when negative).
    public func adding(days: Int) -> CalendarDate {
        var y = year
        var m = month
        var d = day + days
        while d > Self.daysIn(month: m, year: y) {
            d -= Self.daysIn(month: m, year: y)
            m += 1
            if m > 12 {
                m = 1
                y += 1
            }
        }
        while d < 1 {
            m -= 1
            if m < 1 {
                m = 12
                y -= 1
            }
            d += Self.daysIn(month: m, year: y)
        }
        return CalendarDate(year: y, month: m, day: d)
    }
}
