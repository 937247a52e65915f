import Crypto
import Domain
import Foundation

/// Random secrets and their encodings: bearer tokens, calendar addresses, signing keys.
/// Only a secret's SHA-256 is stored where the secret itself is a credential.
enum Secret {
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// 32 random bytes, URL-safe, after a prefix that says what the secret is.
    static func generate(prefix: String) -> String {
        prefix + base64url(Data(randomBytes(32)))
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hexString
    }

    /// Base64 with the URL-safe alphabet and no padding (RFC 4648 section 5).
    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func unbase64url(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
