import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A browser as the console tests need one: it keeps the cookies Cordon sets and reads each
/// page's CSRF token, and follows nothing by itself so that redirects can be checked.
final class ConsoleClient: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) { self.client = client }

    struct Page {
        var status: Int
        var headers: HTTPFields
        var html: String

        var location: String? { headers[.location] }
        /// The CSRF token of the page's first form.
        var csrf: String? {
            guard let range = html.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression) else {
                return nil
            }
            return String(html[range].split(separator: "\"")[3])
        }
    }

    @discardableResult
    func get(_ path: String) async throws -> Page { try await send(.get, path, form: nil) }

    @discardableResult
    func post(_ path: String, _ form: [(String, String)], headers: [String: String] = [:]) async throws -> Page {
        var body = URLComponents()
        body.queryItems = form.map { URLQueryItem(name: $0.0, value: $0.1) }
        // URLComponents leaves `+` alone; a form body must encode it, or it reads as a space.
        let encoded = (body.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return try await send(.post, path, form: encoded, headers: headers)
    }

    /// Posts a form with a file, as `multipart/form-data`, the way a browser uploads one.
    @discardableResult
    func upload(_ path: String, _ fields: [(String, String)], file: (name: String, text: String)) async throws -> Page {
        let boundary = "----cordon-test-\(UUID().uuidString)"
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"roster.csv\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(file.text)\r\n--\(boundary)--\r\n"
        return try await send(
            .post, path, form: body, headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
    }

    func signIn(_ username: String, _ password: String) async throws -> Page {
        try await post("/console/sign-in", [("username", username), ("password", password), ("next", "/console/")])
    }

    private func send(
        _ method: HTTPRequest.Method, _ path: String, form: String?, headers extra: [String: String] = [:]
    )
        async throws -> Page
    {
        var headers = HTTPFields()
        if !cookies.isEmpty {
            headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
        }
        if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        let page = try await client.execute(
            uri: path, method: method, headers: headers, body: form.map { ByteBuffer(string: $0) }
        ) { response in
            Page(status: Int(response.status.code), headers: response.headers, html: String(buffer: response.body))
        }
        for line in page.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || line.contains("Max-Age=0") {
                cookies[String(pair[0])] = nil
            } else {
                cookies[String(pair[0])] = value
            }
        }
        return page
    }

    /// The raw `Set-Cookie` of the session, as the last sign-in sent it.
    var sessionSecret: String? { cookies["cordon_session"] }
}
