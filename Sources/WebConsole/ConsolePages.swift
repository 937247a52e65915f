import Crypto
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// What every page handler shares: finding the session behind the cookie, checking forms, and
/// turning a refusal into a page a person can read.
struct ConsolePages: Sendable {
    let console: WebConsole
    let origin: @Sendable () -> Origin

    var services: CordonServices { console.services }

    /// Runs `page` for the signed-in person, or sends them to sign in and back.
    func signedIn(_ request: Request, _ page: (Visit) async throws -> Response) async throws -> Response {
        let language = Self.language(request)
        let secret = request.cookies[WebConsole.sessionCookie]?.value
        var session: ConsoleSession?
        if let secret { session = try await services.console.session(secret: secret, origin: origin()) }
        guard let session, let secret else {
            let back = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return WebConsole.redirect(
                to: "/console/sign-in?next=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            )
        }
        let visit = Visit(pages: self, request: request, session: session, sessionSecret: secret, language: language)
        do {
            return try await page(visit)
        } catch {
            return await visit.refusal(error)
        }
    }

    /// Like `signedIn`, for a form: the body is read and its CSRF token and origin checked first.
    func signedInForm(_ request: Request, _ page: (Visit, Form) async throws -> Response) async throws -> Response {
        var request = request
        let form = try await Form.read(&request)
        return try await signedIn(request) { visit in
            guard Self.sameOrigin(request), Self.equalInConstantTime(form["csrf"], visit.session.csrfToken) else {
                return await visit.errorPage(.forbidden, visit.words["error_csrf"])
            }
            return try await page(visit, form)
        }
    }

    static func language(_ request: Request) -> ConsoleLanguage {
        ConsoleLanguage.chosen(
            cookie: request.cookies[ConsoleLanguage.cookieName]?.value,
            acceptLanguage: request.headers[.acceptLanguage])
    }

    /// A form posted from a page of another site is refused: browsers send `Origin` (and
    /// `Sec-Fetch-Site`) with every POST, and it must name this server.
    static func sameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site == "cross-site" || site == "same-site" {
            return false
        }
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority, let url = URL(string: origin),
            let originHost = url.host
        else { return false }
        let originAuthority = originHost + (url.port.map { ":\($0)" } ?? "")
        return originAuthority.lowercased() == host.lowercased()
    }

