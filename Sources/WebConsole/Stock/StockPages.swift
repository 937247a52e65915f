import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// Medication stock for pharmacists: what is on which shelf and when it expires, how many days
/// it lasts, the alerts, the four movements a pharmacist records, and a medicine's ledger.
struct StockPages: Sendable {
    let visit: Visit
    let site: Site

    /// The movements with a form, by the path segment that names them.
    enum Movement: String, CaseIterable {
        case receipt, transfer, count
        case writeOff = "write-off"
    }

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        @Sendable func stock(_ visit: Visit, _ context: Context) async throws -> StockPages {
            StockPages(visit: visit, site: try await visit.site(context))
        }
        @Sendable func movement(_ context: Context) throws -> Movement {
            guard let movement = Movement(rawValue: try context.parameters.require("movement")) else {
                throw DomainError.notFound("no such stock movement")
            }
            return movement
        }
        router.get("/console/sites/:site/stock") { request, context in
            try await pages.signedIn(request) { visit in try await stock(visit, context).overview() }
        }
        router.get("/console/sites/:site/stock/ledger") { request, context in
            try await pages.signedIn(request) { visit in try await stock(visit, context).ledger() }
        }
        router.get("/console/sites/:site/stock/:movement") { request, context in
            try await pages.signedIn(request) { visit in
                try await stock(visit, context).movementForm(try movement(context), input: [:], issues: [], status: .ok)
            }
        }
        router.post("/console/sites/:site/stock/:movement") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await stock(visit, context).record(try movement(context), form)
            }
        }
    }

    var base: String { "/console/sites/\(SitePages.pathCode(site))/stock" }
    var words: Catalogue { visit.words }

    // MARK: Overview

    func overview() async throws -> Response {
        let services = visit.services
        let actor = visit.actor
        let lots = try await services.stock.onHand(siteId: site.id, actor: actor)
        let (cover, alerts) = try await services.stockCover.coverAndAlerts(siteId: site.id, actor: actor)
        let (medications, locations) = try await names()
        let today = CalendarDate(Date(), in: site.timeZone)
        let model = StockPage(
            base: base,
            cover: cover.map {
                .init(
                    medication: medications[$0.medicationId]?.displayName ?? $0.medicationCode,
                    code: $0.medicationCode, onHand: $0.usableOnHand, daily: $0.dailyUse,
                    days: $0.daysOfCover.map { String($0) } ?? "—",
                    short: ($0.daysOfCover ?? .infinity) < services.settings.coverAlertDays)
            },
            alerts: StockAlertLine.lines(alerts, words: words, site: site),
            lots: lots.filter { $0.quantity > 0 }.map { lot in
                // The same bands as the alerts: a lot the alerts call near expiry is marked so here.
                let expiry =
                    switch StockAlerts.expiryBand(lot.expiresOn, today: today) {
                    case .expiredOnShelf: "expired"
                    case .expiringWithin30Days: "expiring"
                    case .expiringWithin60Days, .expiringWithin90Days: "watch"
                    default: "fresh"
                    }
                let medication = medications[lot.medicationId]
                let location = locations[lot.locationId]
                return .init(
                    medication: medication?.displayName ?? "?", code: medication?.code ?? "?",
                    location: location?.name ?? "?", locationCode: location?.code ?? "?", lot: lot.lotNumber,
                    expires: lot.expiresOn.description, expiry: expiry, expiryLabel: words["stock_\(expiry)"],
                    quantity: lot.quantity)
            },
            canMove: visit.actor.holds(any: StockService.managers, at: site.id),
            movements: Movement.allCases.map { .init(path: $0.rawValue, label: words["stock_\($0.rawValue)"]) })
        return try await visit.page("stock", title: words["stock_title"], model: model, site: site)
    }

    /// The medicines and the site's shelves, by id, for labels.
    func names() async throws -> ([Medication.ID: Medication], [StockLocation.ID: StockLocation]) {
        let services = visit.services
        let medications = try await services.stock.medications(actor: visit.actor)
        let locations = try await services.stock.locations(siteId: site.id, actor: visit.actor)
        return (
            Dictionary(medications.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
            Dictionary(locations.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        )
    }

    // MARK: Ledger

    /// One medicine's ledger (`?medication=CODE`), newest first, a page at a time.
    func ledger() async throws -> Response {
        let services = visit.services
        let query = visit.request.uri.queryParameters
        let code = query["medication"].map(String.init) ?? ""
        let medication = try await services.stock.medication(code: code, actor: visit.actor)
        let after = query["after"].flatMap { Int64(String($0)) }
        let page = try await services.stock.ledger(
            siteId: site.id, medicationId: medication.id, page: PageRequest(afterId: after, limit: 100),
            actor: visit.actor)
        var model = LedgerPage(
            base: base, medication: medication.code,
            entries: page.items.map { entry in
                .init(
                    at: LocalTimeText.dayAndTime(entry.occurredAt, site.timeZone),
                    kind: words["ledger_\(entry.kind.rawValue)"], lot: entry.lotNumber, location: entry.locationCode,
                    change: entry.quantityChange > 0 ? "+\(entry.quantityChange)" : String(entry.quantityChange),
                    balance: entry.balanceAfter, reason: entry.reason, by: words.word("actor", entry.actorName))
            })
        if page.nextCursor != nil, let last = page.items.last {
            model.next = "\(base)/ledger?medication=\(medication.code)&after=\(last.id)"
        }
        return try await visit.page(
            "stock-ledger", title: "\(words["stock_ledger"]) · \(medication.code)", model: model, site: site)
    }

    // MARK: Movements

    func movementForm(_ movement: Movement, input: [String: String], issues: [FieldIssue], status: HTTPResponse.Status)
        async throws -> Response
    {
        try visit.actor.require(StockService.managers, at: site.id)
        let services = visit.services
        let (medications, locations) = try await names()
        let shelves = locations.values.sorted { $0.code < $1.code }
        let lots =
            movement == .count || movement == .writeOff
            ? try await services.stock.onHand(siteId: site.id, actor: visit.actor).filter { $0.quantity > 0 } : []
        let model = StockMovementPage(
            base: base, movement: movement.rawValue, form: FormEcho(input: input, issues: issues),
            receipt: movement == .receipt, transfer: movement == .transfer, count: movement == .count,
            writeoff: movement == .writeOff,
            medications: Choices.of(
                medications.values.sorted { $0.code < $1.code }, selected: input["medicationId"],
                value: { String($0.id.rawValue) }, label: { "\($0.code) · \($0.genericName) \($0.strength)" }),
            locations: Choices.of(
                shelves, selected: input["locationId"], value: { String($0.id.rawValue) },
                label: { "\($0.code) · \($0.name)" }),
            targets: Choices.of(
                shelves, selected: input["toLocationId"], value: { String($0.id.rawValue) },
                label: { "\($0.code) · \($0.name)" }),
            lots: Choices.of(
                lots, selected: input["lot"], value: { "\($0.locationId.rawValue):\($0.lotId)" },
                label: {
                    "\(medications[$0.medicationId]?.code ?? "?") · \($0.lotNumber) · \(locations[$0.locationId]?.code ?? "?") · \($0.quantity) (\($0.expiresOn))"
                }))
        return try await visit.page(
            "stock-movement", title: words["stock_\(movement.rawValue)"], model: model, site: site, status: status)
    }

    func record(_ movement: Movement, _ form: Form) async throws -> Response {
        try await visit.attempt {
            let stock = visit.services.stock
            let actor = visit.actor
            switch movement {
            case .receipt: _ = try await stock.receive(siteId: site.id, try StockForms.receipt(form), actor: actor)
            case .transfer: _ = try await stock.transfer(siteId: site.id, try StockForms.transfer(form), actor: actor)
            case .count: _ = try await stock.count(siteId: site.id, try StockForms.count(form), actor: actor)
            case .writeOff: _ = try await stock.writeOff(siteId: site.id, try StockForms.writeOff(form), actor: actor)
            }
            return WebConsole.redirect(to: base)
        } orShow: { issues, status in
            try await movementForm(movement, input: form.fields, issues: issues, status: status)
        }
    }
}

/// The site's stock: days of cover, alerts, and lots on each shelf coloured by expiry.
struct StockPage: PageModel {
    struct Cover: Sendable {
        var medication: String
        var code: String
        var onHand: Int
        var daily: Int
        var days: String
        var short: Bool
    }
    struct Lot: Sendable {
        var medication: String
        var code: String
        var location: String
        var locationCode: String
        var lot: String
        var expires: String
        /// `expired`, `expiring` (30 days), `watch` (90 days) or `fresh`.
        var expiry: String
        var expiryLabel: String
        var quantity: Int
    }
    struct MovementLink: Sendable {
        var path: String
        var label: String
    }
    var base: String
    var cover: [Cover]
    var alerts: [StockAlertLine]
    var lots: [Lot]
    var canMove: Bool
    var movements: [MovementLink]
}

/// One medicine's ledger, newest first.
struct LedgerPage: PageModel {
    struct Entry: Sendable {
        var at: String
        var kind: String
        var lot: String
        var location: String
        var change: String
        var balance: Int
        var reason: String
        var by: String
    }
    var base: String
    var medication: String
    var entries: [Entry]
    var next: String?
}

/// The form for one stock movement (a receipt, transfer, count or write-off).
struct StockMovementPage: PageModel {
    var base: String
    var movement: String
    var form: FormEcho
    // Which movement this is, for the fields the template shows.
    var receipt: Bool
    var transfer: Bool
    var count: Bool
    var writeoff: Bool
    var medications: [Choice]
    var locations: [Choice]
    var targets: [Choice]
    var lots: [Choice]
}
