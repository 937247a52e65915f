import Foundation

/// Which side of a referral moves it to a state.
public enum ReferralSide: String, Sendable, Codable {
    /// The isolation site's clinicians.
    case site
    /// The receiving hospital's system.
    case hospital
    case either
}

/// A green-channel referral's states: requested, then accepted or rejected by the hospital,
/// scheduled, transport arranged, in transit, arrived, completed; cancelled and failed are
/// side exits.
public enum ReferralStatus: String, Sendable, Codable, CaseIterable, StateMachine {
    case requested, accepted, rejected, scheduled
    case transportArranged = "transport_arranged"
    case inTransit = "in_transit"
    case arrived, completed, cancelled, failed

    public var allowedNext: [ReferralStatus] {
        switch self {
        case .requested: [.accepted, .rejected, .cancelled]
        case .accepted: [.scheduled, .cancelled, .failed]
        case .scheduled: [.scheduled, .transportArranged, .cancelled, .failed]
        case .transportArranged: [.inTransit, .cancelled, .failed]
        case .inTransit: [.arrived, .failed]
        case .arrived: [.completed, .failed]
        case .rejected, .completed, .cancelled, .failed: []
        }
    }

    /// Who may move a referral into this state.
    public var movedBy: ReferralSide {
        switch self {
        case .accepted, .rejected, .scheduled, .arrived, .completed: .hospital
        case .transportArranged, .inTransit, .cancelled, .requested: .site
        case .failed: .either
        }
    }

    public var isOpen: Bool { !allowedNext.isEmpty }
}

public enum Urgency: String, Sendable, Codable, CaseIterable {
    case routine, urgent, emergency
}

/// Care the site cannot give.
public enum ReferralServiceKind: String, Sendable, Codable, CaseIterable {
    case chemotherapy, radiotherapy, dialysis, obstetrics
    case emergencySurgery = "emergency_surgery"
    case cardiology, other
}

/// How a completed referral ended.
public enum ReferralOutcome: String, Sendable, Codable, CaseIterable {
    /// Admitted to the hospital.
    case admitted
    /// Treated and returned to the site.
    case returned
}

/// A referral as a clinician logs it.
public struct ReferralDraft: Sendable, Codable, Equatable {
    public var patientId: Patient.ID
    public var hospitalId: Hospital.ID
    public var departmentId: Hospital.Department.ID?
    public var reason: String
    public var clinicalSummary: String
    public var services: [ReferralServiceKind]
    public var urgency: Urgency
    /// The hospital's in-hospital nucleic-acid fast lane is needed.
    public var fastLane: Bool
    /// The residential committee contact who coordinates on the patient's side.
    public var committeeContact: String
    /// When the request was made, if earlier than it is logged (a call in the night); time
    /// targets count from here.
    public var requestedAt: Date?

    public init(
        patientId: Patient.ID, hospitalId: Hospital.ID, departmentId: Hospital.Department.ID?, reason: String,
        clinicalSummary: String,
        services: [ReferralServiceKind], urgency: Urgency, fastLane: Bool, committeeContact: String,
        requestedAt: Date? = nil
    ) {
        self.patientId = patientId
        self.hospitalId = hospitalId
        self.departmentId = departmentId
        self.reason = reason
        self.clinicalSummary = clinicalSummary
        self.services = services
        self.urgency = urgency
        self.fastLane = fastLane
        self.committeeContact = committeeContact
        self.requestedAt = requestedAt
    }

    public static let maximumText = 4000

    public func validate() throws {
        var v = Validator()
        v.check(patientId > 0, "patientId", "must be a positive id")
        v.check(hospitalId > 0, "hospitalId", "must be a positive id")
        v.text(reason, "reason", max: 500)
        v.text(clinicalSummary, "clinicalSummary", max: Self.maximumText)
        v.check(!services.isEmpty, "services", "must name at least one service needed")
        v.check(Set(services).count == services.count, "services", "must name each service once")
        v.optionalText(committeeContact, "committeeContact", max: 200)
        if let requestedAt {
            v.check(requestedAt <= Date().addingTimeInterval(300), "requestedAt", "must not be in the future")
            v.check(
                requestedAt >= Date().addingTimeInterval(-7 * 86_400), "requestedAt", "must be within the last 7 days")
        }
        try v.finish()
    }
}

/// A move of a referral, with what the target state needs.
public struct ReferralTransition: Sendable, Codable, Equatable {
    public var to: ReferralStatus
    public var note: String
    /// Required to schedule.
    public var appointmentAt: Date?
    /// Required to complete.
    public var outcome: ReferralOutcome?

