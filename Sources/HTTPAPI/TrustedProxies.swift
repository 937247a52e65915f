import Foundation
import NIOCore

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

    static func bytes(_ text: String) -> [UInt8]? {
        guard let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        switch address {
        case .v4(let v4): return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6): return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        case .unixDomainSocket: return nil
        }
    }
}

/// A `TRUSTED_PROXIES` entry that cannot be used.
public struct TrustedProxiesError: Error, CustomStringConvertible {
    public var entry: String
    public var why: String
    public var description: String { "'\(entry)' \(why)" }
}
