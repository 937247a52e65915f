import Domain
import Storage

/// Reading the audit trail: admins everything, site managers their own sites.
public struct AuditService: Sendable {
    let database: Database

    public func list(_ query: AuditQuery, actor: Actor) async throws -> Page<AuditEntry> {
        var visible = actor.visibleSiteIds
        if let ids = visible {
            visible = ids.filter { actor.roles(at: $0).contains(.siteManager) }
            if let siteId = query.siteId { try actor.require([.siteManager], at: siteId) }
            if visible!.isEmpty {
                throw DomainError.forbidden("only admins and site managers may read the audit trail")
            }
        }
        let allowed = visible
        let rows = try await database.read(actor) { tx in
            try await tx.auditLog.list(query, visible: allowed)
        }
        return Page(fetched: rows, limit: query.page.limit, id: \.id)
    }
}
