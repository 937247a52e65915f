import Domain
import Foundation

/// An audit entry's change as a person reads it: each field that changed, from what to what,
/// with an ID number, a birth date and a phone shown only as the reader's identity rule allows.
struct AuditChange: Sendable {
    struct Field: Sendable {
        /// HTML: the catalogue's name of the field, or its code marked as such.
        var name: String
        var before: String
        var after: String
        /// Whether the field had a value before (an update), not only after (a creation).
        var changed: Bool
    }

    /// The fields of `after` that differ from `before`, in the order the record wrote them.
    static func fields(
        before: String?, after: String?, disclosure: IdentityDisclosure, words: Catalogue
    ) -> [Field] {
        let old = object(before)
        let new = object(after)
        let keys = (new.keys.map { $0 } + old.keys.filter { new[$0] == nil }).sorted()
        return keys.compactMap { key in
            let was = old[key].map { text($0, key: key, disclosure) }
            let now = new[key].map { text($0, key: key, disclosure) }
            guard was != now else { return nil }
            let label =
                words.messages["field_\(key)"].map(HTML.escape) ?? "<code translate=\"no\">\(HTML.escape(key))</code>"
            return Field(name: label, before: was ?? "", after: now ?? "—", changed: was != nil)
        }
    }

    private static func object(_ json: String?) -> [String: Any] {
        guard let data = json?.data(using: .utf8),
            let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return [:] }
        if let object = value as? [String: Any] { return object }
        return ["value": value]
    }

    private static let hiddenUnlessBedside: Set<String> = ["dateOfBirth", "date_of_birth", "phone"]
    private static let identityNumbers: Set<String> = ["nationalId", "national_id"]

    private static func text(_ value: Any, key: String, _ disclosure: IdentityDisclosure) -> String {
        if identityNumbers.contains(key), let number = value as? String { return disclosure.nationalId(number) }
        if hiddenUnlessBedside.contains(key), !disclosure.showsPhone { return "•••" }
        switch value {
        case is NSNull: return "—"
        case let string as String: return string
        case let flag as Bool where String(describing: type(of: value)).contains("Bool"): return flag ? "✓" : "✗"
        case let number as NSNumber: return number.stringValue
        default:
            guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]),
                let text = String(data: data, encoding: .utf8)
            else { return "" }
            return text
        }
    }
}
