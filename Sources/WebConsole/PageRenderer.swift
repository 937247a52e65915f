import Foundation
import Mustache

/// The Mustache templates of `Templates/`, parsed once at start. `{{value}}` escapes HTML, so
/// a patient named `<script>` is shown as text; the templates use `{{{…}}}` only for markup
/// the console itself built (the SVG chart, a rendered page inside the layout).
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let catalogues: [ConsoleLanguage: Catalogue]

    static func load() throws -> PageRenderer {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates") else {
            throw ConsoleSetupError("the console's templates are missing from the build")
        }
        var library = MustacheLibrary()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path)
        where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            try library.register(text, named: String(file.dropLast(".mustache".count)))
        }
        var catalogues: [ConsoleLanguage: Catalogue] = [:]
        for language in ConsoleLanguage.allCases { catalogues[language] = try Catalogue.load(language) }
        return PageRenderer(library: library, catalogues: catalogues)
    }

    /// Renders `template` with `model`, inside the layout with its navigation.
    func page(_ template: String, title: String, model: some PageModel, chrome: PageChrome) throws -> String {
        let words = catalogues[chrome.language]!.messages
        let csrf = chrome.csrfToken ?? ""
        guard let content = library.render(PageContext(model: model, t: words, csrf: csrf), withTemplate: template)
        else {
            throw ConsoleSetupError("no template \(template)")
        }
        let frame = chrome.layout(title: title, content: content)
        guard let html = library.render(PageContext(model: frame, t: words, csrf: csrf), withTemplate: "layout") else {
            throw ConsoleSetupError("no layout template")
        }
        return html
    }

    func words(_ language: ConsoleLanguage) -> Catalogue { catalogues[language]! }
}

/// A page's data as its template reads it: a struct whose stored properties the template names.
/// Each page has its own, so a field is written where the compiler sees it.
protocol PageModel: Sendable {}

/// What every template can also read: the page's words (`t.key`) and the form token (`csrf`).
/// Everything else is looked up among the model's stored properties.
struct PageContext: MustacheParent {
    let model: any PageModel
    let t: [String: String]
    let csrf: String

    func child(named name: String) -> Any? {
        switch name {
        case "t": return t
        case "csrf": return csrf
        default:
            guard let value = Mirror(reflecting: model).children.first(where: { $0.label == name })?.value else {
                return nil
            }
            // An absent optional is no value at all, as a missing key was.
            let wrapped = Mirror(reflecting: value)
            guard wrapped.displayStyle == .optional else { return value }
            return wrapped.children.first?.value
        }
    }
}

/// What the layout around every page shows: the language, who is signed in, where they are.
struct PageChrome {
    var language: ConsoleLanguage
    var path: String
    var csrfToken: String?
    var displayName: String?
    /// The person's roles where they are, in their language.
    var roles = ""
    var site: (code: String, name: String)?
    /// Whether the district board is theirs to open.
    var district = false
    /// Which navigation entries the person's roles may use.
    var navigation: [String: Bool] = [:]
    /// What the page is about when that is a record's name (a patient, a site, a bus): shown
    /// after the title and marked as data.
    var named: String?
    /// Seconds after which the page reloads itself (the site board), when JavaScript is on.
    var refreshSeconds: Int?

    func layout(title: String, content: String) -> Layout {
        Layout(
            lang: language.rawValue, otherLang: language.other.rawValue,
            otherLangName: language.other == .chinese ? "中文" : "English", path: path, user: displayName,
            roles: roles.isEmpty ? nil : roles, district: district,
            site: site.map { Layout.SiteName(code: $0.code, name: $0.name) }, nav: navigation,
            refresh: refreshSeconds, title: title, named: named, titleAndName: named != nil && !title.isEmpty,
            fullTitle: [title, named ?? ""].filter { !$0.isEmpty }.joined(separator: " · "), content: content)
    }

    /// The layout's model.
    struct Layout: PageModel {
        struct SiteName: Sendable {
            var code: String
            var name: String
        }
        var lang: String
        var otherLang: String
        var otherLangName: String
        var path: String
        var user: String?
        var roles: String?
        var district: Bool
        var site: SiteName?
        var nav: [String: Bool]
        var refresh: Int?
        var title: String
        var named: String?
        var titleAndName: Bool
        /// The window's title: the title and the name.
        var fullTitle: String
        var content: String
    }
}
