/// How much of a person's identity a reader may see: the one rule every response that carries a
/// patient goes through.
///
/// An 18-character ID number is region (6), birth date (8), sequence (3) and check character, so
/// any mask that hides the birth date while the birth date is shown beside it gives the number
/// away. A masked view therefore keeps only the last 4 characters, and shows the birth date only
/// where two identifiers are needed at the bedside.
///
/// | reader | ID number | birth date | age | phone |
/// | --- | --- | --- | --- | --- |
/// | admin, site manager | full | yes | yes | yes |
/// | hospital system, for patients referred to it | full | yes | yes | yes |
/// | clinician | last 4 | yes | yes | yes |
/// | pharmacist, branch secretary, district commander | last 4 | no | yes | no |
public enum IdentityDisclosure: String, Sendable, Codable, CaseIterable, Comparable {
    /// Last 4 characters of the number and the age in years; no birth date, no phone.
    case minimal
    /// Last 4 characters of the number, the birth date and the phone (two identifiers at the bedside).
    case bedside
    /// Everything recorded.
    case full

    /// What `actor` may see of a patient of `siteId`: the most their strongest role there allows.
    public static func of(_ actor: Actor, at siteId: Site.ID) -> IdentityDisclosure {
        actor.roles(at: siteId).map(forRole).max() ?? .minimal
    }

    /// What a role may see of the patients of its own site.
    public static func forRole(_ role: Role) -> IdentityDisclosure {
        switch role {
        case .admin, .siteManager: .full
        case .clinician: .bedside
        case .pharmacist, .branchSecretary, .hospitalSystem, .districtCommander: .minimal
        }
    }

    /// What a hospital's system sees of a patient referred to it: registration needs it all.
    public static let referredHospital = IdentityDisclosure.full

    public var showsFullNationalID: Bool { self == .full }
    public var showsDateOfBirth: Bool { self != .minimal }
    public var showsPhone: Bool { self != .minimal }

    /// The number as this reader sees it: in full, or its last 4 characters behind asterisks.
    public func nationalId(_ value: String) -> String {
        showsFullNationalID ? value : NationalID.lastFourOnly(value)
    }

    /// Removes from the fields what this level does not show. Idempotent, so masking an
    /// already masked copy changes nothing.
    public func strip(nationalId: inout String, dateOfBirth: inout CalendarDate?, phone: inout String?) {
        if !showsFullNationalID { nationalId = NationalID.lastFourOnly(nationalId) }
        if !showsDateOfBirth { dateOfBirth = nil }
        if !showsPhone { phone = nil }
    }

    public static func < (a: IdentityDisclosure, b: IdentityDisclosure) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Who a patient is, as much of it as one reader may see (`IdentityDisclosure`).
public struct PersonIdentity: Sendable, Codable, Equatable {
    public var name: String
    public var sex: Sex
    /// In full, or masked to its last 4 characters.
    public var nationalId: String
    public var nationalIdMasked: Bool
    /// Absent unless the reader may see it.
    public var dateOfBirth: CalendarDate?
    /// Whole years.
    public var ageYears: Int
    /// Absent unless recorded and the reader may see it.
    public var phone: String?

    /// A stored identity, in full; narrow it with `disclosed(_:)`.
    public init(
        name: String, sex: Sex, nationalId: String, dateOfBirth: CalendarDate, phone: String?, today: CalendarDate
    ) {
        self.name = name
        self.sex = sex
        self.nationalId = nationalId
        self.nationalIdMasked = false
        self.dateOfBirth = dateOfBirth
        self.ageYears = dateOfBirth.age(on: today)
        self.phone = phone
    }

    /// A copy carrying no more than `level` allows.
    public func disclosed(_ level: IdentityDisclosure) -> PersonIdentity {
        var copy = self
        level.strip(nationalId: &copy.nationalId, dateOfBirth: &copy.dateOfBirth, phone: &copy.phone)
        copy.nationalIdMasked = nationalIdMasked || !level.showsFullNationalID
        return copy
    }
}

extension CalendarDate {
    /// Whole years from this birth date to `day` (0 before the first birthday).
    public func age(on day: CalendarDate) -> Int {
        guard day > self else { return 0 }
        let years = day.year - year
        return (day.month, day.day) < (month, self.day) ? years - 1 : years
    }
}
