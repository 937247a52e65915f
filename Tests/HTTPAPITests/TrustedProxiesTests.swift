import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Settings
import TestSupport
import Testing

@Suite("The client's address behind a load balancer (TRUSTED_PROXIES)")
struct TrustedProxiesTests {
    @Test("X-Forwarded-For is believed only from a trusted peer, read from the right, past trusted hops")
    func rules() throws {
        let proxies = try TrustedProxies(parsing: "127.0.0.1, 10.0.0.0/8, ::1")
        // A client that is not a proxy says what it likes: ignored.
        #expect(proxies.clientAddress(peer: "198.51.100.7", forwardedFor: ["203.0.113.1"]) == "198.51.100.7")
        // HAProxy on loopback names the client.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.1"]) == "203.0.113.1")
        // A client's own forged entry stands left of what the proxy appended: the right one wins.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["1.2.3.4, 203.0.113.1"]) == "203.0.113.1")
        // Two trusted hops (an inner balancer at 10.1.2.3), then the client.
        #expect(
            proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.1", "10.1.2.3"]) == "203.0.113.1")
        // Garbage ends the walk at the last address that was one.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["nonsense"]) == "127.0.0.1")
        #expect(proxies.clientAddress(peer: "::1", forwardedFor: ["2001:db8::7"]) == "2001:db8::7")
        // Without a header, the peer.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        // Nobody trusted: the peer, always.
        #expect(TrustedProxies.none.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.1"]) == "127.0.0.1")
        #expect(throws: TrustedProxiesError.self) { try TrustedProxies(parsing: "10.0.0.0/33") }
        #expect(throws: TrustedProxiesError.self) { try TrustedProxies(parsing: "proxy.example.org") }
    }

    @Test("behind a trusted balancer each client is counted and logged under its own address")
    func securityLogAddress() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            _ = try await DemoFixture.make(services)
            // The test server listens on loopback, over IPv4 or IPv6.
            for (trusted, expected) in [(true, "'203.0.113.9'"), (false, "'127.0.0.1', '::1'")] {
                let app = try APIHarness.application(
                    services, environment: trusted ? ["TRUSTED_PROXIES": "127.0.0.1, ::1"] : [:])
                try await app.test(.live) { client in
                    let answer = try await client.execute(
                        uri: "/me", method: .get,
                        headers: [
                            .authorization: "Bearer cdt_not-a-token", HTTPField.Name("X-Forwarded-For")!: "203.0.113.9",
                        ])
                    #expect(answer.status == .unauthorized)
                }
                #expect(
                    try await db.count(
                        "SELECT count(*)::int FROM security_events WHERE kind = 'bad_token' AND address IN (\(expected))"
                    ) == 1)
            }
        }
    }
}
