import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

enum ETag {
    /// The ETag header value of a record version.
    static func header(_ version: Int) -> String { "\"\(version)\"" }

    /// The version an `If-Match` names; a value that is not one of our ETags can never match.
    static func version(ifMatch: String?) -> Int? {
        guard var value = ifMatch?.trimmingCharacters(in: .whitespaces) else { return nil }
        if value.hasPrefix("W/") { value.removeFirst(2) }
        return Int(value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) ?? -1
    }
}
