import Crypto
import Foundation

/// The `Cordon-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256>`, the MAC taken with the
/// hospital's webhook secret over `"<t>.<body>"`. Signing the time with the body lets a receiver
/// refuse an old delivery replayed by someone who captured it.
public enum WebhookSignature {
    public static let header = "Cordon-Signature"

    /// The header value for `body` sent at `timestamp`.
    public static func sign(body: String, secret: String, timestamp: Date) -> String {
        let t = Int(timestamp.timeIntervalSince1970)
        return "t=\(t),v1=" + mac(body: body, secret: secret, t: t).hexString
    }

    /// Whether `headerValue` is a valid signature of `body` no older than `tolerance` seconds at
    /// `now`: what a receiver does (the tests use it as one).
    public static func verify(
        _ headerValue: String, body: String, secret: String, now: Date = Date(), tolerance: TimeInterval = 300
    ) -> Bool {
        var fields: [Substring: Substring] = [:]
        for part in headerValue.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { fields[kv[0]] = kv[1] }
        }
        guard let t = fields["t"].flatMap({ Int($0) }), let hex = fields["v1"],
            let given = [UInt8](hexString: String(hex)),
            abs(now.timeIntervalSince1970 - Double(t)) <= tolerance
        else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            given, authenticating: message(body: body, t: t), using: key(secret))
    }

    static func mac(body: String, secret: String, t: Int) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: message(body: body, t: t), using: key(secret))
    }

    private static func message(body: String, t: Int) -> Data { Data("\(t).\(body)".utf8) }
    private static func key(_ secret: String) -> SymmetricKey { SymmetricKey(data: Data(secret.utf8)) }
}
