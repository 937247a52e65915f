import Foundation

/// A laboratory that tests the sites' tubes. Laboratories serve many sites, so they are shared
/// by the database, as hospitals are.
public struct Laboratory: Sendable, Codable, Equatable {
    public var id: ID
    public var code: String
    public var name: String

    public init(id: ID, code: String, name: String) {
        self.id = id
        self.code = code
        self.name = name
    }
}

/// What an admin types to register a laboratory.
public struct LaboratoryDraft: Sendable, Codable, Equatable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }

    public func validate() throws {
        var v = Validator()
        v.check(
            code.range(of: "^[A-Za-z0-9][A-Za-z0-9-]{1,31}$", options: .regularExpression) != nil, "code",
            "must be 2-32 letters, digits and dashes, starting with a letter or digit")
        v.text(name, "name")
        try v.finish()
    }
}

/// A box of collected tubes sent to a laboratory.
public struct SpecimenBox: Sendable, Codable, Equatable {
    public var id: ID
    public var siteId: Site.ID
    public var laboratory: Laboratory
    public var sentAt: Date
    /// How many tubes are in it: counted from the tubes, so the manifest says what the box holds.
    public var tubes: Int

    public init(id: ID, siteId: Site.ID, laboratory: Laboratory, sentAt: Date, tubes: Int) {
        self.id = id
        self.siteId = siteId
        self.laboratory = laboratory
        self.sentAt = sentAt
        self.tubes = tubes
    }

    /// The most tubes one box holds.
    public static let largest = 2_000

    /// Checks the tubes scanned into a box before anything is written: each must be a tube of
    /// this site that was taken and is not already on its way, and none twice. Every problem is
    /// named by its place in the list (`accessions[i]`).
    public static func checkPacking(_ scanned: [AccessionNumber], found: [AccessionNumber: SpecimenStatus]) throws {
        var v = Validator()
        v.check(!scanned.isEmpty, "accessions", "name at least one tube, or send every collected tube")
        v.check(scanned.count <= largest, "accessions", "a box holds at most \(largest) tubes")
        try v.finish()
        var issues: [FieldIssue] = []
        var seen = Set<AccessionNumber>()
        for (i, tube) in scanned.enumerated() {
            let key: String?
            if !seen.insert(tube).inserted {
                key = "box.scanned_twice"
            } else {
                switch found[tube] {
                case nil: key = "box.not_this_site"
                case .collected?: key = nil
                case .due?, .notCollected?: key = "box.not_taken"
                case .sent?, .resulted?: key = "box.already_sent"
                case .cancelled?: key = "box.cancelled"
                }
            }
            if let key {
                issues.append(
                    FieldIssue(
                        field: "accessions[\(i)]", explanation: Explanation(key, ["tube": .text(tube.description)])))
            }
        }
        if !issues.isEmpty { throw DomainError.invalid(issues) }
    }
}
