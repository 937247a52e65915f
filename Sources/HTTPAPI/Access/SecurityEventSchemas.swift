import CordonAPI
import Domain
import Foundation
import Services

extension Components.Schemas.SecurityEvent {
    init(_ v: SecurityEvent) {
        self.init(
            id: wire(v.id),
            at: v.at,
            kind: v.kind.converted(),
            status: v.status,
            method: v.method,
            path: v.path,
            address: v.address,
            requestId: v.requestId,
            username: v.username,
            detail: v.detail)
    }
}
