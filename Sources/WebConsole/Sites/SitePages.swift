import Domain
import Foundation
import Hummingbird
import Services

/// The list of a person's sites and each site's board, the landing page of a site.
struct SitePages: Sendable {
    let visit: Visit

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        router.get("/console/sites/:site") { request, context in
            try await pages.signedIn(request) { visit in
                try await SitePages(visit: visit).board(try await visit.site(context))
            }
        }
    }

    /// Every site the person may see; straight to the board when there is only one.
    func siteList() async throws -> Response {
        // The district command starts at its district's board, as a manager starts at a site's.
        if !visit.actor.grants.isEmpty, visit.actor.grants.allSatisfy({ $0.role == .districtCommander }) {
            return WebConsole.redirect(to: "/console/districts")
        }
        let sites = try await visit.services.sites.list(actor: visit.actor, page: PageRequest(limit: 500)).items
        if sites.count == 1 { return WebConsole.redirect(to: Navigation.landing(for: visit.actor, at: sites[0])) }
        let rows = sites.map {
            SiteList.Row(
                code: $0.code, landing: Navigation.landing(for: visit.actor, at: $0), name: $0.name,
                district: $0.district)
        }
        return try await visit.page("sites", title: visit.words["sites_title"], model: SiteList(sites: rows))
    }

    static func pathCode(_ site: Site) -> String {
        site.code.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? site.code
    }

    /// The board: beds by zone, occupancy, movements, release, and what needs doing today.
    func board(_ site: Site) async throws -> Response {
        let actor = visit.actor
        let services = visit.services
        let census = try await services.census.census(siteId: site.id, actor: actor)
        let beds = try await allBeds(site)
        let zones = try await services.sites.zones(siteId: site.id, actor: actor)
        let words = visit.words
        let zoneRows = zones.map { zone in
            let counts = census.bedsByZone.first { $0.zoneId == zone.id }?.beds ?? BedCounts()
            let zoneBeds = beds.filter { $0.zoneId == zone.id }
            return Board.Zone(
                code: zone.code, name: zone.name, kind: words["zone_\(zone.kind.rawValue)"], free: counts.free,
                total: counts.total, occupancy: counts.total == 0 ? 0 : counts.occupied * 100 / counts.total,
                beds: zoneBeds.map {
                    Board.BedTile(code: $0.code, status: $0.status.rawValue, label: words["bed_\($0.status.rawValue)"])
                },
                hasBeds: !zoneBeds.isEmpty)
        }
        var board = Board(
            site: Board.SitePath(name: site.name, code: site.code, path: Self.pathCode(site)), zones: zoneRows,
            totals: census.totals, admitted: census.admittedPatients,
            chart: MovementChart(days: census.days, words: words).svg,
            eligible: census.eligibleForDischarge.map {
                Board.Eligible(id: $0.patientId.rawValue, name: $0.name, bed: $0.bedCode ?? "—")
            },
            hasEligible: !census.eligibleForDischarge.isEmpty, eligibleCount: census.eligibleForDischargeCount,
            eligibleMore: census.eligibleForDischargeCount > census.eligibleForDischarge.count)
        // Each section below is shown only to the roles that may read it.
        if let alerts = try await readable({ try await services.stockCover.alerts(siteId: site.id, actor: actor) }) {
            board.stock = Board.Stock(alerts: StockAlertLine.lines(alerts, words: words, site: site))
        }
        if let overdue = try await readable({ try await services.referrals.overdue(actor: actor) }) {
            board.referrals = Board.Referrals(
                overdue: overdue.filter { $0.siteId == site.id }.map {
                    Board.Overdue(
                        id: $0.referralId.rawValue, patient: $0.patientName, step: words["step_\($0.step.rawValue)"],
                        stepKey: $0.step.rawValue,
                        late: $0.minutesLate)
                })
        }
        if let lines = try await readable({ try await services.roster.coverage(siteId: site.id, days: 3, actor: actor) }
        ) {
            board.roster = Board.Roster(
                gaps: lines.filter { $0.gap > 0 }.map {
                    Board.Gap(
                        zone: $0.zoneCode, label: $0.label,
                        starts: LocalTimeText.dayAndTime($0.startsAt, site.timeZone),
                        gap: $0.gap)
                })
        }
        if let tasks = try await readable({ try await services.branch.tasks(siteId: site.id, actor: actor) }) {
            board.branch = Board.Branch(
                tasks: tasks.filter { $0.status == .open || $0.status == .inProgress }.map {
                    Board.Task(title: $0.title, place: $0.place)
                })
        }
        if let round = try await readable({ try await services.swabs.round(siteId: site.id, actor: actor) }) {
            board.swabs = Board.Swabs(
                made: !round.zones.isEmpty, tally: .init(round.total),
                path: "/console/sites/\(Self.pathCode(site))/swabs",
                oldestAwaiting: round.oldestAwaitingSince.map { LocalTimeText.dayAndTime($0, site.timeZone) } ?? "",
                hasAwaiting: round.oldestAwaitingSince != nil)
        }
        if let watch = try await readable({ try await services.labResults.watch(siteId: site.id, actor: actor) }) {
            board.results = Board.Results(
                path: "/console/sites/\(Self.pathCode(site))/results", waiting: watch.waitingForReview,
                repositive: watch.repositive.map {
                    .init(
                        id: $0.patientId.rawValue, name: $0.name, bed: $0.bedCode ?? "",
                        since: LocalTimeText.dayAndTime($0.since, site.timeZone))
                }, hasRepositive: !watch.repositive.isEmpty)
        }
        board.strip = try await strip(site, board)
        board.hasStrip = !board.strip.isEmpty
        return try await visit.page(
            "board", title: words["board_title"], named: site.name, model: board, site: site, refreshSeconds: 60)
    }

    /// What needs doing first, above the beds: overdue referrals, stock alerts, buses on their way
    /// and the people on them without a bed, each a link to where it is dealt with.
    func strip(_ site: Site, _ board: Board) async throws -> [Board.StripItem] {
        let words = visit.words
        let base = "/console/sites/\(Self.pathCode(site))"
        var items: [Board.StripItem] = []
        for late in board.referrals?.overdue ?? [] {
            items.append(
                .init(
                    text: words.explainMarked(
                        Explanation(
                            "board.strip_referral",
                            [
                                "patient": .text(late.patient),
                                "step": .word(key: "step_\(late.stepKey)", fallback: late.stepKey),
                                "minutes": .text(String(late.late)),
                            ])),
                    link: "\(base)/referrals/\(late.id)", level: "bad"))
        }
        if let alerts = board.stock?.alerts, !alerts.isEmpty {
            items.append(
                .init(
                    text: words.explainMarked(
                        Explanation("board.strip_stock", ["count": .text(String(alerts.count))])),
                    link: "\(base)/stock", level: "bad"))
        }
        if let batches = try await readable({
            try await visit.services.intake.batches(siteId: site.id, open: true, actor: visit.actor)
        }) {
            for batch in batches where batch.expected > 0 {
                let path = "\(base)/intake/\(batch.id.rawValue)"
                items.append(
                    .init(
                        text: words.explainMarked(
                            Explanation(
                                "board.strip_bus",
                                [
                                    "bus": .text(batch.reference), "count": .text(String(batch.expected)),
                                    "time": .time(batch.expectedAt),
                                ]), in: site.timeZone),
                        link: path, level: "info"))
                let unplaced = batch.expected - batch.proposed
                if unplaced > 0 {
                    items.append(
                        .init(
                            text: words.explainMarked(
                                Explanation(
                                    "board.strip_unplaced",
                                    ["bus": .text(batch.reference), "count": .text(String(unplaced))])),
                            link: path + "#unplaced", level: "bad"))
                }
            }
        }
        if let overdue = try await readable({
            try await visit.services.committeeNotices.overdueCount(siteId: site.id, actor: visit.actor)
        }), overdue > 0 {
            items.append(
                .init(
                    text: HTML.escape(
                        words["notice_overdue_board"].replacingOccurrences(of: "{count}", with: String(overdue))),
                    link: "\(base)/release#notices-heading", level: "bad"))
        }
        // A deteriorating patient leads the board, emergencies first: each links to the patient.
        for view in try await readable({ try await visit.services.alerts.alerts(siteId: site.id, actor: visit.actor) })
            ?? []
        {
            let a = view.alert
            let text = words[view.escalated ? "alert_board_escalated" : "alert_board_\(a.level.rawValue)"]
                .replacingOccurrences(of: "{score}", with: String(a.score))
            items.append(
                .init(
                    text: HTML.escape(text) + " <span translate=\"no\">" + HTML.escape(a.patientName)
                        + (a.bedCode.map { " (" + HTML.escape($0) + ")" } ?? "") + "</span>",
                    link: "\(base)/patients/\(a.patientId.rawValue)", level: "bad"))
        }
        if let swabs = board.swabs, !swabs.made, board.admitted > 0 {
            items.append(
                .init(text: HTML.escape(words["board.strip_no_round"]), link: swabs.path, level: "info"))
        }
        return items
    }

    /// Every bed of the site, page by page (a site has hundreds, not millions).
    func allBeds(_ site: Site) async throws -> [Bed] {
        var beds: [Bed] = []
        var after: Int64?
        repeat {
            let page = try await visit.services.beds.list(
                siteId: site.id, zoneId: nil, status: nil, page: PageRequest(afterId: after, limit: 500),
                actor: visit.actor)
            beds += page.items
            after = page.nextCursor == nil ? nil : beds.last?.id.rawValue
        } while after != nil
        return beds
    }

    /// A section's data, or nil when the person's role may not read it or the site has no such
    /// thing (a site without a Party branch): the section is not shown.
    func readable<T>(_ read: () async throws -> T) async throws -> T? {
        do {
            return try await read()
        } catch DomainError.forbidden {
            return nil
        } catch DomainError.notFound {
            return nil
        }
    }
}

