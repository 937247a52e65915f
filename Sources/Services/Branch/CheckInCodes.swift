import Crypto
import Domain
import Foundation

/// Check-in codes: the claims as compact JSON, base64url, a dot, and an HMAC-SHA256 of them
/// under the branch's own key. Short enough for a QR code a phone reads from across a ward.
enum CheckInCodes {
    static func newKey() -> String { Secret.randomBytes(32).hexString }

    static func sign(_ claims: CheckInClaims, keyHex: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // the same claims always give the same code
        let payload = Secret.base64url(try encoder.encode(claims))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key(keyHex))
        return payload + "." + Secret.base64url(Data(mac))
    }

    /// The claims a code carries, before any check of its signature.
    static func claims(of code: String) throws -> CheckInClaims {
        let parts = code.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let json = Secret.unbase64url(String(parts[0])),
            let claims = try? JSONDecoder().decode(CheckInClaims.self, from: json)
        else {
            throw DomainError.forbidden("this is not a check-in code of a Cordon site; scan the branch's poster again")
        }
        return claims
    }

    /// Whether `code` was signed with `keyHex`; compared in constant time.
    static func isGenuine(_ code: String, keyHex: String) -> Bool {
        let parts = code.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let mac = Secret.unbase64url(String(parts[1])) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(parts[0].utf8), using: key(keyHex))
    }

    private static func key(_ hex: String) -> SymmetricKey {
        SymmetricKey(data: [UInt8](hexString: hex) ?? [])
    }
}
