import Domain
import Testing

@Suite("Webhook endpoints")
struct WebhookEndpointRuleTests {
    @Test(
        "public addresses are public; loopback, private, shared, link-local, multicast and reserved ones are not",
        arguments: [
            ([93, 184, 216, 34], true), ([8, 8, 8, 8], true), ([127, 0, 0, 1], false), ([10, 1, 2, 3], false),
            ([172, 16, 0, 1], false),
            ([172, 31, 255, 255], false), ([172, 32, 0, 1], true), ([192, 168, 1, 1], false),
            ([169, 254, 169, 254], false),
            ([100, 64, 0, 1], false), ([224, 0, 0, 1], false), ([255, 255, 255, 255], false), ([0, 0, 0, 0], false),
        ] as [([UInt8], Bool)])
    func ipv4(address: [UInt8], isPublic: Bool) {
        #expect(NetworkAddress.isPublic(address) == isPublic)
    }

    @Test("IPv6: loopback, unique local, link-local, multicast and v4-mapped private addresses are not public")
    func ipv6() {
        func v6(_ head: [UInt8], tail: [UInt8] = []) -> [UInt8] {
            head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
        }
        #expect(!NetworkAddress.isPublic(v6([], tail: [1])))  // ::1
        #expect(!NetworkAddress.isPublic(v6([0xfd, 0x12])))  // fd12::
        #expect(!NetworkAddress.isPublic(v6([0xfe, 0x80])))  // fe80::
        #expect(!NetworkAddress.isPublic(v6([0xff, 0x02])))  // ff02::
        #expect(!NetworkAddress.isPublic(v6([], tail: [0xff, 0xff, 127, 0, 0, 1])))  // ::ffff:127.0.0.1
        #expect(NetworkAddress.isPublic(v6([0x24, 0x08, 0x80, 0x00])))  // 2408:8000::
    }

    @Test(
        "https to public addresses always; private ones and plain http only in a lab, and http never to a public address"
    )
    func rule() {
        let site = WebhookEndpointRule(allowPrivateNetworks: false)
        let lab = WebhookEndpointRule(allowPrivateNetworks: true)
        #expect(throws: Never.self) { try site.parse("https://his.example.org/hook").get() }
        #expect(site.parse("http://his.example.org/hook").failure == .plainHTTP)
        #expect(site.parse("https://user:pw@his.example.org/hook").failure == .credentialsInURL)
        #expect(site.parse("ftp://his.example.org").failure == .malformed)
        #expect(site.parse(String(repeating: "a", count: 2_001)).failure == .malformed)
        #expect(site.check(scheme: "https", addresses: [[93, 184, 216, 34]]) == nil)
        #expect(
            site.check(scheme: "https", addresses: [[93, 184, 216, 34], [10, 0, 0, 5]]) == .privateAddress("10.0.0.5"))
        #expect(site.check(scheme: "https", addresses: []) == .unresolved)
        #expect(lab.check(scheme: "http", addresses: [[127, 0, 0, 1]]) == nil)
        #expect(lab.check(scheme: "http", addresses: [[93, 184, 216, 34]]) == .plainHTTPToPublic("93.184.216.34"))
    }
}

extension Result {
    var failure: Failure? { if case .failure(let error) = self { error } else { nil } }
}