/// Times as the site's staff read them: in the site's zone, day and 24-hour clock.
enum LocalTimeText {
    static func dayAndTime(_ date: Date, _ timeZone: TimeZone) -> String {
        let format = Date.VerbatimFormatStyle(
            format:
                "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
            timeZone: timeZone, calendar: Calendar(identifier: .gregorian))
        return date.formatted(format)
    }

    /// The value a `datetime-local` field shows: `2022-04-20T08:30` where the site is.
    static func formField(_ date: Date, _ timeZone: TimeZone) -> String {
        dayAndTime(date, timeZone).replacingOccurrences(of: " ", with: "T")
    }
}

/// The sites a person may see.
struct SiteList: PageModel {
    struct Row: Sendable {
        var code: String
        var landing: String
        var name: String
        var district: String
    }
    var sites: [Row]
}

/// A site's board: beds by zone, movements, release, and the sections a role may read.
struct Board: PageModel {
    struct SitePath: Sendable {
        var name: String
        var code: String
        /// The code as it stands in a path.
        var path: String
    }
    struct Zone: Sendable {
        var code: String
        var name: String
        var kind: String
        var free: Int
        var total: Int
        var occupancy: Int
        var beds: [BedTile]
        var hasBeds: Bool
    }
    struct BedTile: Sendable {
        var code: String
        var status: String
        var label: String
    }
    struct Eligible: Sendable {
        var id: Int64
        var name: String
        var bed: String
    }
    struct Stock: Sendable { var alerts: [StockAlertLine] }
    struct Referrals: Sendable { var overdue: [Overdue] }
    struct Overdue: Sendable {
        var id: Int64
        var patient: String
        var step: String
        var stepKey: String
        var late: Int
    }
    struct Roster: Sendable { var gaps: [Gap] }
    struct Gap: Sendable {
        var zone: String
        var label: String
        var starts: String
        var gap: Int
    }
    struct Branch: Sendable { var tasks: [Task] }
    struct Task: Sendable {
        var title: String
        var place: String
    }

