import Foundation

/// Where a specimen is on its way from the round to a result.
///
/// `due` (printed in the day's round) -> `collected` or `notCollected`; a patient who was asleep
/// may still be swabbed later, so `notCollected` -> `collected`. A collected tube goes `sent` in
/// a box to a laboratory and comes back `resulted`. `cancelled` is the exit for a tube whose
/// patient left before it was taken.
public enum SpecimenStatus: String, Sendable, Codable, CaseIterable, StateMachine {
    case due
    case collected
    case notCollected = "not_collected"
    case sent
    case resulted
    case cancelled

    public var allowedNext: [SpecimenStatus] {
        switch self {
        case .due: [.collected, .notCollected, .cancelled]
        case .notCollected: [.collected, .cancelled]
        case .collected: [.sent, .resulted]
        case .sent: [.resulted]
        case .resulted, .cancelled: []
        }
    }
}

/// Why a due swab was not taken.
public enum NotCollectedReason: String, Sendable, Codable, CaseIterable {
    case refused
    case asleep
    case transferred
    case other
}

/// Why a tube was cancelled without being taken: its patient left the site before the round
/// reached them.
public enum SpecimenCancellation: String, Sendable, Codable, CaseIterable {
    case discharged
}

/// One tube of a swab round: printed for one patient in one bed on one day.
public struct Specimen: Sendable, Codable, Equatable {
    public var accession: AccessionNumber
    public var siteId: Site.ID
    public var roundDate: CalendarDate
    public var patientId: Patient.ID
    public var patientName: String
    public var zoneId: Zone.ID
    public var zoneCode: String
    public var bedId: Bed.ID
    public var bedCode: String
    public var status: SpecimenStatus
    /// Why it was not collected, when it was not.
    public var notCollectedReason: NotCollectedReason?
    /// Why it was cancelled, when it was.
    public var cancellation: SpecimenCancellation?
    public var collectedAt: Date?
    public var createdAt: Date

    public init(
        accession: AccessionNumber, siteId: Site.ID, roundDate: CalendarDate, patientId: Patient.ID,
        patientName: String, zoneId: Zone.ID, zoneCode: String, bedId: Bed.ID, bedCode: String,
        status: SpecimenStatus, notCollectedReason: NotCollectedReason?, cancellation: SpecimenCancellation?,
        collectedAt: Date?, createdAt: Date
    ) {
        self.accession = accession
        self.siteId = siteId
        self.roundDate = roundDate
        self.patientId = patientId
        self.patientName = patientName
        self.zoneId = zoneId
        self.zoneCode = zoneCode
        self.bedId = bedId
        self.bedCode = bedCode
        self.status = status
        self.notCollectedReason = notCollectedReason
        self.cancellation = cancellation
        self.collectedAt = collectedAt
        self.createdAt = createdAt
    }
}

extension AccessionNumber: Codable {
    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// What a nurse records for a tube at the bedside.
public enum CollectionOutcome: Sendable, Equatable {
    /// Taken from the patient whose wristband was scanned first.
    case collected(wristband: WristbandCode, at: Date)
    /// Not taken, and why.
    case notCollected(NotCollectedReason)

    public var status: SpecimenStatus {
        switch self {
        case .collected: .collected
        case .notCollected: .notCollected
        }
    }

    /// Checks the outcome against the tube before anything is written: the tube must be of
    /// `today`'s round, the wristband the tube's patient's, and the step one its state allows.
    /// Recording the same outcome twice (a second scan) is not an error: it answers true, and
    /// nothing needs writing.
    public func check(against specimen: Specimen, today: CalendarDate, now: Date) throws -> Bool {
        guard specimen.roundDate == today else {
            throw DomainError.invalid([
                FieldIssue(
                    field: "accession",
                    explanation: Explanation(
                        "swab.other_day",
                        [
                            "accession": .text(specimen.accession.description),
                            "day": .text(specimen.roundDate.description), "today": .text(today.description),
                        ]))
            ])
        }
        switch self {
        case .collected(let wristband, let at):
            // Refused loudly, and nothing written: a tube taken from the wrong person would give
            // someone else's result to a patient, and decide their release.
            guard wristband.patientId == specimen.patientId else {
                throw DomainError.invalid([
                    FieldIssue(
                        field: "wristband",
                        explanation: Explanation(
                            "swab.wrong_patient",
                            [
                                "accession": .text(specimen.accession.description),
                                "name": .text(specimen.patientName), "bed": .text(specimen.bedCode),
                            ]))
                ])
            }
            var v = Validator()
            v.check(at <= now.addingTimeInterval(300), "collectedAt", "must not be in the future")
            v.check(
                at >= now.addingTimeInterval(-86_400), "collectedAt", "must be within the last 24 hours")
            try v.finish()
            if specimen.status == .collected { return true }
        case .notCollected(let reason):
            if specimen.status == .notCollected, specimen.notCollectedReason == reason { return true }
        }
        try specimen.status.checkTransition(to: status)
        return false
    }
}

/// What a front end sends for a tube at the bedside, before it is read: taken (with the
/// wristband scanned, and when) or not (with why).
public struct CollectionEntry: Sendable, Equatable {
    public var collected: Bool
    public var wristband: String?
    public var reason: NotCollectedReason?
    public var collectedAt: Date?

    public init(collected: Bool, wristband: String?, reason: NotCollectedReason?, collectedAt: Date?) {
        self.collected = collected
        self.wristband = wristband
        self.reason = reason
        self.collectedAt = collectedAt
    }

    /// The outcome it records: a collection needs the wristband, a miss its reason.
    public func outcome(now: Date) throws -> CollectionOutcome {
        var v = Validator()
        if collected {
            v.check(wristband != nil, "wristband", "is required when the tube was collected")
            v.check(reason == nil, "reason", "is only for a tube not collected")
            try v.finish()
            return .collected(wristband: try WristbandCode(parsing: wristband ?? ""), at: collectedAt ?? now)
        }
        v.check(reason != nil, "reason", "is required when the tube was not collected")
        v.check(collectedAt == nil, "collectedAt", "is only for a tube collected")
        try v.finish()
        return .notCollected(reason!)
    }
}
