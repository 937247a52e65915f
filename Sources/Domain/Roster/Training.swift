import Foundation

/// A kind of training or certification. PPE donning and doffing is the one the roster checks.
public enum TrainingKind: String, Sendable, Codable, CaseIterable {
    case ppeDonningDoffing = "ppe_donning_doffing"
    case infectionControl = "infection_control"
    case nucleicAcidSampling = "nucleic_acid_sampling"
    case resuscitation
    case psychologicalSupport = "psychological_support"
}

/// A training record of one member of staff.
public struct Training: Sendable, Codable, Equatable {
    public var id: Int64
    public var siteId: Site.ID
    public var staffId: StaffMember.ID
    public var kind: TrainingKind
    public var gainedOn: CalendarDate
    /// `nil` when it never expires.
    public var expiresOn: CalendarDate?
    /// Who trained or certified them.
    public var certifiedBy: String

    public init(
        id: Int64, siteId: Site.ID, staffId: StaffMember.ID, kind: TrainingKind, gainedOn: CalendarDate,
        expiresOn: CalendarDate?, certifiedBy: String
    ) {
        self.id = id
        self.siteId = siteId
        self.staffId = staffId
        self.kind = kind
        self.gainedOn = gainedOn
        self.expiresOn = expiresOn
        self.certifiedBy = certifiedBy
    }

    /// Whether the record is valid on every day from `first` through `last`.
    public func isValid(from first: CalendarDate, through last: CalendarDate) -> Bool {
        gainedOn <= first && (expiresOn.map { last <= $0 } ?? true)
    }
}

/// A training record as entered.
public struct TrainingDraft: Sendable, Codable, Equatable {
    public var kind: TrainingKind
    public var gainedOn: CalendarDate
    public var expiresOn: CalendarDate?
    public var certifiedBy: String

    public init(kind: TrainingKind, gainedOn: CalendarDate, expiresOn: CalendarDate?, certifiedBy: String) {
        self.kind = kind
        self.gainedOn = gainedOn
        self.expiresOn = expiresOn
        self.certifiedBy = certifiedBy
    }

    public func validate() throws {
        var v = Validator()
        v.text(certifiedBy, "certifiedBy", max: 200)
        if let expiresOn { v.check(expiresOn >= gainedOn, "expiresOn", "must not be before gainedOn") }
        v.plannedDay(gainedOn, "gainedOn", since: CalendarDate(year: 2000, month: 1, day: 1))
        if let expiresOn {
            let latest = DateRules.latestToday().adding(days: 10 * 365)
            v.check(expiresOn <= latest, "expiresOn", "must be no later than \(latest)")
        }
        try v.finish()
    }
}
