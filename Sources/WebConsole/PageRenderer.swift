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

    /// Renders `template` with `values`, inside the layout with its navigation.
    func page(_ template: String, title: String, values: [String: Any], chrome: PageChrome) throws -> String {
        var values = values
        let words = catalogues[chrome.language]!.messages
        values["t"] = words
        values["csrf"] = chrome.csrfToken ?? ""
        guard let content = library.render(values, withTemplate: template) else {
            throw ConsoleSetupError("no template \(template)")
        }
        var frame = chrome.values
        frame["t"] = words
        frame["title"] = title
        frame["content"] = content
        guard let html = library.render(frame, withTemplate: "layout") else {
            throw ConsoleSetupError("no layout template")
        }
        return html
    }

    func words(_ language: ConsoleLanguage) -> Catalogue { catalogues[language]! }
}

/// What the layout around every page shows: the language, who is signed in, where they are.
struct PageChrome {
    var language: ConsoleLanguage
    var path: String
    var csrfToken: String?
    var displayName: String?
    var site: (code: String, name: String)?
    /// Which navigation entries the person's roles may use.
    var navigation: [String: Bool] = [:]
    /// Seconds after which the page reloads itself (the site board), when JavaScript is on.
    var refreshSeconds: Int?

    var values: [String: Any] {
        var values: [String: Any] = [
            "lang": language.rawValue, "otherLang": language.other.rawValue,
            "otherLangName": language.other == .chinese ? "中文" : "English", "path": path,
        ]
        if let csrfToken { values["csrf"] = csrfToken }
        if let displayName { values["user"] = displayName }
        if let site { values["site"] = ["code": site.code, "name": site.name] }
        values["nav"] = navigation
        if let refreshSeconds { values["refresh"] = refreshSeconds }
        return values
    }
}
