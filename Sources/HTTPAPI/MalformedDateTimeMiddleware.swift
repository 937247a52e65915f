import CordonAPI
import Foundation
import Hummingbird
import OpenAPIRuntime
import Settings

/// Names the field of a date-time that could not be read. The OpenAPI runtime decodes dates
/// without knowing where they stand, so a malformed one would read as a malformed body; this
/// looks for the value in the query and the (already collected) JSON body and names its path.
struct MalformedDateTimeMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: RequestLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            guard let malformed = Self.malformedDateTime(in: error) else { throw error }
            var request = request
            let body = try? await request.collectBody(upTo: limits.bodyBytes(at: request.uri.path))
            let field =
                Self.queryField(holding: malformed.value, in: request.uri.queryParameters)
                ?? body.flatMap { Self.jsonPath(holding: malformed.value, in: Data(buffer: $0)) } ?? "body"
            throw ProblemDetails.malformed(field, MalformedDateTime.expected)
        }
    }

    static func malformedDateTime(in error: any Error) -> MalformedDateTime? {
        switch error {
        case let malformed as MalformedDateTime: malformed
        case let server as ServerError: server.underlyingError as? MalformedDateTime
        default: nil
        }
    }

    static func queryField(holding value: String, in query: Parameters) -> String? {
        query.first { String($0.value) == value }.map { String($0.key) }
    }

    /// The path (`persons[3].expectedAt`) of the first string in `json` equal to `value`.
    static func jsonPath(holding value: String, in json: Data) -> String? {
        guard let root = try? JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed]) else {
            return nil
        }
        func search(_ node: Any, _ path: String) -> String? {
            switch node {
            case let text as String:
                return text == value ? path : nil
            case let array as [Any]:
                for (index, element) in array.enumerated() {
                    if let found = search(element, "\(path)[\(index)]") { return found }
                }
            case let object as [String: Any]:
                for key in object.keys.sorted() {
                    if let found = search(object[key]!, path.isEmpty ? key : "\(path).\(key)") { return found }
                }
            default:
                break
            }
            return nil
        }
        return search(root, "")
    }
}
