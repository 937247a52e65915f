import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension Components.Schemas.AuditEntry {
    init(_ e: AuditEntry) throws {
        func json(_ text: String?) throws -> OpenAPIValueContainer? {
            try text.map { try JSONDecoder().decode(OpenAPIValueContainer.self, from: Data($0.utf8)) }
        }
        self.init(
            id: e.id, at: e.at, siteId: e.siteId?.rawValue, actorUserId: e.actorUserId, actorName: e.actorName,
            role: e.role,
            requestId: e.requestId, cliOperator: e.cliOperator, action: e.action, entity: e.entity,
            entityId: e.entityId,
            before: try json(e.before), after: try json(e.after))
    }
}
