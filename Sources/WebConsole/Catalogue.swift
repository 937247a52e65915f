import Domain
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

    /// A sentence the services wrote in English, in this catalogue's language when it has it:
    /// `say:` keys hold whole sentences, and a key with one `{n}` holds a sentence with a number
    /// in it ("must be at most {n} characters"). Anything else stays as written.
    func say(_ sentence: String) -> String {
        if let exact = messages["say:" + sentence] { return exact }
        for (key, text) in messages where key.hasPrefix("say:") && key.contains("{n}") {
            let parts = key.dropFirst(4).components(separatedBy: "{n}")
            guard parts.count == 2, sentence.hasPrefix(parts[0]), sentence.hasSuffix(parts[1]),
                sentence.count > parts[0].count + parts[1].count
            else { continue }
            let number = sentence.dropFirst(parts[0].count).dropLast(parts[1].count)
            if number.allSatisfy(\.isNumber) { return text.replacingOccurrences(of: "{n}", with: number) }
        }
        return sentence
    }

    /// A rule's explanation in this catalogue's language: its `why:` templates (or the plain
    /// key, for words the console already has, such as `rule_overlap`) where the catalogue has
    /// them, Domain's English otherwise.
    func explain(_ explanation: Explanation, in timeZone: TimeZone = .current) -> String {
        explanation.worded(
            by: { messages["why:" + $0] ?? messages[$0] }, wording: { String($0) }, data: { $0 },
            time: { LocalTimeText.dayAndTime($0, timeZone) })
    }

    /// The same as HTML: the catalogue's words escaped, and each value a record holds (a name, a
    /// place, a lot) escaped and marked `translate="no"`, as every name on a page is. For a
    /// template's `{{{...}}}`.
    func explainMarked(_ explanation: Explanation, in timeZone: TimeZone = .current) -> String {
        explanation.worded(
            by: { messages["why:" + $0] ?? messages[$0] }, wording: { HTML.escape(String($0)) },
            data: { HTML.data($0) }, time: { LocalTimeText.dayAndTime($0, timeZone) })
    }

    /// A word for a value a person may have typed (a route, a branch role): the catalogue's word
    /// for `prefix_value` (spaces as underscores) where it has one, the value as written otherwise.
    func word(_ prefix: String, _ value: String) -> String {
        messages[prefix + "_" + value.lowercased().replacingOccurrences(of: " ", with: "_")] ?? value
    }

    /// A medicine's unit of issue as a word of this language (`unit_tablet`), as written otherwise.
    func unit(_ medication: Medication) -> String {
        messages["unit_\(medication.unitOfIssue)"] ?? medication.unitOfIssue
    }

    /// A refusal's sentence in this catalogue's language.
    func say(_ issue: FieldIssue) -> String {
        issue.explanation.map { explain($0) } ?? say(issue.detail)
    }

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

/// Text made safe for a page, for the few places where the console writes HTML itself.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A value a record holds, escaped and marked as data: a browser's translator leaves it, and
    /// the language checks of the test suite skip it.
    static func data(_ text: String) -> String {
        text.isEmpty ? "" : "<span translate=\"no\">\(escape(text))</span>"
    }
}