    var site: SitePath
    var zones: [Zone]
    var totals: BedCounts
    var admitted: Int
    /// SVG the console drew.
    var chart: String
    var eligible: [Eligible]
    var hasEligible: Bool
    var eligibleCount: Int
    var eligibleMore: Bool
    /// The alert strip at the top: each an HTML sentence and where to act on it.
    struct StripItem: Sendable {
        var text: String
        var link: String
        /// `bad` for what is late or short, `info` for what is coming.
        var level: String
    }
    var strip: [StripItem] = []
    var hasStrip = false
    var stock: Stock?
    var referrals: Referrals?
    var roster: Roster?
    var branch: Branch?
    var swabs: Swabs?
    var results: Results?
    /// The laboratories' results, for the roles that read them.
    struct Results: Sendable {
        struct Patient: Sendable {
            var id: Int64
            var name: String
            var bed: String
            var since: String
        }
        var path: String
        var waiting: Int
        /// Patients positive again after clear tests: their release clock started again.
        var repositive: [Patient]
        var hasRepositive: Bool
    }
    /// Today's swab round, for the roles that swab.
    struct Swabs: Sendable {
        var made: Bool
        var tally: SwabRoundPage.Tally
        var path: String
        /// When the box of the oldest tube still waiting for a result was sent.
        var oldestAwaiting: String
        var hasAwaiting: Bool
    }
}
