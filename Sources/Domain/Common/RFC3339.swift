import Foundation

/// Date-times as RFC 3339 writes them, with or without a fraction of a second: JavaScript's
/// `toISOString()` sends `.000Z`, Python's `isoformat()` microseconds, laboratories and FHIR
/// systems whatever their clock gives. Every date-time a client sends is read here.
public enum RFC3339 {
    private static let whole = Date.ISO8601FormatStyle()
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// The instant `text` names, or nil when it is not an RFC 3339 date-time.
    public static func date(_ text: String) -> Date? {
        // RFC 3339 allows a lower-case `t` and `z`, and sets no limit on the fraction's digits;
        // longer fractions are cut to milliseconds first (a clinical time needs no finer).
        let text = fractionCut(text.uppercased())
        // Foundation rolls 25:00 over into the next day; RFC 3339 does not.
        guard fieldsInRange(text) else { return nil }
        return (try? whole.parse(text)) ?? (try? fractional.parse(text))
    }

    /// Whether `YYYY-MM-DDTHH:MM:SS` at the start of `text` is a real day and time of day (a
    /// leap second's 60 allowed).
    static func fieldsInRange(_ text: String) -> Bool {
        let head = Array(text.utf8.prefix(19))
        guard head.count == 19, head[10] == UInt8(ascii: "T"), head[13] == UInt8(ascii: ":"),
            head[16] == UInt8(ascii: ":"), CalendarDate(String(decoding: head[0..<10], as: UTF8.self)) != nil
        else { return false }
        func number(_ at: Int) -> Int? { Int(String(decoding: head[at..<at + 2], as: UTF8.self)) }
        guard let hour = number(11), let minute = number(14), let second = number(17) else { return false }
        return hour < 24 && minute < 60 && second <= 60
    }

    /// To the whole second, in UTC: `2022-04-12T08:00:00Z`.
    public static func string(_ date: Date) -> String { whole.format(date) }

    /// `text` with a fraction of more than 3 digits cut to 3; anything else unchanged.
    static func fractionCut(_ text: String) -> String {
        guard let dot = text.firstIndex(of: "."), text.distance(from: text.startIndex, to: dot) == 19 else {
            return text
        }
        let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }
        guard digits.count > 3 else { return text }
        return String(text[...dot]) + digits.prefix(3) + text[digits.endIndex...]
    }
}

extension JSONDecoder.DateDecodingStrategy {
    /// RFC 3339 date-times with or without a fraction, for files a person or a system sends.
    public static var rfc3339: Self {
        .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.date(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\(text) is not an RFC 3339 date-time")
            }
            return date
        }
    }
}