    static func equalInConstantTime(_ a: String?, _ b: String) -> Bool {
        guard let a, a.utf8.count == b.utf8.count else { return false }
        return zip(a.utf8, b.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// One signed-in page view: who, in which language, and the helpers to answer them.
struct Visit: Sendable {
    let pages: ConsolePages
    let request: Request
    let session: ConsoleSession
    let sessionSecret: String
    let language: ConsoleLanguage

    var actor: Actor { session.actor }
    var services: CordonServices { pages.services }
    var words: Catalogue { pages.console.renderer.words(language) }

    /// The page `template` inside the layout, for `site` when the page belongs to one.
    func page(
        _ template: String, title: String, named: String? = nil, model: some PageModel, site: Site? = nil,
        status: HTTPResponse.Status = .ok, refreshSeconds: Int? = nil
    ) async throws -> Response {
        var chrome = PageChrome(
            language: language, path: request.uri.path, csrfToken: session.csrfToken,
            displayName: session.displayName, named: named, refreshSeconds: refreshSeconds)
        chrome.roles = Navigation.roles(of: actor, at: site?.id).map { words["role_\($0.rawValue)"] }.joined(
            separator: words["list_separator"])
        if let site {
            chrome.site = (site.code, site.name)
            var navigation = Navigation.entries(for: actor, at: site.id)
            // A site without a Party branch has no branch page to offer.
            if navigation["branch"] == true {
                navigation["branch"] = (try? await services.branch.activeBranch(siteId: site.id, actor: actor)) != nil
            }
            chrome.navigation = navigation
        }
        chrome.district = actor.isAdmin || actor.grants.contains { $0.role == .districtCommander }
        return WebConsole.html(
            try pages.console.renderer.page(template, title: title, model: model, chrome: chrome), status: status)
    }

    /// A page that says why the request was refused, in words, with the status the API would give.
    func refusal(_ error: Error) async -> Response {
        switch error {
        case DomainError.notFound: await errorPage(.notFound, words["error_not_found"])
        case DomainError.forbidden: await errorPage(.forbidden, words["error_forbidden"])
        case DomainError.unavailable, DomainError.outcomeUnknown:
            await errorPage(.serviceUnavailable, words["error_unavailable"])
        case DomainError.unauthenticated: WebConsole.redirect(to: "/console/sign-in")
        case let error as DomainError: await errorPage(.badRequest, words.say(error.description))
        case let error as HTTPError where error.status == .notFound:
            await errorPage(.notFound, words["error_not_found"])
        default: await errorPage(.internalServerError, words["error_internal"])
        }
    }

    /// Runs a write; a refusal the person can act on (bad input, a conflict, a stale version, a
    /// step the record cannot take) comes back as messages on `page`, not as an error page. A
    /// conflict that names no field is put on `conflictField`.
    func attempt(
        conflictField: String = "", _ write: () async throws -> Response,
        orShow page: ([FieldIssue], HTTPResponse.Status) async throws -> Response
    ) async throws -> Response {
        do {
            return try await write()
        } catch DomainError.invalid(let issues) {
            return try await page(said(issues), .unprocessableContent)
        } catch DomainError.conflict(let message, let field) {
            return try await page(said([FieldIssue(field: field ?? conflictField, detail: message)]), .conflict)
        } catch DomainError.preconditionFailed {
            return try await page([FieldIssue(field: "", detail: words["error_stale"])], .conflict)
        } catch let error as DomainError {
            guard case .illegalTransition = error else { throw error }
            return try await page([FieldIssue(field: "", detail: error.description)], .conflict)
        }
    }

    /// Refusals with their sentences in the person's language, where the catalogue has them.
    func said(_ issues: [FieldIssue]) -> [FieldIssue] {
        issues.map { FieldIssue(field: $0.field, detail: words.say($0)) }
    }

    /// The refusal inside the site's navigation when the path names a site the person may see,
    /// so a missing record leaves them one click from where they were.
    func errorPage(_ status: HTTPResponse.Status, _ message: String) async -> Response {
        let parts = request.uri.path.split(separator: "/")
        var site: Site?
        if parts.count >= 3, parts[0] == "console", parts[1] == "sites",
            let code = String(parts[2]).removingPercentEncoding
        {
            site = try? await services.sites.get(code: code, actor: actor)
        }
        return
            (try? await page(
                "error", title: "\(status.code)", model: ErrorPage(message: message), site: site, status: status))
            ?? WebConsole.html(HTML.escape(message), status: status)
    }

    /// The site named by the path's `:site` code, which the person must be able to see.
    func site(_ context: some RequestContext) async throws -> Site {
        try await services.sites.get(code: context.parameters.require("site"), actor: actor)
    }
}

/// A record's id in a page's path: a positive number, or a page that does not exist.
enum PathID {
    static func positive(_ context: some RequestContext, _ name: String) throws -> Int64 {
        guard let raw = Int64(try context.parameters.require(name)), raw > 0 else {
            throw DomainError.notFound("no such \(name)")
        }
        return raw
    }
}

/// The navigation of a site's pages: an entry only for the roles that may use the page behind it.
enum Navigation {
    static func entries(for actor: Actor, at siteId: Site.ID) -> [String: Bool] {
        [
            "board": actor.holds(any: CensusService.readers, at: siteId),
            "patients": actor.holds(any: PatientService.readers, at: siteId),
            "admit": actor.holds(any: PatientService.carers, at: siteId),
            "intake": actor.holds(any: IntakeService.receivers, at: siteId),
            "swabs": actor.holds(any: SwabService.carers, at: siteId),
            "results": actor.holds(any: LabResultService.siteRoles, at: siteId),
            "release": actor.holds(any: ReleaseService.carers, at: siteId),
            "roster": actor.holds(any: RosterService.readers, at: siteId),
            "referrals": actor.holds(any: ReferralService.siteReaders, at: siteId),
            "doses": actor.holds(any: CareService.readers.union(StockService.dispensers), at: siteId),
            "worklist": actor.holds(any: CareService.readers, at: siteId),
            "stock": actor.holds(any: StockService.readers, at: siteId),
            "branch": actor.holds(any: BranchService.readers, at: siteId),
            "audit": actor.isAdmin || actor.holds(any: [.siteManager], at: siteId),
        ]
    }

    /// The roles a person holds at a site (every role they hold, off a site's pages), each once.
    static func roles(of actor: Actor, at siteId: Site.ID?) -> [Role] {
        var seen = Set<Role>()
        return actor.grants.filter { grant in
            siteId == nil || grant.siteId == nil || grant.siteId == siteId || grant.role == .districtCommander
        }.map(\.role).filter { seen.insert($0).inserted }
    }

    /// Where a person starts at a site: the board, or the patient list for the roles the board's
    /// census is not for (a pharmacist, the branch secretary).
    static func landing(for actor: Actor, at site: Site) -> String {
        let path = "/console/sites/\(SitePages.pathCode(site))"
        return actor.holds(any: CensusService.readers, at: site.id) ? path : path + "/patients"
    }
}

/// A refusal as a page: what went wrong, in words.
struct ErrorPage: PageModel {
    var message: String
}
