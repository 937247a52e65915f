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
        var model = AuditTrailPage(
            base: "/console/sites/\(SitePages.pathCode(site))/audit", input: input,
            entries: page.items.map {
                .init(
                    at: LocalTimeText.dayAndTime($0.at, site.timeZone), who: $0.actorName, role: $0.role,
                    action: $0.action, entity: $0.entity, entityId: $0.entityId ?? "", before: $0.before,
                    after: $0.after)
            })
        if page.nextCursor != nil, let last = page.items.last {
            var next = URLComponents()
            next.queryItems =
                input.map { URLQueryItem(name: $0.key, value: $0.value) } + [
                    URLQueryItem(name: "after", value: String(last.id))
                ]
            model.next = "?" + (next.percentEncodedQuery ?? "")
        }
        return try visit.page("audit", title: visit.words["audit_title"], model: model, site: site)
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
        var before: String?
        var after: String?
    }
    var base: String
    var input: [String: String]
    var entries: [Entry]
    var next: String?
}
