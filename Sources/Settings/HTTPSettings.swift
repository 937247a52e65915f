import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where and how the HTTP server listens.
public struct HTTPSettings: Sendable {
    public var host: String
    public var port: Int
    public var limits: RequestLimits
    /// The load balancers whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`).
    public var trustedProxies: TrustedProxies

    public init(
        host: String = "127.0.0.1", port: Int = 8080, limits: RequestLimits = RequestLimits(),
        trustedProxies: TrustedProxies = .none
    ) {
        self.host = host
        self.port = port
        self.limits = limits
        self.trustedProxies = trustedProxies
    }
}

/// How much a client may send, and how long it may take: every body, header block and idle
/// connection has a stated maximum, so no client can hold memory or a connection for ever.
public struct RequestLimits: Sendable, Equatable {
    /// The largest JSON body (`MAX_BODY_BYTES`, 1 MiB).
    public var jsonBodyBytes: Int
    /// The largest file upload: a roster CSV, a laboratory's results (`MAX_IMPORT_BYTES`, 8 MiB:
    /// about 100,000 roster rows, or 50,000 results in any form but the most verbose FHIR).
    public var importBodyBytes: Int
    /// A connection that has sent no complete request part for this long is closed
    /// (`HTTP_IDLE_TIMEOUT_SECONDS`, 30 s). It covers a client that trickles its headers.
    public var idleTimeoutSeconds: Int
    /// The longest a request may take in all, its body included (`REQUEST_TIMEOUT_SECONDS`, 15 s).
    public var requestSeconds: Double

    /// The most header fields a request may carry.
    public static let maximumHeaderFields = 100
    /// The largest header block, and the largest single header.
    public static let maximumHeaderBytes = 16 * 1024

    public init(
        jsonBodyBytes: Int = 1 << 20, importBodyBytes: Int = 8 << 20, idleTimeoutSeconds: Int = 30,
        requestSeconds: Double = 15
    ) {
        self.jsonBodyBytes = jsonBodyBytes
        self.importBodyBytes = importBodyBytes
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.requestSeconds = requestSeconds
    }

    /// How long a request at `path` may take: a file import may take its two minutes more.
    public func requestSeconds(at path: String) -> Double {
        Self.isImport(path) ? requestSeconds + 120 : requestSeconds
    }

    /// The largest body allowed at `path`: a file import may send `importBodyBytes`.
    public func bodyBytes(at path: String) -> Int {
        Self.isImport(path) ? importBodyBytes : jsonBodyBytes
    }

    /// The paths that take files: a roster, and a laboratory's results in any form.
    static func isImport(_ path: String) -> Bool {
        path.hasSuffix("/roster/import") || path.hasSuffix("/lab-results") || path == "/lab/results"
            || path == "/lab/hl7v2" || path == "/fhir"
    }
}

/// The peers allowed to say who the client is (`TRUSTED_PROXIES`): a load balancer in front of
/// Cordon. Behind one, every connection comes from the balancer, and the per-address limits
/// (sign-in, check-in, password reset) would count every client as one; the balancer names the
/// client in `X-Forwarded-For`. That header is believed only from these peers, since any
/// client can send it.
public struct TrustedProxies: Sendable, Equatable {
    /// An address and the leading bits that must match it (`10.0.0.0/8`; a bare address is all bits).
    struct Network: Sendable, Equatable {
        var bytes: [UInt8]
        var prefix: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var bits = prefix
            for (a, b) in zip(address, bytes) where bits > 0 {
                let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
                if a & mask != b & mask { return false }
                bits -= 8
            }
            return true
        }
    }

    let networks: [Network]

    /// No proxy is trusted: the peer is the client.
    public static let none = TrustedProxies(networks: [])

    /// Reads a comma-separated list of addresses and networks, e.g. `127.0.0.1, 10.0.0.0/8, ::1`.
    /// Throws a sentence naming the entry that is neither.
    public init(parsing text: String) throws {
        var networks: [Network] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = Self.bytes(parts[0]) else {
                throw TrustedProxiesError(entry: entry, why: "is not an IPv4 or IPv6 address")
            }
            let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let prefix, (0...bytes.count * 8).contains(prefix) else {
                throw TrustedProxiesError(entry: entry, why: "has a prefix length outside 0-\(bytes.count * 8)")
            }
            networks.append(Network(bytes: bytes, prefix: prefix))
        }
        self.init(networks: networks)
    }

    init(networks: [Network]) { self.networks = networks }

    func trusts(_ address: String) -> Bool {
        guard let bytes = Self.bytes(address) else { return false }
        return networks.contains { $0.contains(bytes) }
    }

    /// The client's address: the peer's, unless the peer is trusted; then the nearest address
    /// in `X-Forwarded-For` (read from the right, the end the trusted proxies wrote) that is not
    /// itself a trusted proxy. An entry that is not an address ends the walk at the last one
    /// that was.
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String? {
        guard var client = peer, !networks.isEmpty, trusts(client) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard Self.bytes(hop) != nil else { break }
            client = hop
            if !trusts(hop) { break }
        }
        return client
    }

    /// The bytes of an IPv4 or IPv6 address written out, else nil.
    static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }
}

/// A `TRUSTED_PROXIES` entry that cannot be used.
public struct TrustedProxiesError: Error, CustomStringConvertible {
    public var entry: String
    public var why: String
    public var description: String { "'\(entry)' \(why)" }
}
