import Domain
import Foundation
import NIOPosix
import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// Applies `WebhookEndpointRule` to a URL: its syntax, then the addresses its host resolves to
/// now. Used when an admin sets the URL and again before each delivery, so a name that later
/// resolves to a private address is refused then.
struct WebhookEndpointCheck: Sendable {
    let rule: WebhookEndpointRule

    init(allowPrivateNetworks: Bool) { rule = WebhookEndpointRule(allowPrivateNetworks: allowPrivateNetworks) }

    /// When an admin sets the URL: a host that does not resolve yet is accepted over https (its
    /// DNS may come later; deliveries fail until it does), never over plain http.
    func checkWhenSet(_ url: String, field: String) async throws {
        switch rule.parse(url) {
        case .failure(let error):
            throw DomainError.invalid(field, error.description)
        case .success(let (scheme, host)):
            let addresses = await Self.resolve(host)
            if let error = rule.check(scheme: scheme, addresses: addresses),
                !(error == .unresolved && scheme == "https")
            {
                throw DomainError.invalid(field, error.description)
            }
        }
    }

    /// Before a delivery: why it may not go out, or nil.
    func refusalBeforeDelivery(_ url: String) async -> String? {
        switch rule.parse(url) {
        case .failure(let error): return "endpoint refused: \(error)"
        case .success(let (scheme, host)):
            switch rule.check(scheme: scheme, addresses: await Self.resolve(host)) {
            case nil: return nil
            case .unresolved: return "cannot deliver: the host name \(host) does not resolve"
            case let refusal?: return "endpoint refused: \(refusal)"
            }
        }
    }

    /// The addresses `host` resolves to (a literal address resolves to itself), or none within 5 s.
    static func resolve(_ host: String) async -> [[UInt8]] {
        // A literal address needs no lookup, and no hop to the thread pool on every delivery.
        if let literal = literalAddress(host) { return [literal] }
        return
            (try? await withDeadline(seconds: 5, "resolving \(host)") {
                try await NIOThreadPool.singleton.runIfActive { lookUp(host) }
            }) ?? []
    }

    /// The bytes of `host` when it is an IPv4 or IPv6 address written out, else nil.
    static func literalAddress(_ host: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }

    /// getaddrinfo, blocking: run it on a thread pool.
    private static func lookUp(_ host: String) -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var out: [[UInt8]] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor?.pointee {
            if info.ai_family == AF_INET, let address = info.ai_addr {
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                    out.append(withUnsafeBytes(of: v4.pointee.sin_addr) { Array($0) })
                }
            } else if info.ai_family == AF_INET6, let address = info.ai_addr {
                address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                    out.append(withUnsafeBytes(of: v6.pointee.sin6_addr) { Array($0) })
                }
            }
            cursor = info.ai_next
        }
        return out
    }
}
