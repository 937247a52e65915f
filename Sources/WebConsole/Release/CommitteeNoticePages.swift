import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// The public page a residential committee opens from its notice: who arrives on which bus
/// and when, until when each is watched at home, and a form to say it will receive them. No
/// sign-in: the signed link is the credential, and it expires.
struct CommitteeNoticePages: Sendable {
    let console: WebConsole
    let origin: @Sendable () -> Origin

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        let noticePages = CommitteeNoticePages(console: pages.console, origin: pages.origin)
        router.get("/committee-notice/:code") { request, context in
            let code = context.parameters.get("code") ?? ""
            return try await noticePages.respond(request) {
                try await noticePages.console.services.committeeNotices.view(code: code, origin: noticePages.origin())
            }
        }
        router.post("/committee-notice/:code") { request, context in
            let code = context.parameters.get("code") ?? ""
            var request = request
            let form = try await Form.read(&request)
            guard ConsolePages.sameOrigin(request) else {
                return try noticePages.refusal(request, message: "error_csrf", status: .forbidden)
            }
            return try await noticePages.respond(request) {
                try await noticePages.console.services.committeeNotices.acknowledge(
                    code: code, name: form.text("name") ?? "", origin: noticePages.origin())
            }
        }
    }

    func respond(_ request: Request, _ read: () async throws -> IssuedNotice) async throws -> Response {
        let words = console.renderer.words(ConsolePages.language(request))
        do {
            let issued = try await read()
            let n = issued.notice
            let zone = n.timeZone
            let model = CommitteeNoticePage(
                siteName: n.siteName, committee: n.committee, destination: n.destination,
                departs: LocalTimeText.dayAndTime(n.departsAt, zone),
                departed: n.departedAt.map { LocalTimeText.dayAndTime($0, zone) },
                acknowledged: n.acknowledgedAt.map { at in
                    words["notice_acknowledged"].replacingOccurrences(of: "{name}", with: n.acknowledgedBy ?? "")
                        .replacingOccurrences(of: "{time}", with: LocalTimeText.dayAndTime(at, zone))
                },
                count: words["notice_count"].replacingOccurrences(of: "{count}", with: String(n.arrivals.count)),
                arrivals: n.arrivals.map {
                    .init(name: $0.name, household: $0.household ?? "", until: $0.monitoringEndsOn.description)
                }, refusal: nil, found: true)
            return try console.anonymousPage(
                request, "committee-notice", titleKey: "notice_title", model: model, status: .ok)
        } catch DomainError.invalid(let issues) {
            return try refusal(
                request, text: issues.map(\.detail).joined(separator: "; "), status: .unprocessableContent)
        } catch DomainError.expired {
            return try refusal(request, message: "notice_expired", status: .gone)
        } catch DomainError.tooManyAttempts(_, let retryAfter) {
            var response = try refusal(request, message: "verify_too_many", status: .tooManyRequests)
            response.headers[.retryAfter] = String(retryAfter)
            return response
        } catch DomainError.notFound {
            return try refusal(request, message: "notice_unknown", status: .notFound)
        }
    }

    func refusal(_ request: Request, message: String, status: HTTPResponse.Status) throws -> Response {
        try refusal(request, text: console.renderer.words(ConsolePages.language(request))[message], status: status)
    }

    func refusal(_ request: Request, text: String, status: HTTPResponse.Status) throws -> Response {
        try console.anonymousPage(
            request, "committee-notice", titleKey: "notice_title", model: CommitteeNoticePage(refusal: text),
            status: status)
    }
}

/// The committee's page.
struct CommitteeNoticePage: PageModel {
    struct Arrival: Sendable {
        var name: String
        var household: String
        var until: String
    }
    var siteName = ""
    var committee = ""
    var destination = ""
    var departs = ""
    var departed: String?
    var acknowledged: String?
    var count = ""
    var arrivals: [Arrival] = []
    var refusal: String?
    /// False when the link named no notice or was refused: only `refusal` shows.
    var found = false

    init(
        siteName: String, committee: String, destination: String, departs: String, departed: String?,
        acknowledged: String?, count: String, arrivals: [Arrival], refusal: String?, found: Bool
    ) {
        self.siteName = siteName
        self.committee = committee
        self.destination = destination
        self.departs = departs
        self.departed = departed
        self.acknowledged = acknowledged
        self.count = count
        self.arrivals = arrivals
        self.refusal = refusal
        self.found = found
    }

    init(refusal: String) { self.refusal = refusal }
}
