import Domain
import Foundation
import Testing

@Suite("FHIR view of referrals")
struct FHIRReferralTests {
    @Test("every referral state maps to an R4 Task status and a ServiceRequest status")
    func statusMapping() {
        let task = Dictionary(uniqueKeysWithValues: ReferralStatus.allCases.map { ($0, FHIRReferral.taskStatus($0)) })
        #expect(
            task == [
                .requested: "requested", .accepted: "accepted", .rejected: "rejected", .scheduled: "accepted",
                .transportArranged: "in-progress", .inTransit: "in-progress", .arrived: "in-progress",
                .completed: "completed",
                .cancelled: "cancelled", .failed: "failed",
            ])
        #expect(FHIRReferral.requestStatus(.scheduled) == "active")
        #expect(FHIRReferral.requestStatus(.completed) == "completed")
        #expect(
            [ReferralStatus.rejected, .cancelled, .failed].allSatisfy { FHIRReferral.requestStatus($0) == "revoked" })
        #expect(FHIRReferral.states(forTaskStatus: "in-progress") == [.transportArranged, .inTransit, .arrived])
    }
}
