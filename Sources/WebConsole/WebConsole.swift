import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Services

/// The web console at `/console/`: server-rendered pages for the site's people, over the same
/// services, roles, masking and audit as the REST API.
public struct WebConsole: Sendable {
    let services: CordonServices
    let renderer: PageRenderer
    /// Cookies carry `Secure` when Cordon's public address is https.
    let secureCookies: Bool

    /// Loads the templates and catalogues; fails at start, not on the first page, when one is missing.
    public static func load(services: CordonServices) throws -> WebConsole {
        WebConsole(
            services: services, renderer: try PageRenderer.load(),
            secureCookies: services.settings.checkInBaseURL.lowercased().hasPrefix("https://"))
    }

    /// Every path under this prefix belongs to the console, which signs its own people in.
    public static let prefix = "/console"
    static let sessionCookie = "cordon_session"

    /// Adds the console's routes. `origin` tells who is asking (request id and address) for the
    /// audit trail, as the API's requests do.
    public func register<Context: RequestContext>(
        on router: Router<Context>, origin: @escaping @Sendable () -> Origin
    ) {
        let pages = ConsolePages(console: self, origin: origin)
        router.get("/console/static/:file") { _, context in
            try StaticFile.response(context.parameters.require("file"))
        }
        router.get("/console/language") { request, _ in Self.switchLanguage(request) }
        SignInPages(pages: pages).register(on: router)
        router.get("/console/") { request, _ in
            try await pages.signedIn(request) { visit in try await SitePages(visit: visit).siteList() }
        }
        SitePages.register(on: router, pages)
        PatientPages.register(on: router, pages)
        RosterPages.register(on: router, pages)
        ReferralPages.register(on: router, pages)
        CarePages.register(on: router, pages)
        StockPages.register(on: router, pages)
        BranchPages.register(on: router, pages)
        AuditPages.register(on: router, pages)
        ReportPages.register(on: router, pages)
        IntakePages.register(on: router, pages)
        SwabPages.register(on: router, pages)
        LabResultPages.register(on: router, pages)
        ReleasePages.register(on: router, pages)
        CertificatePages.register(on: router, pages)
        CommitteeNoticePages.register(on: router, pages)
        DistrictPages.register(on: router, pages)
    }

    // MARK: Responses

    /// A page for someone not signed in (sign-in, a reset link, a certificate's check, a
    /// committee's notice), in the language the request asks for.
    func anonymousPage(
        _ request: Request, _ template: String, titleKey: String, model: some PageModel, status: HTTPResponse.Status
    ) throws -> Response {
        let language = ConsolePages.language(request)
        let chrome = PageChrome(language: language, path: request.uri.path)
        return Self.html(
            try renderer.page(template, title: renderer.words(language)[titleKey], model: model, chrome: chrome),
            status: status)
    }

    static func redirect(to location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    /// A file the browser opens (a PDF to print, a CSV to save), and never caches.
    static func file(_ data: Data, type: String, named name: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[.contentDisposition] = "inline; filename=\"\(name)\""
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An HTML page that no one caches, frames or sniffs, and that runs only the console's own script.
    static func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Keeps the language a person picked (for a year) and goes back to the page they were on.
    static func switchLanguage(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        let language = query["lang"].flatMap { ConsoleLanguage(rawValue: String($0)) } ?? .chinese
        var response = redirect(to: safeReturnPath(query["back"].map(String.init)))
        response.setCookie(
            Cookie(
                // Path `/`: the public certificate pages read it too.
                name: ConsoleLanguage.cookieName, value: language.rawValue, maxAge: 365 * 86_400, path: "/",
                httpOnly: true))
        return response
    }

    /// A return address inside the console or a public certificate page, never another site's
    /// (an open redirect).
    static func safeReturnPath(_ path: String?) -> String {
        guard let path,
            ["/console/", "/verify/", "/certificate/", "/committee-notice/"].contains(where: path.hasPrefix),
            !path.hasPrefix("//"), !path.contains("\\"),
            path.count < 500
        else { return "/console/" }
        return path
    }
}

/// The stylesheet and script, served by Cordon itself (no asset comes from the network).
enum StaticFile {
    static let types = ["console.css": "text/css; charset=utf-8", "console.js": "text/javascript; charset=utf-8"]

    static func response(_ name: String) throws -> Response {
        guard let type = types[name],
            let url = Bundle.module.url(
                forResource: (name as NSString).deletingPathExtension, withExtension: (name as NSString).pathExtension,
                subdirectory: "Static")
        else { throw HTTPError(.notFound) }
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=3600"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try Data(contentsOf: url))))
    }
}
