/// A medicine in the catalogue. Stock is counted in units of issue (a tablet), so a single tablet
/// can be dispensed from a box of `packSize`.
public struct Medication: Sendable, Codable, Equatable {
    public var id: ID
    public var code: String
    public var genericName: String
    public var strength: String
    public var form: String
    public var unitOfIssue: String
    public var packSize: Int

    public init(
        id: ID, code: String, genericName: String, strength: String, form: String, unitOfIssue: String, packSize: Int
    ) {
        self.id = id
        self.code = code
        self.genericName = genericName
        self.strength = strength
        self.form = form
        self.unitOfIssue = unitOfIssue
        self.packSize = packSize
    }

    /// The name staff know it by: generic name and strength.
    public var displayName: String { "\(genericName) \(strength)" }

    /// The unit of issue as a word of each reader's language (`unit_tablet`), as written otherwise.
    public var unitExplained: Explanation.Value { .word(key: "unit_\(unitOfIssue)", fallback: unitOfIssue) }
}

/// The fields supplied to add a medicine to the catalogue.
public struct MedicationDraft: Sendable, Codable, Equatable {
    public var code: String
    public var genericName: String
    public var strength: String
    public var form: String
    public var unitOfIssue: String
    public var packSize: Int

    public init(code: String, genericName: String, strength: String, form: String, unitOfIssue: String, packSize: Int) {
        self.code = code
        self.genericName = genericName
        self.strength = strength
        self.form = form
        self.unitOfIssue = unitOfIssue
        self.packSize = packSize
    }

    /// The most units of issue one pack may hold.
    public static let largestPack = 10_000

    public func validate() throws {
        var v = Validator()
        v.check(SiteDraft.isCode(code), "code", "must be 2-32 letters, digits or dashes, e.g. AMLO-5")
        v.text(genericName, "genericName", max: 100)
        v.text(strength, "strength", max: 50)
        v.text(form, "form", max: 50)
        v.text(unitOfIssue, "unitOfIssue", max: 30)
        v.check((1...Self.largestPack).contains(packSize), "packSize", "must be between 1 and \(Self.largestPack)")
        try v.finish()
    }
}

/// Where stock is kept: the site pharmacy, or a cabinet in a zone.
public enum StockLocationKind: String, Sendable, Codable, CaseIterable { case pharmacy, cabinet }

public struct StockLocation: Sendable, Codable, Equatable {
    public var id: ID
    public var siteId: Site.ID
    public var code: String
    public var name: String
    public var kind: StockLocationKind
    public var zoneId: Zone.ID?

    public init(id: ID, siteId: Site.ID, code: String, name: String, kind: StockLocationKind, zoneId: Zone.ID?) {
        self.id = id
        self.siteId = siteId
        self.code = code
        self.name = name
        self.kind = kind
        self.zoneId = zoneId
    }
}

/// The fields supplied to add a stock location.
public struct StockLocationDraft: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var kind: StockLocationKind
    /// The zone a cabinet stands in; pharmacies have none.
    public var zoneId: Zone.ID?

    public init(code: String, name: String, kind: StockLocationKind, zoneId: Zone.ID?) {
        self.code = code
        self.name = name
        self.kind = kind
        self.zoneId = zoneId
    }

    public func validate() throws {
        var v = Validator()
        v.check(SiteDraft.isCode(code), "code", "must be 2-32 letters, digits or dashes, e.g. PHARM")
        v.text(name, "name")
        v.check(
            (kind == .cabinet) == (zoneId != nil), "zoneId",
            kind == .cabinet ? "is required for a cabinet" : "is only for cabinets")
        try v.finish()
    }
}
