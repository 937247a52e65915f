import Foundation

/// The languages the console speaks: Chinese first, as the staff at a Shanghai site read it.
public enum ConsoleLanguage: String, Sendable, CaseIterable {
    case chinese = "zh-CN"
    case english = "en"

    /// The cookie that keeps a person's choice.
    static let cookieName = "cordon_lang"

    /// The person's choice if they made one, else the first language of `Accept-Language` that
    /// the console speaks, else Chinese.
    static func chosen(cookie: String?, acceptLanguage: String?) -> ConsoleLanguage {
        if let cookie, let language = ConsoleLanguage(rawValue: cookie) { return language }
        for part in (acceptLanguage ?? "").split(separator: ",") {
            let tag = part.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            if tag.hasPrefix("zh") { return .chinese }
            if tag.hasPrefix("en") { return .english }
        }
        return .chinese
    }

    /// The other language, for the switch on every page.
    var other: ConsoleLanguage { self == .chinese ? .english : .chinese }
}

/// Every word the console shows, per language, from `Catalogues/LANG.json` (one flat object of
/// keys to text, so a translator edits a file, not code).
struct Catalogue: Sendable {
    let messages: [String: String]

    subscript(_ key: String) -> String { messages[key] ?? key }

    static func load(_ language: ConsoleLanguage) throws -> Catalogue {
        guard
            let url = Bundle.module.url(
                forResource: language.rawValue, withExtension: "json", subdirectory: "Catalogues")
        else { throw ConsoleSetupError("the \(language.rawValue) catalogue is missing from the build") }
        return Catalogue(messages: try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url)))
    }
}

/// A part of the console missing from the build: a packaging fault, reported at start.
struct ConsoleSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
