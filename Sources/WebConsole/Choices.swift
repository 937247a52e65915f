import Domain
import Foundation

/// One option of a `<select>` or a set of radio buttons.
struct Choice: Sendable {
    var value: String
    var label: String
    var selected: Bool
}

/// The options of a `<select>` or a set of radio buttons, with the one the person had chosen.
enum Choices {
    static func of<Item>(
        _ items: [Item], selected: String?, value: (Item) -> String, label: (Item) -> String
    ) -> [Choice] {
        items.map { item in
            let value = value(item)
            return Choice(value: value, label: label(item), selected: value == selected)
        }
    }

    /// The cases of a string enum, labelled from the catalogue as `prefix_rawValue`.
    static func cases<Kind: CaseIterable & RawRepresentable>(
        _ kind: Kind.Type, selected: String?, words: Catalogue, prefix: String
    ) -> [Choice] where Kind.RawValue == String {
        of(Array(kind.allCases), selected: selected, value: \.rawValue) { words["\(prefix)_\($0.rawValue)"] }
    }
}

/// The day a page is about: `?from=` or `?date=` as typed, else today where the site is.
enum PageDay {
    static func chosen(_ text: Substring?, site: Site) -> CalendarDate {
        text.flatMap { CalendarDate(String($0)) } ?? CalendarDate(Date(), in: site.timeZone)
    }
}
