import Domain
import Foundation
import OpenAPIRuntime

/// The API's date-times: read as RFC 3339 allows them, with or without a fraction of a second
/// (`RFC3339`); answers are written as before, to the whole second.
struct RFC3339DateTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String { RFC3339.string(date) }

    func decode(_ text: String) throws -> Date {
        guard let date = RFC3339.date(text) else { throw MalformedDateTime(value: text) }
        return date
    }
}

/// A date-time that is not RFC 3339. The decoder that meets it does not know the field, so the
/// request's body and query are searched for the value (`MalformedDateTimeMiddleware`).
struct MalformedDateTime: Error, CustomStringConvertible {
    var value: String

    static let expected = "is not an RFC 3339 date-time, e.g. 2022-04-12T08:00:00Z or 2022-04-12T16:00:00.000+08:00"

    var description: String { "date-time \(Self.expected)" }
}
