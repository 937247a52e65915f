import CordonAPI
import Domain
import Foundation
import Services

extension Components.Schemas.WebhookEvent {
    init(_ v: WebhookEvent) {
        self.init(
            id: v.id.uuidString.lowercased(),
            sequence: wire(v.sequence),
            hospitalId: v.hospitalId?.rawValue,
            hospitalCode: v.hospitalCode,
            siteId: wire(v.siteId),
            referralId: v.referralId?.rawValue,
            committeeId: v.committeeId?.rawValue,
            committeeName: v.committeeName,
            committeeNoticeId: v.committeeNoticeId?.rawValue,
            _type: v.type.converted(),
            status: v.status.converted(),
            attempts: v.attempts,
            nextAttemptAt: v.nextAttemptAt,
            lastStatusCode: v.lastStatusCode,
            lastError: v.lastError,
            createdAt: v.createdAt,
            deliveredAt: v.deliveredAt)
    }
}
