import Foundation

/// One row of the append-only audit trail.
public struct AuditEntry: Sendable, Codable, Equatable {
    public var id: Int64
    public var at: Date
    public var siteId: Site.ID?
    public var actorUserId: Int64?
    public var actorName: String
    public var role: String
    public var requestId: String?
    public var cliOperator: String?
    public var action: String
    public var entity: String
    public var entityId: String?
    /// JSON text of the record before the change, if it existed.
    public var before: String?
    /// JSON text of the record after the change, if it still exists.
    public var after: String?

    public init(
        id: Int64, at: Date, siteId: Site.ID?, actorUserId: Int64?, actorName: String, role: String,
        requestId: String?, cliOperator: String?, action: String, entity: String, entityId: String?,
        before: String?, after: String?
    ) {
        self.id = id
        self.at = at
        self.siteId = siteId
        self.actorUserId = actorUserId
        self.actorName = actorName
        self.role = role
        self.requestId = requestId
        self.cliOperator = cliOperator
        self.action = action
        self.entity = entity
        self.entityId = entityId
        self.before = before
        self.after = after
    }
}

/// Filters for reading the audit trail.
public struct AuditQuery: Sendable, Equatable {
    public var siteId: Site.ID?
    public var entity: String?
    public var entityId: String?
    public var action: String?
    public var actorName: String?
    public var since: Date?
    public var until: Date?
    public var page: PageRequest
    /// Newest entries first; the cursor then walks back in time.
    public var newestFirst: Bool

    public init(
        siteId: Site.ID? = nil, entity: String? = nil, entityId: String? = nil, action: String? = nil,
        actorName: String? = nil, since: Date? = nil, until: Date? = nil, page: PageRequest = PageRequest(),
        newestFirst: Bool = false
    ) {
        self.siteId = siteId
        self.entity = entity
        self.entityId = entityId
        self.action = action
        self.actorName = actorName
        self.since = since
        self.until = until
        self.page = page
        self.newestFirst = newestFirst
    }
}
