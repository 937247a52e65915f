/// The state of a bed. `occupied` is reached only by admitting or moving a patient into it.
public enum BedStatus: String, Sendable, Codable, CaseIterable {
    case free
    case occupied
    /// Left by a patient and awaiting terminal disinfection.
    case cleaning
    case outOfService = "out_of_service"

    /// The statuses a person may set by hand from this one. Occupancy changes only through
    /// admission, move and discharge, so the bed and its assignment history never disagree.
    public var manualTargets: [BedStatus] {
        switch self {
        case .free: [.cleaning, .outOfService]
        case .cleaning: [.free, .outOfService]
        case .outOfService: [.free, .cleaning]
        case .occupied: []
        }
    }

    /// Checks a manual status change.
    public func checkManualChange(to target: BedStatus) throws {
        if target == self { return }
        guard manualTargets.contains(target) else {
            throw DomainError.illegalTransition(
                from: rawValue, to: target.rawValue,
                allowed: manualTargets.map(\.rawValue))
        }
    }
}

/// A bed at a site, in one zone.
public struct Bed: Sendable, Codable, Equatable {
    public var id: ID
    public var siteId: Site.ID
    public var zoneId: Zone.ID
    public var code: String
    public var status: BedStatus
    public var attributes: BedAttributes
    public var version: Int

    public init(
        id: ID, siteId: Site.ID, zoneId: Zone.ID, code: String, status: BedStatus,
        attributes: BedAttributes = .none, version: Int
    ) {
        self.id = id
        self.siteId = siteId
        self.zoneId = zoneId
        self.code = code
        self.status = status
        self.attributes = attributes
        self.version = version
    }
}

/// A run of beds created at once: `A-001` to `A-120` is prefix `A-`, first 1, last 120, width 3.
public struct BedRange: Sendable, Codable, Equatable {
    public var zoneId: Zone.ID
    public var prefix: String
    public var first: Int
    public var last: Int
    public var width: Int
    /// Set on every bed of the range, e.g. a bay of 40 beds kept for women.
    public var attributes: BedAttributes

    /// The most beds one request may create.
    public static let maximumCount = 2000

    public init(
        zoneId: Zone.ID, prefix: String, first: Int, last: Int, width: Int, attributes: BedAttributes = .none
    ) {
        self.zoneId = zoneId
        self.prefix = prefix
        self.first = first
        self.last = last
        self.width = width
        self.attributes = attributes
    }

    /// The largest bed number: six digits, the widest a code may pad to.
    public static let largestNumber = 999_999

    /// Checks the range. Every bound is checked before any arithmetic on it, so no number a
    /// client sends can overflow.
    public func validate() throws {
        var v = Validator()
        v.check(
            prefix.count <= 16
                && prefix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") },
            "prefix", "must be at most 16 letters, digits or dashes")
        let numbers = 0...Self.largestNumber
        v.check(numbers.contains(first), "first", "must be between 0 and \(Self.largestNumber)")
        v.check(numbers.contains(last), "last", "must be between 0 and \(Self.largestNumber)")
        if numbers.contains(first) && numbers.contains(last) {
            v.check(last >= first, "last", "must not be below first")
            v.check(last - first < Self.maximumCount, "last", "a range may hold at most \(Self.maximumCount) beds")
            v.check(String(last).count <= width || width == 1, "width", "is too narrow for \(last)")
        }
        v.check((1...6).contains(width), "width", "must be between 1 and 6")
        try v.finish()
        try attributes.validate()
    }

    /// The bed codes in order.
    public var codes: [String] {
        guard last >= first else { return [] }
        return (first...last).map { n in
            let digits = String(n)
            return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
    }
}

/// Checks a single bed code.
public func validateBedCode(_ code: String, field: String = "code") throws {
    var v = Validator()
    v.check(SiteDraft.isCode(code), field, "must be 2-32 letters, digits or dashes, e.g. A-001")
    try v.finish()
}
