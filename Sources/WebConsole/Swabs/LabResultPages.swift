import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// Results from laboratories at a site: the review queue, where a clinician matches a waiting
/// result to a tube or rejects it, and a laboratory's spreadsheet brought in by hand.
struct LabResultPages: Sendable {
    let visit: Visit
    let site: Site

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        router.get("/console/sites/:site/results") { request, context in
            try await pages.signedIn(request) { visit in
                try await LabResultPages(visit: visit, site: try await visit.site(context)).queue()
            }
        }
        router.post("/console/sites/:site/results/import") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await LabResultPages(visit: visit, site: try await visit.site(context)).importFile(form)
            }
        }
        for decision in ["match", "reject"] {
            router.post("/console/sites/:site/results/:review/\(decision)") { request, context in
                try await pages.signedInForm(request) { visit, form in
                    try await LabResultPages(visit: visit, site: try await visit.site(context)).decide(
                        ResultReview.ID(rawValue: try PathID.positive(context, "review")), match: decision == "match",
                        form)
                }
            }
        }
    }

    var base: String { "/console/sites/\(SitePages.pathCode(site))/results" }
    var words: Catalogue { visit.words }

    /// The queue, oldest first, with the import form; `summary` is what a file just did.
    func queue(
        notices: [String] = [], summary: LabResultsPage.Summary? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (waiting, total) = try await visit.services.labResults.waiting(siteId: site.id, actor: visit.actor)
        let labs = try await visit.services.laboratories.list(actor: visit.actor)
        let model = LabResultsPage(
            notices: notices, hasNotices: !notices.isEmpty, summary: summary,
            total: total, hasWaiting: !waiting.isEmpty, hasMore: total > waiting.count,
            more: total > waiting.count
                ? words["result_more"].replacingOccurrences(of: "{shown}", with: String(waiting.count))
                    .replacingOccurrences(of: "{total}", with: String(total)) : "",
            canDecide: visit.actor.holds(any: LabResultService.reviewers, at: site.id),
            waiting: waiting.map { review in
                .init(
                    received: LocalTimeText.dayAndTime(review.receivedAt, site.timeZone),
                    laboratory: review.laboratory.code, place: place(review.place), form: review.form.rawValue,
                    accession: review.receivedAccession,
                    result: review.result.map { words["result_\($0.rawValue)"] } ?? "—",
                    cts: [review.nGeneCt, review.orf1abCt].map { $0.map { String($0) } ?? "—" }.joined(
                        separator: " / "),
                    reason: words["result_reason_\(review.reason.rawValue)"], detail: review.detail,
                    matchPath: "\(base)/\(review.id)/match", rejectPath: "\(base)/\(review.id)/reject",
                    canMatch: review.result != nil, id: review.id.rawValue)
            },
            laboratories: labs.map { Choice(value: $0.code, label: "\($0.name) (\($0.code))", selected: false) },
            hasLaboratories: !labs.isEmpty, importPath: "\(base)/import")
        return try await visit.page(
            "lab-results", title: words["result_title"], model: model, site: site, status: status)
    }

    /// "line 14" as the visitor reads it.
    private func place(_ place: String) -> String {
        guard place.hasPrefix("line "), let n = Int(place.dropFirst(5)) else { return place }
        return words["result_line"].replacingOccurrences(of: "{n}", with: String(n))
    }

    /// Takes a laboratory's spreadsheet: good rows recorded, the rest shown by line and queued.
    func importFile(_ form: Form) async throws -> Response {
        try await visit.attempt {
            guard let text = form.text("file") else { throw DomainError.invalid("file", words["result_choose_file"]) }
            let intake = try await visit.services.labResults.importCSV(
                text, laboratoryCode: form.text("laboratory"), siteId: site.id, actor: visit.actor)
            let held = intake.heldResults.map {
                LabResultsPage.Held(
                    place: place($0.place), accession: $0.accession,
                    reason: words["result_reason_\($0.reason.rawValue)"], detail: $0.detail)
            }
            return try await queue(
                summary: .init(
                    recorded: intake.recorded, unchanged: intake.unchanged, held: held, heldCount: held.count,
                    hasHeld: !held.isEmpty))
        } orShow: { issues, status in
            try await queue(notices: issues.map { "\(place($0.field)): \($0.detail)" }, status: status)
        }
    }

    /// Matches a waiting result to a tube, or rejects it, with the clinician's reason.
    func decide(_ id: ResultReview.ID, match: Bool, _ form: Form) async throws -> Response {
        try await visit.attempt(conflictField: "id") {
            let results = visit.services.labResults
            let reason = form.text("reason") ?? ""
            let review =
                match
                ? try await results.match(
                    siteId: site.id, id: id, accession: form.text("accession"), reason: reason, actor: visit.actor)
                : try await results.reject(siteId: site.id, id: id, reason: reason, actor: visit.actor)
            let notice =
                review.decision == .matched
                ? words["result_matched_notice"].replacingOccurrences(
                    of: "{tube}", with: review.matchedAccession?.description ?? "")
                : words["result_rejected_notice"]
            return try await queue(notices: [notice])
        } orShow: { issues, status in
            try await queue(notices: issues.map(\.detail), status: status)
        }
    }
}

/// The review queue and the import form.
struct LabResultsPage: PageModel {
    struct Waiting: Sendable {
        var received: String
        var laboratory: String
        var place: String
        var form: String
        var accession: String
        var result: String
        /// N gene and ORF1ab Ct, as "38.5 / 39.0".
        var cts: String
        var reason: String
        /// What Cordon found, as recorded (English), shown as data.
        var detail: String
        var matchPath: String
        var rejectPath: String
        /// Whether it holds a result a tube can take (an unreadable one can only be rejected).
        var canMatch: Bool
        var id: Int64
    }
    struct Held: Sendable {
        var place: String
        var accession: String
        var reason: String
        var detail: String
    }
    struct Summary: Sendable {
        var recorded: Int
        var unchanged: Int
        var held: [Held]
        var heldCount: Int
        var hasHeld: Bool
    }
    var notices: [String]
    var hasNotices: Bool
    var summary: Summary?
    var total: Int
    var hasWaiting: Bool
    var hasMore: Bool
    /// "500 of 1,200 shown", when not all are.
    var more: String
    var canDecide: Bool
    var waiting: [Waiting]
    var laboratories: [Choice]
    var hasLaboratories: Bool
    var importPath: String
}
