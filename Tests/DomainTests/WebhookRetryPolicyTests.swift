import Domain
import Foundation
import Testing

@Suite("Webhook retry policy")
struct WebhookRetryPolicyTests {
    @Test("waits double from the base up to the cap; after the last attempt comes the dead letter")
    func backoff() {
        let policy = WebhookRetryPolicy(baseDelay: 30, maximumDelay: 300, maximumAttempts: 6)
        #expect((1...6).map { policy.delay(afterFailedAttempt: $0) } == [30, 60, 120, 240, 300, nil])
        #expect(policy.totalWait == 750)
        #expect(WebhookRetryPolicy(maximumAttempts: 1).delay(afterFailedAttempt: 1) == nil)
    }

    @Test("the payload's bytes are stable: sorted keys and ISO 8601 times")
    func payloadBytes() throws {
        let referral = Referral(
            id: 7, siteId: 1, patientId: 3, patientName: "何雅琴", hospitalId: 2, departmentId: nil, reason: "化疗",
            clinicalSummary: "术后辅助化疗", services: [.chemotherapy], urgency: .urgent, fastLane: true,
            committeeContact: "",
            requestedBy: "dr", status: .requested, appointmentAt: nil, outcome: nil,
            createdAt: Date(timeIntervalSince1970: 1_650_000_000),
            updatedAt: Date(timeIntervalSince1970: 1_650_000_000), version: 1)
        let payload = WebhookPayload(
            id: UUID(uuidString: "0000000A-0000-0000-0000-000000000001")!, type: .referralCreated,
            occurredAt: Date(timeIntervalSince1970: 1_650_000_060), referral: referral)
        let body = try payload.encoded()
        #expect(body == (try payload.encoded()))
        #expect(
            body.hasPrefix(
                #"{"id":"0000000a-0000-0000-0000-000000000001","occurredAt":"2022-04-15T05:21:00Z","referral":{"#))
        #expect(body.hasSuffix(#""type":"referral.created"}"#))
    }
}
