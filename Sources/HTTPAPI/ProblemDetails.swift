import CordonAPI
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// An RFC 9457 problem, as every error of this API is answered.
struct ProblemDetails: Error, Encodable {
    var type: String
    var title: String
    var status: Int
    var detail: String?
    var errors: [FieldIssue]?
    var allowed: [String]?
    var requestId: String?
    /// Response headers that go with the problem (e.g. `Allow` on a 405).
    var headers: HTTPFields = [:]

    enum CodingKeys: String, CodingKey { case type, title, status, detail, errors, allowed, requestId }

    init(
        _ status: HTTPResponse.Status, slug: String, detail: String?, errors: [FieldIssue]? = nil,
        allowed: [String]? = nil
    ) {
        self.type = "/problems/\(slug)"
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.errors = errors
        self.allowed = allowed
    }

    /// The response: `application/problem+json`, with the request id in the body.
    func response() -> Response {
        var body = self
        body.requestId = RequestScope.requestId
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data =
            (try? encoder.encode(body))
            ?? Data(#"{"status":500,"title":"Internal Server Error","type":"/problems/internal"}"#.utf8)
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension ProblemDetails {
    /// Translates any error into the problem a client should see. Only errors nobody foresaw
    /// become a 500, and those say no more than the request id.
    static func from(_ error: any Error) -> ProblemDetails {
        switch error {
        case let problem as ProblemDetails:
            return problem
        case let domain as DomainError:
            return from(domain)
        case let decoding as DecodingError:
            return from(decoding)
        case let server as ServerError:
            if server.underlyingError is DomainError || server.underlyingError is DecodingError
                || server.underlyingError is ProblemDetails
            {
                return from(server.underlyingError)
            }
            if server.httpStatus.code < 500 {
                return ProblemDetails(
                    server.httpStatus, slug: "bad-request", detail: server.causeDescription,
                    errors: fieldFromCause(server.causeDescription))
            }
            return internalError
        case let http as HTTPError:
            return ProblemDetails(
                http.status, slug: http.status == .notFound ? "not-found" : "http",
                detail: http.body ?? (http.status == .notFound ? "no such resource" : nil))
        default:
            return internalError
        }
    }

    /// A parameter that does not match its declared schema (400).
    static func malformed(_ field: String, _ detail: String) -> ProblemDetails {
        ProblemDetails(
            .badRequest, slug: "malformed-request", detail: "\(field): \(detail)",
            errors: [FieldIssue(field: field, detail: detail)])
    }

    /// How long a client should wait before retrying while the database is away.
    static let retryAfterSeconds = 5

    static let internalError = ProblemDetails(
        .internalServerError, slug: "internal",
        detail: "an unexpected error occurred; quote the request id to support")

    static func from(_ error: DomainError) -> ProblemDetails {
        switch error {
        case .invalid(let issues):
            return ProblemDetails(
                .unprocessableContent, slug: "invalid-field",
                detail: issues.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), errors: issues)
        case .notFound(let what):
            return ProblemDetails(.notFound, slug: "not-found", detail: what)
        case .conflict(let why, let field):
            return ProblemDetails(
                .conflict, slug: "conflict", detail: why,
                errors: field.map { [FieldIssue(field: $0, detail: why)] })
        case .illegalTransition(let from, let to, let allowed):
            let detail =
                allowed.isEmpty
                ? "cannot go from \(from) to \(to); nothing is allowed from \(from)"
                : "cannot go from \(from) to \(to); allowed: \(allowed.joined(separator: ", "))"
            return ProblemDetails(.conflict, slug: "illegal-transition", detail: detail, allowed: allowed)
        case .preconditionFailed(let current):
            return ProblemDetails(
                .preconditionFailed, slug: "stale-version",
                detail:
                    "the record changed since you read it; its current ETag is \"\(current)\". Fetch it again and reapply your change."
            )
        case .preconditionRequired:
            return ProblemDetails(
                .preconditionRequired, slug: "if-match-required",
                detail: "send If-Match with the ETag of the version you are changing",
                errors: [FieldIssue(field: "If-Match", detail: "is required")])
        case .unauthenticated:
            var problem = ProblemDetails(
                .unauthorized, slug: "unauthenticated",
                detail: "send Authorization: Bearer <token>; tokens come from `cordon token issue`")
            problem.headers[.wwwAuthenticate] = "Bearer"
            return problem
        case .forbidden(let why):
            return ProblemDetails(.forbidden, slug: "forbidden", detail: why)
        case .expired(let what):
            return ProblemDetails(.gone, slug: "expired", detail: what)
        case .unavailable(let why):
            var problem = ProblemDetails(
                .serviceUnavailable, slug: "database-unavailable",
                detail:
                    "the database cannot be used just now (\(why)); nothing was written. Try again in a few seconds.")
            problem.headers[.retryAfter] = String(Self.retryAfterSeconds)
            return problem
        case .outcomeUnknown(let why):
            var problem = ProblemDetails(
                .serviceUnavailable, slug: "outcome-unknown",
                detail:
                    "\(why): the change may or may not have been saved. Retry with the same Idempotency-Key to find out, or read the record before trying again."
            )
            problem.headers[.retryAfter] = String(Self.retryAfterSeconds)
            return problem
        case .tooManyAttempts(let what, let seconds):
            var problem = ProblemDetails(
                .tooManyRequests, slug: "too-many-attempts", detail: "\(what); try again in \(seconds) s")
            problem.headers[.retryAfter] = String(seconds)
            return problem
        }
    }

    static func from(_ error: DecodingError) -> ProblemDetails {
        func path(_ keys: [any CodingKey]) -> String {
            var out = ""
            for key in keys {
                if let index = key.intValue, key.stringValue.hasPrefix("Index") {
                    out += "[\(index)]"
                } else {
                    out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return out.isEmpty ? "body" : out
        }
        let field: String
        let detail: String
        switch error {
        case .keyNotFound(let key, let context):
            field = path(context.codingPath + [key])
            detail = "is required"
        case .valueNotFound(_, let context):
            field = path(context.codingPath)
            detail = "must not be null"
        case .typeMismatch(let type, let context):
            field = path(context.codingPath)
            detail = "has the wrong type; expected \(describe(type))"
        case .dataCorrupted(let context):
            field = path(context.codingPath)
            if context.debugDescription.hasPrefix("Additional properties are disabled") {
                detail = "is not a known field"
            } else if context.codingPath.isEmpty {
                detail = "is not valid JSON"
            } else if context.debugDescription.contains("enum")
                || context.debugDescription.contains("Cannot initialize")
            {
                detail = "is not one of the allowed values"
            } else {
                detail = "is not valid: \(context.debugDescription)"
            }
        @unknown default:
            field = "body"
            detail = "could not be read"
        }
        return ProblemDetails(
            .badRequest, slug: "malformed-request", detail: "\(field): \(detail)",
            errors: [FieldIssue(field: field, detail: detail)])
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        default: String(describing: type)
        }
    }

    /// Pulls a header or parameter name out of the runtime's description of a bad request.
    private static func fieldFromCause(_ cause: String) -> [FieldIssue]? {
        for marker in ["header field named '", "parameter named: ", "query parameter named: "] {
            if let range = cause.range(of: marker) {
                let name = cause[range.upperBound...].prefix { $0 != "'" && $0 != " " && $0 != "." }
                return [FieldIssue(field: String(name), detail: cause)]
            }
        }
        return nil
    }
}