    public init(to: ReferralStatus, note: String = "", appointmentAt: Date? = nil, outcome: ReferralOutcome? = nil) {
        self.to = to
        self.note = note
        self.appointmentAt = appointmentAt
        self.outcome = outcome
    }

    public static let maximumNote = 2000

    /// Checks the move from `from` by `side`, and what the target state needs.
    public func check(from: ReferralStatus, by side: ReferralSide) throws {
        try from.checkTransition(to: to)
        if to.movedBy != .either && side != .either && to.movedBy != side {
            throw DomainError.forbidden("only the \(to.movedBy.rawValue) moves a referral to \(to.rawValue)")
        }
        var v = Validator()
        v.check(note.count <= Self.maximumNote, "note", "must be at most \(Self.maximumNote) characters")
        if to == .scheduled { v.check(appointmentAt != nil, "appointmentAt", "is required to schedule") }
        v.plannedInstant(appointmentAt, "appointmentAt", since: Date().addingTimeInterval(-30 * 86_400))
        if to == .completed { v.check(outcome != nil, "outcome", "is required to complete: admitted or returned") }
        if to == .rejected || to == .cancelled || to == .failed {
            v.check(!note.trimmingCharacters(in: .whitespaces).isEmpty, "note", "must say why")
        }
        try v.finish()
    }
}

/// A referral with its timeline.
public struct Referral: Sendable, Codable, Equatable {
    public var id: ID
    public var siteId: Site.ID
    public var patientId: Patient.ID
    public var patientName: String
    /// Who the patient is, as much as the reader may see: in full for the hospital it is
    /// addressed to (registration needs it), otherwise by the reader's role at the site.
    public var patient: PersonIdentity?
    public var hospitalId: Hospital.ID
    public var departmentId: Hospital.Department.ID?
    public var reason: String
    public var clinicalSummary: String
    public var services: [ReferralServiceKind]
    public var urgency: Urgency
    public var fastLane: Bool
    public var committeeContact: String
    public var requestedBy: String
    public var status: ReferralStatus
    public var appointmentAt: Date?
    public var outcome: ReferralOutcome?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int
    public var events: [ReferralEvent]

    public init(
        id: ID, siteId: Site.ID, patientId: Patient.ID, patientName: String, hospitalId: Hospital.ID,
        departmentId: Hospital.Department.ID?, reason: String,
        clinicalSummary: String, services: [ReferralServiceKind], urgency: Urgency, fastLane: Bool,
        committeeContact: String,
        requestedBy: String, status: ReferralStatus, appointmentAt: Date?, outcome: ReferralOutcome?, createdAt: Date,
        updatedAt: Date,
        version: Int, events: [ReferralEvent] = []
    ) {
        self.id = id
        self.siteId = siteId
        self.patientId = patientId
        self.patientName = patientName
        self.hospitalId = hospitalId
        self.departmentId = departmentId
        self.reason = reason
        self.clinicalSummary = clinicalSummary
        self.services = services
        self.urgency = urgency
        self.fastLane = fastLane
        self.committeeContact = committeeContact
        self.requestedBy = requestedBy
        self.status = status
        self.appointmentAt = appointmentAt
        self.outcome = outcome
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
        self.events = events
    }

    /// The referral as `actor` may read it: the patient's identity narrowed to what they may see.
    public func visible(to actor: Actor) -> Referral {
        var copy = self
        let level: IdentityDisclosure = actor.hospitalId == hospitalId ? .referredHospital : .of(actor, at: siteId)
        copy.patient = patient?.disclosed(level)
        return copy
    }

    /// The referral as the hospital it is addressed to reads it (its REST view and webhooks).
    public var hospitalView: Referral {
        var copy = self
        copy.patient = patient?.disclosed(.referredHospital)
        return copy
    }
}

/// One line of a referral's timeline: a transition or a note, with who, in what role, and when.
public struct ReferralEvent: Sendable, Codable, Equatable {
    public var id: Int64
    public var fromStatus: ReferralStatus?
    public var toStatus: ReferralStatus?
    public var actorName: String
    public var role: String
    public var note: String
    public var at: Date

    public init(
        id: Int64, fromStatus: ReferralStatus?, toStatus: ReferralStatus?, actorName: String, role: String,
        note: String, at: Date
    ) {
        self.id = id
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.actorName = actorName
        self.role = role
        self.note = note
        self.at = at
    }
}
