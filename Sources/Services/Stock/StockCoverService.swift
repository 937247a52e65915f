import Domain
import Foundation
import Storage

/// Days of cover and stock alerts: the stock on a site's shelves in the light of its medication
/// orders. It reads the records of both; Stock and Care each keep to their own, and Care's
/// worklist asks this for its alerts within its own snapshot.
public struct StockCoverService: Sendable {
    let database: Database
    /// Cover below this many days raises an alert (`STOCK_COVER_ALERT_DAYS`).
    let coverAlertDays: Double

    /// Expired stock on the shelf, lots expiring within 30/60/90 days, medicines below their
    /// levels, and medicines whose cover at the current orders is short.
    public func alerts(siteId: Site.ID, today: CalendarDate? = nil, actor: Actor) async throws -> [StockAlert] {
        try actor.require(StockService.readers, at: siteId)
        return try await database.read(actor) { tx in try await alerts(siteId: siteId, today: today, tx) }
    }

    /// Days of cover per medicine: usable stock on the site's shelves over the daily use of the
    /// active medication orders.
    public func cover(siteId: Site.ID, today: CalendarDate? = nil, actor: Actor) async throws -> [CoverLine] {
        try actor.require(StockService.readers, at: siteId)
        return try await database.read(actor) { tx in try await cover(siteId: siteId, today: today, tx).lines }
    }

    /// Both at once, from one read of the shelves and the catalogue: what a page or the metrics
    /// timer showing both asks for.
    public func coverAndAlerts(siteId: Site.ID, today: CalendarDate? = nil, actor: Actor) async throws -> (
        cover: [CoverLine], alerts: [StockAlert]
    ) {
        try actor.require(StockService.readers, at: siteId)
        return try await database.read(actor) { tx in try await coverAndAlerts(siteId: siteId, today: today, tx) }
    }

    /// The alerts, read in `tx`.
    func alerts(siteId: Site.ID, today: CalendarDate?, _ tx: Transaction) async throws -> [StockAlert] {
        try await coverAndAlerts(siteId: siteId, today: today, tx).alerts
    }

    /// The cover and the alerts, read in `tx`: the shelves and the catalogue once for both.
    func coverAndAlerts(siteId: Site.ID, today: CalendarDate?, _ tx: Transaction) async throws -> (
        cover: [CoverLine], alerts: [StockAlert]
    ) {
        let day = try await day(siteId: siteId, today: today, tx)
        let shelves = SiteShelves(
            stock: try await tx.stock.stock(siteId: siteId), levels: try await tx.stock.levels(siteId: siteId),
            locations: try await tx.stock.locations(siteId: siteId))
        return evaluate(
            shelves, orders: try await tx.care.medicationOrderShapes(siteId: siteId, on: day),
            medications: try await tx.stock.medications(), day: day)
    }

    /// The number of alerts of each site on its own day, read for all of them at once: the
    /// district board's column, in four reads whatever the number of sites.
    func alertCounts(days: [Site.ID: CalendarDate], _ tx: Transaction) async throws -> [Site.ID: Int] {
        let shelves = try await tx.stock.shelves(siteIds: Array(days.keys))
        let orders = try await tx.care.medicationOrderShapes(days: days)
        let medications = try await tx.stock.medications()
        return days.reduce(into: [:]) { counts, entry in
            counts[entry.key] =
                evaluate(
                    shelves[entry.key] ?? SiteShelves(), orders: orders[entry.key] ?? [], medications: medications,
                    day: entry.value
                ).alerts.count
        }
    }

    /// Cover and alerts from what was read: one rule for one site or many.
    private func evaluate(
        _ shelves: SiteShelves, orders: [OrderShapeCount], medications: [Medication], day: CalendarDate
    ) -> (cover: [CoverLine], alerts: [StockAlert]) {
        let cover = Self.coverLines(day: day, stock: shelves.stock, orders: orders, medications: medications)
        let alerts = StockAlerts.evaluate(
            medications: medications, stock: shelves.stock, levels: shelves.levels,
            locations: Dictionary(
                uniqueKeysWithValues: shelves.locations.map { ($0.id, (code: $0.code, name: $0.name)) }),
            today: day, cover: cover, coverAlertDays: coverAlertDays)
        return (cover, alerts)
    }

    func cover(siteId: Site.ID, today: CalendarDate?, _ tx: Transaction) async throws -> (
        day: CalendarDate, lines: [CoverLine]
    ) {
        let day = try await day(siteId: siteId, today: today, tx)
        let lines = Self.coverLines(
            day: day, stock: try await tx.stock.stock(siteId: siteId),
            orders: try await tx.care.medicationOrderShapes(siteId: siteId, on: day),
            medications: try await tx.stock.medications())
        return (day, lines)
    }

    /// `today` when the caller knows it, else today where the site is.
    private func day(siteId: Site.ID, today: CalendarDate?, _ tx: Transaction) async throws -> CalendarDate {
        if let today { return today }
        return try await tx.site(siteId).today
    }

    /// Usable stock of `day` over the daily use of the active medication orders, per medicine.
    private static func coverLines(
        day: CalendarDate, stock: [LotStock], orders: [OrderShapeCount], medications: [Medication]
    ) -> [CoverLine] {
        let usable = Dictionary(grouping: stock.filter { !$0.isExpired(on: day) }, by: \.medicationId)
            .mapValues { $0.reduce(0) { $0 + $1.quantity } }
        let use = Dictionary(grouping: orders, by: \.medicationId).mapValues { $0.reduce(0) { $0 + $1.dailyUnits } }
        return
            medications
            .filter { usable[$0.id] != nil || use[$0.id] != nil }
            .map {
                CoverLine(
                    medicationId: $0.id, medicationCode: $0.code, usableOnHand: usable[$0.id] ?? 0,
                    dailyUse: use[$0.id] ?? 0)
            }
    }
}
