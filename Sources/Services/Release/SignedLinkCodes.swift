import Crypto
import Domain
import Foundation

/// The codes in the site's public links (a certificate's check and holder's view, a committee's
/// acknowledgement): what it is for, the site and the record (17 bytes),
/// then the first 16 bytes of an HMAC-SHA256 of them under the site's own key, all base64url
/// (44 characters). Without the key a code can be neither forged nor guessed from another, so
/// the verification page cannot be walked through by counting.
enum SignedLinkCodes {
    static let macBytes = 16

    /// What a code names, before its signature is checked.
    struct Claims: Equatable {
        var purpose: SignedLinkPurpose
        var siteId: Site.ID
        var recordId: Int64
    }

    static func sign(_ claims: Claims, keyHex: String) -> String {
        let payload = bytes(claims)
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: key(keyHex))
        return Secret.base64url(Data(payload + mac.prefix(macBytes)))
    }

    /// The claims of a well-formed code, or nil; its signature is checked by `isGenuine`.
    static func claims(of code: String) -> Claims? {
        guard code.utf8.count == 44, let data = Secret.unbase64url(code), data.count == 17 + macBytes,
            let purpose = SignedLinkPurpose(rawValue: data[data.startIndex])
        else { return nil }
        let numbers = Array(data.dropFirst())
        func int64(_ at: Int) -> Int64 { numbers[at..<at + 8].reduce(0) { $0 << 8 | Int64($1) } }
        let siteId = int64(0)
        let recordId = int64(8)
        guard siteId > 0, recordId > 0 else { return nil }
        return Claims(purpose: purpose, siteId: Site.ID(siteId), recordId: recordId)
    }

    /// Whether `code` was signed with `keyHex`; compared in constant time.
    static func isGenuine(_ code: String, keyHex: String) -> Bool {
        guard let data = Secret.unbase64url(code), data.count == 17 + macBytes else { return false }
        let full = HMAC<SHA256>.authenticationCode(for: data.prefix(17), using: key(keyHex))
        // Constant time over the truncated MAC, as over a whole one.
        return zip(Data(full).prefix(macBytes), data.suffix(macBytes)).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func bytes(_ claims: Claims) -> [UInt8] {
        func be(_ value: Int64) -> [UInt8] { (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
        return [claims.purpose.rawValue] + be(claims.siteId.rawValue) + be(claims.recordId)
    }

    private static func key(_ hex: String) -> SymmetricKey {
        SymmetricKey(data: [UInt8](hexString: hex) ?? [])
    }
}
