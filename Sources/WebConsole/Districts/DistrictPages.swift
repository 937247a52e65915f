import Domain
import Foundation
import Hummingbird
import Services

/// The district command's board: each site of the district on one line (free beds by sex and
/// mark, buses expected, today's movements, what is overdue), each a link to the site's board.
struct DistrictPages: Sendable {
    let visit: Visit

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        router.get("/console/districts") { request, _ in
            try await pages.signedIn(request) { visit in try await DistrictPages(visit: visit).list() }
        }
        router.get("/console/districts/:district") { request, context in
            try await pages.signedIn(request) { visit in
                try await DistrictPages(visit: visit).board(District.ID(try PathID.positive(context, "district")))
            }
        }
    }

    /// The districts the person commands; straight to the board when there is one.
    func list() async throws -> Response {
        let districts = try await visit.services.districts.districts(actor: visit.actor)
        if districts.count == 1 { return WebConsole.redirect(to: "/console/districts/\(districts[0].id.rawValue)") }
        let model = DistrictList(districts: districts.map { .init(id: $0.id.rawValue, name: $0.name) })
        return try await visit.page("districts", title: visit.words["district_title"], model: model)
    }

    func board(_ id: District.ID) async throws -> Response {
        let board = try await visit.services.districts.board(districtId: id, actor: visit.actor)
        let words = visit.words
        // Each site's times in its own zone, as its board shows them.
        let zones = Dictionary(
            try await visit.services.sites.list(actor: visit.actor, page: PageRequest(limit: 500)).items.map {
                ($0.id, $0.timeZone)
            }, uniquingKeysWith: { a, _ in a })
        let lines = board.sites.map { site in
            let zone = zones[site.siteId] ?? .current
            return DistrictBoardPage.SiteLine(
                code: site.code, path: site.code.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "",
                name: site.name, status: words["site_status_\(site.status.rawValue)"], beds: site.beds,
                expected: site.expectedArrivals,
                nextArrival: site.nextArrivalAt.map { LocalTimeText.dayAndTime($0, zone) } ?? "—",
                admittedToday: site.admittedToday, dischargedToday: site.dischargedToday, inCare: site.inCare,
                eligible: site.eligibleForRelease, overdue: site.overdueReferrals, stockAlerts: site.stockAlerts,
                rosterGaps: site.rosterGaps, release: site.release,
                attention: site.overdueReferrals + site.stockAlerts + site.rosterGaps + site.release.committeesOverdue
                    > 0)
        }
        let free = board.sites.reduce(0) { $0 + $1.beds.free }
        let expected = board.sites.reduce(0) { $0 + $1.expectedArrivals }
        let model = DistrictBoardPage(
            sites: lines, free: free, expected: expected,
            releasedToday: board.sites.reduce(0) { $0 + $1.release.releasedToday },
            committeesOverdue: board.sites.reduce(0) { $0 + $1.release.committeesOverdue },
            generated: LocalTimeText.dayAndTime(board.generatedAt, zones.values.first ?? .current))
        return try await visit.page(
            "district", title: words["district_title"], named: board.district.name, model: model,
            refreshSeconds: 60)
    }
}

/// The districts a commander holds.
struct DistrictList: PageModel {
    struct Row: Sendable {
        var id: Int64
        var name: String
    }
    var districts: [Row]
}

/// One district's sites side by side.
struct DistrictBoardPage: PageModel {
    struct SiteLine: Sendable {
        var code: String
        var path: String
        var name: String
        var status: String
        var beds: BedAvailability
        var expected: Int
        var nextArrival: String
        var admittedToday: Int
        var dischargedToday: Int
        var inCare: Int
        var eligible: Int
        var overdue: Int
        var stockAlerts: Int
        var rosterGaps: Int
        var release: ReleaseFigures
        /// Something at the site is overdue or short.
        var attention: Bool
    }
    var sites: [SiteLine]
    var free: Int
    var expected: Int
    var releasedToday: Int
    /// Committees that have not answered in time, over every site: escalated.
    var committeesOverdue: Int
    var generated: String
}
