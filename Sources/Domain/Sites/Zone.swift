/// The three infection-control zones of a site.
public enum ZoneKind: String, Sendable, Codable, CaseIterable {
    /// Where patients are; full PPE.
    case contaminated
    /// Where staff don and doff PPE.
    case buffer
    /// Offices, pharmacy, rest areas.
    case clean
}

/// A zone of a site, e.g. "Ward block A (contaminated)".
public struct Zone: Sendable, Codable, Equatable {
    public var id: ID
    public var siteId: Site.ID
    public var code: String
    public var name: String
    public var kind: ZoneKind

    public init(id: ID, siteId: Site.ID, code: String, name: String, kind: ZoneKind) {
        self.id = id
        self.siteId = siteId
        self.code = code
        self.name = name
        self.kind = kind
    }
}

/// The fields supplied to create a zone.
public struct ZoneDraft: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var kind: ZoneKind

    public init(code: String, name: String, kind: ZoneKind) {
        self.code = code
        self.name = name
        self.kind = kind
    }

    public func validate() throws {
        var v = Validator()
        v.check(SiteDraft.isCode(code, minimumLength: 1), "code", "must be 1-32 letters, digits or dashes, e.g. A")
        v.text(name, "name")
        try v.finish()
    }
}
