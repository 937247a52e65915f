import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A posted HTML form, field by field, as typed: `application/x-www-form-urlencoded`, or
/// `multipart/form-data` when it carries a file (a file field's value is the file's text).
struct Form: Sendable {
    let fields: [String: String]

    /// The largest plain form the console accepts; its longest field is a referral's summary.
    static let largestBytes = 64 * 1024
    /// The largest form with a file: a roster spreadsheet of a few thousand lines.
    static let largestUploadBytes = 4 * 1024 * 1024

    subscript(_ name: String) -> String? { fields[name] }

    /// A field's text, trimmed; nil when absent or blank.
    func text(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    static func read(_ request: inout Request) async throws -> Form {
        let boundary = multipartBoundary(request.headers[.contentType])
        let limit = boundary == nil ? largestBytes : largestUploadBytes
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "the form is larger than \(limit) bytes")
        }
        if let boundary {
            do {
                return Form(fields: try FormDataDecoder().decode([String: String].self, from: body, boundary: boundary))
            } catch {
                throw HTTPError(.badRequest, message: "the form could not be read; a file must be UTF-8 text")
            }
        }
        return try parse(String(buffer: body))
    }

    /// The boundary of a `multipart/form-data` body, from its content type.
    static func multipartBoundary(_ contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
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
