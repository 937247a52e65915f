import Domain
import Foundation
import Synchronization
import Testing

@testable import Services

@Suite("Recording webhook attempts: many that finish together in one write")
struct AttemptRecorderTests {
    static func attempt(_ n: Int) -> WebhookAttemptRecord {
        WebhookAttemptRecord(
            delivery: WebhookDelivery(
                eventId: UUID(), siteId: Site.ID(rawValue: 1), type: .referralCreated, body: "{}", attempt: n,
                attemptInRound: n, url: nil, secret: nil),
            result: WebhookAttemptResult(statusCode: 200, error: nil, startedAt: Date()), retryAfter: nil)
    }

    @Test("attempts that finish while a write is in flight go together in the next write; each is written once")
    func groupsWaitingAttempts() async throws {
        let writes = Mutex<[[Int]]>([])
        let recorder = AttemptRecorder { batch in
            writes.withLock { $0.append(batch.map(\.delivery.attempt)) }
            // A slow write, so that the others finish while it is in flight.
            try await Task.sleep(for: .milliseconds(100))
        }
        try await recorder.record(Self.attempt(0))
        #expect(writes.withLock { $0 } == [[0]])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await recorder.record(Self.attempt(1)) }
            try await Task.sleep(for: .milliseconds(30))
            for n in 2...8 { group.addTask { try await recorder.record(Self.attempt(n)) } }
            try await group.waitForAll()
        }
        let all = writes.withLock { $0 }
        #expect(all.count == 3)
        #expect(all[1] == [1])
        #expect(all[2].sorted() == Array(2...8))
    }

    @Test("a write that fails fails every attempt it carried, and the next write goes ahead")
    func failureReachesEveryWaiter() async throws {
        struct Refused: Error {}
        let calls = Mutex(0)
        let recorder = AttemptRecorder { _ in
            let call = calls.withLock {
                $0 += 1
                return $0
            }
            try await Task.sleep(for: .milliseconds(50))
            if call == 2 { throw Refused() }
        }
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await recorder.record(Self.attempt(1))) != nil }
            try await Task.sleep(for: .milliseconds(20))
            for n in 2...4 { group.addTask { (try? await recorder.record(Self.attempt(n))) != nil } }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        // The first write succeeds; the three waiting behind it share the second, which fails.
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(outcomes.filter { !$0 }.count == 3)
        try await recorder.record(Self.attempt(5))
        #expect(calls.withLock { $0 } == 3)
    }

    @Test("an address written out is read without a lookup; a name is not")
    func literalAddresses() {
        #expect(WebhookEndpointCheck.literalAddress("127.0.0.1") == [127, 0, 0, 1])
        #expect(WebhookEndpointCheck.literalAddress("::1") == Array(repeating: 0, count: 15) + [1])
        #expect(WebhookEndpointCheck.literalAddress("his.pj1.example.org") == nil)
        #expect(WebhookEndpointCheck.literalAddress("10.1.2") == nil)
    }
}
