import Domain
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import Services

/// A resolver that answers `first` once and `later` ever after: a name whose owner changes its
/// address between Cordon's check and the connection (DNS rebinding).
final class RebindingResolver: Sendable {
    private let calls = Mutex(0)
    let first: [UInt8]
    let later: [UInt8]

    init(first: [UInt8], later: [UInt8]) {
        self.first = first
        self.later = later
    }

    var resolver: WebhookResolver {
        WebhookResolver { _ in
            let call = self.calls.withLock { n in
                n += 1
                return n
            }
            return [call == 1 ? self.first : self.later]
        }
    }

    var lookups: Int { calls.withLock { $0 } }
}

@Suite("Webhooks connect to the address that was checked")
struct WebhookRebindingTests {
    @Test("a name that answers differently the second time still gets the delivery at the checked address")
    func connectsToCheckedAddress() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            try await WebhookReceiver.serving { checked, url in
                let port = try #require(URL(string: url)?.port)
                // What a second lookup would answer: another address, where somebody else listens.
                try await WebhookReceiver.serving(host: "127.0.0.2", port: port) { other, _ in
                    _ = try await f.endpoint(url)
                    // A name no DNS knows: only the checked address can reach the receiver.
                    try await db.asOwner(
                        "UPDATE hospitals SET webhook_url = 'http://rebinding.test:\(port)/cordon-webhooks' WHERE id = \(f.oncology.id)"
                    )
                    _ = try await f.refer()
                    let names = RebindingResolver(first: [127, 0, 0, 1], later: [127, 0, 0, 2])
                    let dispatcher = WebhookDispatcher(
                        database: f.services.database, settings: quickWebhooks(), logger: Logger(label: "test"),
                        resolver: names.resolver)
                    let running = Task { try await dispatcher.run() }
                    defer { running.cancel() }
                    try await eventually("the event is delivered") { try await f.events(.delivered).count == 1 }
                    running.cancel()
                    _ = await running.result
                    #expect(await checked.received.count == 1)
                    #expect(await other.received.isEmpty)
                    #expect(names.lookups == 1, "one lookup per attempt: the check's")
                }
            }
        }
    }
}
