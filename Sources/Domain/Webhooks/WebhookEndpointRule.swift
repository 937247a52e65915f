import Foundation

/// Where a hospital's webhook may point. Clinical summaries go over it, so it must be https to a
/// public address; a lab (and the tests) may allow loopback and private addresses, and plain
/// http to those only. The rule is checked when the URL is set and again before each delivery,
/// against the addresses the host resolves to then.
public struct WebhookEndpointRule: Sendable, Equatable {
    /// `WEBHOOK_ALLOW_PRIVATE_NETWORKS`.
    public var allowPrivateNetworks: Bool

    public init(allowPrivateNetworks: Bool) { self.allowPrivateNetworks = allowPrivateNetworks }

    public static let maximumLength = 2_000

    /// The URL's parts the rule needs, or why it cannot be an endpoint at all.
    public func parse(_ text: String) -> Result<(scheme: String, host: String), WebhookEndpointError> {
        guard text.count <= Self.maximumLength, let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = components.host, !host.isEmpty
        else {
            return .failure(.malformed)
        }
        if components.user != nil || components.password != nil { return .failure(.credentialsInURL) }
        if scheme == "http" && !allowPrivateNetworks { return .failure(.plainHTTP) }
        return .success((scheme, host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))))
    }

    /// Whether a URL of `scheme` may be delivered to a host that resolves to `addresses`
    /// (each 4 or 16 bytes). An empty list means the host did not resolve.
    public func check(scheme: String, addresses: [[UInt8]]) -> WebhookEndpointError? {
        guard !addresses.isEmpty else { return .unresolved }
        let nonPublic = addresses.filter { !NetworkAddress.isPublic($0) }
        if !allowPrivateNetworks, let first = nonPublic.first { return .privateAddress(NetworkAddress.format(first)) }
        if scheme == "http", let reachable = addresses.first(where: NetworkAddress.isPublic) {
            return .plainHTTPToPublic(NetworkAddress.format(reachable))
        }
        return nil
    }
}

/// Why a webhook URL was refused.
public enum WebhookEndpointError: Error, Equatable, CustomStringConvertible {
    case malformed
    case credentialsInURL
    case plainHTTP
    case plainHTTPToPublic(String)
    case privateAddress(String)
    case unresolved

    public var description: String {
        switch self {
        case .malformed: "must be an absolute https URL of at most \(WebhookEndpointRule.maximumLength) characters"
        case .credentialsInURL: "must not carry a user name or password; deliveries are signed instead"
        case .plainHTTP:
            "must be https: clinical summaries never travel in plain text (a lab may set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true for private addresses)"
        case .plainHTTPToPublic(let address): "must be https: the host resolves to the public address \(address)"
        case .privateAddress(let address):
            "resolves to \(address), a loopback, private, link-local or multicast address (allowed only with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true)"
        case .unresolved: "the host name does not resolve"
        }
    }
}

/// Classifies IP addresses (4 bytes for IPv4, 16 for IPv6).
public enum NetworkAddress {
    /// Routable on the public internet: not loopback, private, shared (CGNAT), link-local,
    /// multicast, reserved, documentation or unspecified.
    public static func isPublic(_ bytes: [UInt8]) -> Bool {
        switch bytes.count {
        case 4: return isPublicV4(bytes)
        case 16: return isPublicV6(bytes)
        default: return false
        }
    }

    static func isPublicV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1], b[2]) {
        case (0, _, _), (10, _, _), (127, _, _): return false
        case (100, 64...127, _): return false  // shared address space (carrier NAT)
        case (169, 254, _): return false
        case (172, 16...31, _): return false
        case (192, 0, 0), (192, 0, 2), (192, 168, _): return false
        case (198, 18...19, _), (198, 51, 100), (203, 0, 113): return false
        case (224...255, _, _): return false  // multicast, reserved, broadcast
        default: return true
        }
    }

    static func isPublicV6(_ b: [UInt8]) -> Bool {
        // IPv4-mapped
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return isPublicV4(Array(b[12..<16])) }
        if b[0..<15].allSatisfy({ $0 == 0 }) { return false }  // :: and ::1
        if b[0] == 0xff { return false }  // multicast
        if b[0] & 0xfe == 0xfc { return false }  // unique local fc00::/7
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return false }  // link-local fe80::/10
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return false }  // documentation
        if b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b { return isPublicV4(Array(b[12..<16])) }  // NAT64
        return true
    }

    /// The usual text form (dotted quad, or colon-separated hex groups).
    public static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: bytes.count, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
        }
        .joined(separator: ":")
    }
}
