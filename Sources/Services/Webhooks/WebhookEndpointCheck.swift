import Domain
import Foundation
import NIOPosix
import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// Applies `WebhookEndpointRule` to a URL: its syntax, then the addresses its host resolves to
/// now. Used when an admin sets the URL and again before each delivery, so a name that later
/// resolves to a private address is refused then; the delivery then connects to the address
/// that was checked, never to what a second lookup might answer (DNS rebinding).
struct WebhookEndpointCheck: Sendable {
    let rule: WebhookEndpointRule
    let resolver: WebhookResolver

    init(allowPrivateNetworks: Bool, resolver: WebhookResolver = .system) {
        rule = WebhookEndpointRule(allowPrivateNetworks: allowPrivateNetworks)
        self.resolver = resolver
    }

    /// The signing secret for an endpoint being registered, once its URL passes
    /// `checkWhenSet`; nil when no URL is given (the endpoint is being removed).
    func newSecret(for url: String?, field: String) async throws -> String? {
        guard let url else { return nil }
        try await checkWhenSet(url, field: field)
        return Secret.generate(prefix: "whsec_")
    }

    /// When an admin sets the URL: a host that does not resolve yet is accepted over https (its
    /// DNS may come later; deliveries fail until it does), never over plain http.
    func checkWhenSet(_ url: String, field: String) async throws {
        switch rule.parse(url) {
        case .failure(let error):
            throw DomainError.invalid(field, error.description)
        case .success(let (scheme, host)):
            let addresses = await resolver.addresses(host)
            if let error = rule.check(scheme: scheme, addresses: addresses),
                !(error == .unresolved && scheme == "https")
            {
                throw DomainError.invalid(field, error.description)
            }
        }
    }

    /// What a delivery may do now.
    enum Verdict: Equatable {
        /// Connect to `address` (written out) for the URL's host; nil when the host is an address.
        case deliver(host: String, address: String?)
        case refused(String)
    }

    /// Before a delivery: the address to connect to, or why it may not go out.
    func beforeDelivery(_ url: String) async -> Verdict {
        switch rule.parse(url) {
        case .failure(let error): return .refused("endpoint refused: \(error)")
        case .success(let (scheme, host)):
            let addresses = await resolver.addresses(host)
            switch rule.check(scheme: scheme, addresses: addresses) {
            case nil:
                let pinned = Self.literalAddress(host) == nil ? addresses.first.map(Self.text) : nil
                return .deliver(host: host, address: pinned)
            case .unresolved: return .refused("cannot deliver: the host name \(host) does not resolve")
            case let refusal?: return .refused("endpoint refused: \(refusal)")
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

    /// An address's bytes written out (`203.0.113.7`, `2001:db8::1`).
    static func text(_ bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        _ = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        return String(cString: buffer)
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

/// How a webhook host's addresses are found: the system's resolver, or (in tests) another.
struct WebhookResolver: Sendable {
    let addresses: @Sendable (String) async -> [[UInt8]]

    static let system = WebhookResolver { await WebhookEndpointCheck.resolve($0) }
}
