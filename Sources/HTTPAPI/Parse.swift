import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

/// Parameters and body values as the handlers read them. A parameter that does not match its
/// declared schema (a path id of 0, `limit=0`, a date that is not one) is malformed: 400. A body
/// value that breaks a rule is 422, as every other rule of the domain.
enum Parse {
    /// A path or query id: a positive integer.
    /// A path id, typed by what it names (`Site.ID`, ...) as the call site expects.
    static func id<Tag>(_ value: Int64, _ field: String) throws -> Tagged<Tag, Int64> {
        guard value > 0 else { throw ProblemDetails.malformed(field, "must be a positive id") }
        return Tagged(rawValue: value)
    }

    /// A path id of something that has no record type of its own (a check-in code, a feed).
    static func id(_ value: Int64, _ field: String) throws -> Int64 {
        try (id(value, field) as Tagged<Void, Int64>).rawValue
    }

    static func uuid(_ value: String, _ field: String) throws -> UUID {
        guard let uuid = UUID(uuidString: value) else {
            throw ProblemDetails.malformed(field, "must be a UUID such as 0b6e7c1a-4d1f-4c1e-9a53-2f0c9d7e8a11")
        }
        return uuid
    }

    /// A date inside a JSON body.
    static func date(_ value: String?, _ field: String) throws -> CalendarDate? {
        guard let value else { return nil }
        guard let date = CalendarDate(value) else { throw DomainError.invalid(field, "must be a date as YYYY-MM-DD") }
        return date
    }

    /// A date in the query string: malformed is 400, a day outside Cordon's dates 422.
    static func queryDate(_ value: String?, _ field: String) throws -> CalendarDate? {
        guard let value else { return nil }
        guard let date = CalendarDate(value) else {
            throw ProblemDetails.malformed(field, "must be a date as YYYY-MM-DD")
        }
        var v = Validator()
        v.plannedDay(date, field)
        try v.finish()
        return date
    }

    /// A whole number in the query string, within its declared bounds.
    static func queryInt(_ value: Int?, _ field: String, _ bounds: ClosedRange<Int>) throws -> Int? {
        guard let value else { return nil }
        guard bounds.contains(value) else {
            throw ProblemDetails.malformed(field, "must be between \(bounds.lowerBound) and \(bounds.upperBound)")
        }
        return value
    }

    /// A page of a list: the cursor from a `next` link and a limit of 1 to 500.
    static func page(_ cursor: String?, _ limit: Int?) throws -> PageRequest {
        do {
            return try PageRequest(cursor: cursor, limit: limit)
        } catch DomainError.invalid(let issues) {
            throw ProblemDetails(
                .badRequest, slug: "malformed-request",
                detail: issues.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), errors: issues)
        }
    }

    static func key(_ value: String?) throws -> IdempotencyKey? {
        try value.map(IdempotencyKey.init)
    }

    /// The link to the next page: this request's path and query with the cursor replaced.
    static func nextLink(_ path: String, _ query: [(String, String?)], cursor: String?) -> String? {
        guard let cursor else { return nil }
        var components = URLComponents()
        components.path = path
        components.queryItems =
            query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
            + [URLQueryItem(name: "cursor", value: cursor)]
        return components.string
    }
}
