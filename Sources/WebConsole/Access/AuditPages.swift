import Domain
import Foundation
import Hummingbird
import Services

/// The audit trail of a site, newest first, filtered by what changed, how, by whom and since when.
struct AuditPages: Sendable {
    let visit: Visit
    let site: Site

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        router.get("/console/sites/:site/audit") { request, context in
            try await pages.signedIn(request) { visit in
                try await AuditPages(visit: visit, site: try await visit.site(context)).trail()
            }
        }
    }

    /// What the trail records, for the filters' choices.
    static let entities = [
        "patient", "nucleic_acid_test", "bed", "care_plan", "observation", "referral", "stock_movement",
        "shift_assignment",
        "roster", "staff", "training", "party_branch", "branch_task", "intake_batch", "user", "console_session", "site",
        "zone",
    ]
    static let actions = [
        "admit", "discharge", "create", "record", "transition", "assign", "publish", "receive", "set_status", "import",
        "propose", "sign_in", "sign_in_failed", "grant", "set_password", "change_district",
    ]

    /// The filters as typed; blank ones are not applied.
    static let filters = ["entity", "entityId", "action", "actor", "since"]

    func trail() async throws -> Response {
        let query = visit.request.uri.queryParameters
        var input: [String: String] = [:]
        for name in Self.filters {
            if let value = query[Substring(name)].map(String.init)?.trimmingCharacters(in: .whitespaces), !value.isEmpty
            {
                input[name] = value
            }
        }
        let since = input["since"].flatMap(CalendarDate.init).flatMap {
            LocalTime.instant($0, "00:00", in: site.timeZone)
        }
        if input["since"] != nil, since == nil {
            throw DomainError.invalid("since", "must be a date as YYYY-MM-DD")
        }
        let page = try await visit.services.audit.list(
            AuditQuery(
                siteId: site.id, entity: input["entity"], entityId: input["entityId"], action: input["action"],
                actorName: input["actor"], since: since,
                page: PageRequest(afterId: query["after"].flatMap { Int64(String($0)) }, limit: 100), newestFirst: true),
            actor: visit.actor)
        let words = visit.words
        let disclosure = IdentityDisclosure.of(visit.actor, at: site.id)
        var model = AuditTrailPage(
            base: "/console/sites/\(SitePages.pathCode(site))/audit", input: input,
            entries: page.items.map {
                let fields = AuditChange.fields(
                    before: $0.before, after: $0.after, disclosure: disclosure, words: words)
                return .init(
                    at: LocalTimeText.dayAndTime($0.at, site.timeZone), who: words.word("actor", $0.actorName),
                    role: words.word("role", $0.role), action: words.word("audit_action", $0.action),
                    entity: words.word("audit_entity", $0.entity), entityId: $0.entityId ?? "", fields: fields,
                    hasFields: !fields.isEmpty)
            },
            entities: Self.entities.map {
                Choice(value: $0, label: words.word("audit_entity", $0), selected: input["entity"] == $0)
            },
            actions: Self.actions.map {
                Choice(value: $0, label: words.word("audit_action", $0), selected: input["action"] == $0)
            })
        if page.nextCursor != nil, let last = page.items.last {
            var next = URLComponents()
            next.queryItems =
                input.map { URLQueryItem(name: $0.key, value: $0.value) } + [
                    URLQueryItem(name: "after", value: String(last.id))
                ]
            model.next = "?" + (next.percentEncodedQuery ?? "")
        }
        return try await visit.page("audit", title: visit.words["audit_title"], model: model, site: site)
    }
}

/// The audit trail of a site, newest first, with the filters as typed.
struct AuditTrailPage: PageModel {
    struct Entry: Sendable {
        var at: String
        var who: String
        var role: String
        var action: String
        var entity: String
        var entityId: String
        var fields: [AuditChange.Field]
        var hasFields: Bool
    }
    var base: String
    var input: [String: String]
    var entries: [Entry]
    /// The filters' choices, by the words a person knows them by.
    var entities: [Choice]
    var actions: [Choice]
    var next: String?
}
