import Foundation

public enum Sex: String, Sendable, Codable, CaseIterable {
    case female, male

    /// "women" or "men", for messages about rooms kept for one sex.
    public var plural: String { self == .female ? "women" : "men" }
}

/// Clinical classification used at the sites (asymptomatic to critical).
public enum Severity: String, Sendable, Codable, CaseIterable {
    case asymptomatic, mild, moderate, severe, critical
}

public enum PatientStatus: String, Sendable, Codable, CaseIterable { case admitted, discharged }

/// Why a patient left the site.
public enum DischargeReason: String, Sendable, Codable, CaseIterable {
    /// Released from isolation: requires discharge eligibility.
    case recovered
    /// Sent to a hospital, e.g. through a green-channel referral.
    case transferred
    /// Anything else, with a note.
    case other
}

/// An infected person admitted to a site.
public struct Patient: Sendable, Codable, Equatable {
    public var id: ID
    public var siteId: Site.ID
    public var name: String
    public var sex: Sex
    /// Absent when the reader may not see it (`IdentityDisclosure`).
    public var dateOfBirth: CalendarDate?
    public var phone: String?
    /// In full as stored; masked to its last 4 characters once `disclosed(_:today:)` says so.
    public var nationalId: String
    /// Whole years; set by `disclosed(_:today:)`.
    public var ageYears: Int?
    /// How much of the identity this copy carries; `full` as read from storage.
    public var disclosure: IdentityDisclosure = .full
    public var severity: Severity
    public var partyMember: Bool
    public var status: PatientStatus
    public var bedId: Bed.ID?
    public var bedCode: String?
    public var admittedAt: Date
    public var dischargedAt: Date?
    public var dischargeReason: DischargeReason?
    public var version: Int
    /// Where they go home to; nil when nothing was recorded.
    public var home: HomeDetails?

    public init(
        id: ID, siteId: Site.ID, name: String, sex: Sex, dateOfBirth: CalendarDate?, phone: String?,
        nationalId: String, severity: Severity, partyMember: Bool, status: PatientStatus, bedId: Bed.ID?,
        bedCode: String?, admittedAt: Date, dischargedAt: Date?, dischargeReason: DischargeReason?, version: Int
    ) {
        self.id = id
        self.siteId = siteId
        self.name = name
        self.sex = sex
        self.dateOfBirth = dateOfBirth
        self.phone = phone
        self.nationalId = nationalId
        self.severity = severity
        self.partyMember = partyMember
        self.status = status
        self.bedId = bedId
        self.bedCode = bedCode
        self.admittedAt = admittedAt
        self.dischargedAt = dischargedAt
        self.dischargeReason = dischargeReason
        self.version = version
    }

    /// The ID number is masked in this copy.
    public var nationalIdMasked: Bool { !disclosure.showsFullNationalID }
}

/// What a clinician enters to admit a patient.
public struct Admission: Sendable, Codable, Equatable {
    public var name: String
    public var sex: Sex
    public var dateOfBirth: CalendarDate
    public var phone: String?
    public var nationalId: String
    public var severity: Severity
    public var partyMember: Bool
    public var bedId: Bed.ID
    /// When the patient arrived; now if not given.
    public var admittedAt: Date?
    /// Where they go home to, when the clerk or the transfer list says.
    public var home: HomeDetails?

    public init(
        name: String, sex: Sex, dateOfBirth: CalendarDate, phone: String?, nationalId: String,
        severity: Severity, partyMember: Bool, bedId: Bed.ID, admittedAt: Date? = nil, home: HomeDetails? = nil
    ) {
        self.name = name
        self.sex = sex
        self.dateOfBirth = dateOfBirth
        self.phone = phone
        self.nationalId = nationalId
        self.severity = severity
        self.partyMember = partyMember
        self.bedId = bedId
        self.admittedAt = admittedAt
        self.home = home
    }

    /// Checks every field and returns the normalised ID number.
    public func validate(today: CalendarDate) throws -> NationalID {
        var v = Validator()
        v.text(name, "name", max: 100)
        v.check(dateOfBirth <= today, "dateOfBirth", "must not be in the future")
        v.check(dateOfBirth.year >= 1900, "dateOfBirth", "must be 1900 or later")
        v.phone(phone, "phone")
        home?.check(&v)
        var id: NationalID?
        switch NationalID.parse(nationalId) {
        case .success(let parsed): id = parsed
        case .failure(let error): v.fail("nationalId", error.description)
        }
        if let id {
            let embedded = String(id.value.dropFirst(6).prefix(8))
            let born = String(format: "%04d%02d%02d", dateOfBirth.year, dateOfBirth.month, dateOfBirth.day)
            v.check(embedded == born, "dateOfBirth", "does not match the birth date in the ID number")
        }
        v.check(bedId > 0, "bedId", "must be a positive bed id")
        try v.finish()
        return id!
    }
}

/// The fields of a patient that may be edited after admission.
public struct PatientChanges: Sendable, Codable, Equatable {
    public var phone: String??
    public var severity: Severity?
    public var partyMember: Bool?

    public init(phone: String?? = nil, severity: Severity? = nil, partyMember: Bool? = nil) {
        self.phone = phone
        self.severity = severity
        self.partyMember = partyMember
    }

    public func validate() throws {
        var v = Validator()
        if case .some(.some(let phone)) = phone { v.phone(phone, "phone") }
        try v.finish()
    }
}

/// One stay of a patient in one bed: `[from, until)`, open while `until` is nil.
public struct BedAssignment: Sendable, Codable, Equatable {
    public var id: Int64
    public var patientId: Patient.ID
    public var bedId: Bed.ID
    public var bedCode: String
    public var from: Date
    public var until: Date?

    public init(id: Int64, patientId: Patient.ID, bedId: Bed.ID, bedCode: String, from: Date, until: Date?) {
        self.id = id
        self.patientId = patientId
        self.bedId = bedId
        self.bedCode = bedCode
        self.from = from
        self.until = until
    }
}

extension Patient {
    /// The patient as `actor` may see it (`IdentityDisclosure.of(_:at:)`).
    public func visible(to actor: Actor, today: CalendarDate) -> Patient {
        disclosed(.of(actor, at: siteId), today: today)
    }

    /// A copy carrying no more of the identity than `requested` allows; applied to a copy that
    /// is already masked, it never reveals more.
    public func disclosed(_ requested: IdentityDisclosure, today: CalendarDate) -> Patient {
        let level = min(requested, disclosure)
        var copy = self
        copy.disclosure = level
        if let born = dateOfBirth, ageYears == nil { copy.ageYears = born.age(on: today) }
        level.strip(nationalId: &copy.nationalId, dateOfBirth: &copy.dateOfBirth, phone: &copy.phone)
        // The home address goes with the phone: whoever may not call the patient may not find them.
        if !level.showsPhone { copy.home?.homeAddress = nil }
        return copy
    }
}

extension Patient {
    /// A patient who has left the site takes no new care plan, referral, dose or bed move: one
    /// refusal, a conflict with the record's state (409), wherever it is asked.
    public func requireAdmitted() throws {
        guard status == .admitted else { throw DomainError.conflict("the patient was discharged", field: "patientId") }
    }
}
