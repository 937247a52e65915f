import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// Signing in and out, and setting a password from a one-time reset link.
struct SignInPages: Sendable {
    let pages: ConsolePages

    var services: CordonServices { pages.services }

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("/console/sign-in") { request, _ in
            try signInPage(request, status: .ok, message: nil, username: "")
        }
        router.post("/console/sign-in") { request, _ in try await signIn(request) }
        router.post("/console/sign-out") { request, _ in
            try await pages.signedInForm(request) { visit, _ in
                try await services.console.signOut(secret: visit.sessionSecret, actor: visit.actor)
                return signedOut()
            }
        }
        router.post("/console/sign-out-everywhere") { request, _ in
            try await pages.signedInForm(request) { visit, _ in
                _ = try await services.console.signOutEverywhere(actor: visit.actor)
                return signedOut()
            }
        }
        router.get("/console/reset") { request, _ in
            let link = request.uri.queryParameters["link"].map(String.init) ?? ""
            let live = try await services.console.resetLinkIsLive(link)
            return try anonymousPage(
                request, "reset", titleKey: "reset_title",
                model: live ? ResetPage(link: link) : ResetPage(message: words(request)["reset_dead"]),
                status: live ? .ok : .gone)
        }
        router.post("/console/reset") { request, _ in try await reset(request) }
    }

    func words(_ request: Request) -> Catalogue {
        pages.console.renderer.words(ConsolePages.language(request))
    }

    func signInPage(_ request: Request, status: HTTPResponse.Status, message: String?, username: String) throws
        -> Response
    {
        let next = WebConsole.safeReturnPath(request.uri.queryParameters["next"].map(String.init))
        return try anonymousPage(
            request, "sign-in", titleKey: "sign_in_title",
            model: SignInPage(username: username, next: next, message: message), status: status)
    }

    func anonymousPage(
        _ request: Request, _ template: String, titleKey: String, model: some PageModel, status: HTTPResponse.Status
    ) throws -> Response {
        try pages.console.anonymousPage(request, template, titleKey: titleKey, model: model, status: status)
    }

    func signIn(_ request: Request) async throws -> Response {
        var request = request
        let form = try await Form.read(&request)
        let username = form.text("username") ?? ""
        guard ConsolePages.sameOrigin(request) else {
            return try signInPage(
                request, status: .forbidden, message: words(request)["error_csrf"], username: username)
        }
        do {
            let secret = try await services.console.signIn(
                username: username, password: form["password"] ?? "", origin: pages.origin())
            var response = WebConsole.redirect(to: WebConsole.safeReturnPath(form["next"]))
            response.setCookie(sessionCookie(secret, maxAge: Int(services.console.policy.absolute)))
            return response
        } catch DomainError.unauthenticated {
            return try signInPage(
                request, status: .unauthorized, message: words(request)["sign_in_refused"], username: username)
        } catch DomainError.tooManyAttempts {
            return try signInPage(
                request, status: .tooManyRequests, message: words(request)["sign_in_throttled"], username: username)
        }
    }

    func reset(_ request: Request) async throws -> Response {
        var request = request
        let form = try await Form.read(&request)
        let link = form["link"] ?? ""
        guard ConsolePages.sameOrigin(request) else {
            return try anonymousPage(
                request, "reset", titleKey: "reset_title", model: ResetPage(message: words(request)["error_csrf"]),
                status: .forbidden)
        }
        let password = form["password"] ?? ""
        guard password == form["repeat"] else {
            return try anonymousPage(
                request, "reset", titleKey: "reset_title",
                model: ResetPage(link: link, fieldError: words(request)["reset_mismatch"]),
                status: .unprocessableContent)
        }
        do {
            try await services.console.resetPassword(secret: link, password: password, origin: pages.origin())
        } catch DomainError.invalid(let issues) {
            let linkDead = issues.contains { $0.field == "link" }
            return try anonymousPage(
                request, "reset", titleKey: "reset_title",
                model: linkDead
                    ? ResetPage(message: words(request)["reset_dead"])
                    : ResetPage(link: link, fieldError: issues.map(\.detail).joined(separator: "; ")),
                status: linkDead ? .gone : .unprocessableContent)
        } catch DomainError.tooManyAttempts {
            return try anonymousPage(
                request, "reset", titleKey: "reset_title", model: ResetPage(message: words(request)["reset_throttled"]),
                status: .tooManyRequests)
        }
        return WebConsole.redirect(to: "/console/sign-in?reset=done")
    }

    func signedOut() -> Response {
        var response = WebConsole.redirect(to: "/console/sign-in")
        response.setCookie(sessionCookie("", maxAge: 0))
        return response
    }

    /// The session cookie: script cannot read it, other sites' links do not send it on a POST,
    /// and it travels only over https when the public address is https.
    func sessionCookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: WebConsole.sessionCookie, value: value, maxAge: maxAge, path: WebConsole.prefix,
            secure: pages.console.secureCookies, httpOnly: true, sameSite: .lax)
    }
}

/// The sign-in form: the name as typed, where to go after, and why the last try was refused.
struct SignInPage: PageModel {
    var username: String
    var next: String
    var message: String?
}

/// Setting a password from a link: the form while the link is live, otherwise why not.
struct ResetPage: PageModel {
    var link: String?
    var message: String?
    var fieldError: String?
}
