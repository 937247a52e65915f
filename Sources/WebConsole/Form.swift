import Foundation
import Hummingbird
import NIOCore

/// A posted HTML form (`application/x-www-form-urlencoded`), field by field, as typed.
struct Form: Sendable {
    let fields: [String: String]

    /// The largest form the console accepts; its longest field is a referral's summary.
    static let largestBytes = 64 * 1024

    subscript(_ name: String) -> String? { fields[name] }

    /// A field's text, trimmed; nil when absent or blank.
    func text(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    static func read(_ request: inout Request) async throws -> Form {
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: largestBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "the form is larger than \(largestBytes) bytes")
        }
        return try parse(String(buffer: body))
    }

    /// Hummingbird's decoder reads the fields (`+` is a space, `%XX` a byte); a body it cannot
    /// read is a bad request.
    static func parse(_ body: String) throws -> Form {
        if body.isEmpty { return Form(fields: [:]) }
        do {
            return Form(fields: try URLEncodedFormDecoder().decode([String: String].self, from: body))
        } catch {
            throw HTTPError(.badRequest, message: "the form could not be read")
        }
    }
}
