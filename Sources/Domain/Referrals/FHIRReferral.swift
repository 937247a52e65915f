import Foundation

/// A referral seen through FHIR R4: the request as a ServiceRequest, its progress as a Task
/// owned by the receiving hospital. Only the elements the hospital systems read are written.
public enum FHIRReferral {
    public struct Reference: Codable, Sendable, Equatable {
        public var reference: String?
        public var display: String?
    }
    public struct CodeableConcept: Codable, Sendable, Equatable {
        public var text: String
    }
    public struct Annotation: Codable, Sendable, Equatable {
        public var text: String
    }

    public struct ServiceRequest: Codable, Sendable, Equatable {
        public var resourceType = "ServiceRequest"
        public var id: String
        public var status: String
        public var intent = "order"
        public var priority: String
        public var code: CodeableConcept
        public var subject: Reference
        public var requester: Reference
        public var performer: [Reference]
        public var reasonCode: [CodeableConcept]
        public var note: [Annotation]
        public var authoredOn: String
        public var occurrenceDateTime: String?
    }

    public struct TaskOutput: Codable, Sendable, Equatable {
        public var type: CodeableConcept
        public var valueString: String
    }

    public struct Task: Codable, Sendable, Equatable {
        public var resourceType = "Task"
        public var id: String
        public var status: String
        /// Cordon's own state, finer than the FHIR status.
        public var businessStatus: CodeableConcept
        public var intent = "order"
        public var priority: String
        public var focus: Reference
        public var `for`: Reference
        public var requester: Reference
        public var owner: Reference
        public var authoredOn: String
        public var lastModified: String
        public var output: [TaskOutput]?
    }

    public struct Bundle: Codable, Sendable, Equatable {
        public struct Entry: Codable, Sendable, Equatable {
            public var fullUrl: String
            public var resource: Task
            public init(fullUrl: String, resource: Task) {
                self.fullUrl = fullUrl
                self.resource = resource
            }
        }
        public var resourceType = "Bundle"
        public var type = "searchset"
        public var total: Int
        public var entry: [Entry]

        public init(total: Int, entry: [Entry]) {
            self.total = total
            self.entry = entry
        }
    }

    /// The R4 Task status of a referral state.
    public static func taskStatus(_ status: ReferralStatus) -> String {
        switch status {
        case .requested: "requested"
        case .accepted, .scheduled: "accepted"
        case .rejected: "rejected"
        case .transportArranged, .inTransit, .arrived: "in-progress"
        case .completed: "completed"
        case .cancelled: "cancelled"
        case .failed: "failed"
        }
    }

    /// The R4 request status of a referral state.
    public static func requestStatus(_ status: ReferralStatus) -> String {
        switch status {
        case .completed: "completed"
        case .rejected, .cancelled, .failed: "revoked"
        default: "active"
        }
    }

    static func priority(_ urgency: Urgency) -> String {
        switch urgency {
        case .routine: "routine"
        case .urgent: "urgent"
        case .emergency: "stat"
        }
    }

    static func instant(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    public static func serviceRequest(_ r: Referral) -> ServiceRequest {
        ServiceRequest(
            id: String(r.id), status: requestStatus(r.status), priority: priority(r.urgency),
            code: CodeableConcept(text: r.services.map(\.rawValue).joined(separator: ", ")),
            subject: Reference(reference: "Patient/\(r.patientId)", display: r.patientName),
            requester: Reference(reference: nil, display: r.requestedBy),
            performer: [Reference(reference: "Organization/\(r.hospitalId)", display: nil)],
            reasonCode: [CodeableConcept(text: r.reason)],
            note: [Annotation(text: r.clinicalSummary)]
                + (r.fastLane ? [Annotation(text: "nucleic-acid fast lane needed")] : []),
            authoredOn: instant(r.createdAt), occurrenceDateTime: r.appointmentAt.map(instant))
    }

    public static func task(_ r: Referral) -> Task {
        Task(
            id: String(r.id), status: taskStatus(r.status), businessStatus: CodeableConcept(text: r.status.rawValue),
            priority: priority(r.urgency), focus: Reference(reference: "ServiceRequest/\(r.id)", display: nil),
            for: Reference(reference: "Patient/\(r.patientId)", display: r.patientName),
            requester: Reference(reference: nil, display: r.requestedBy),
            owner: Reference(reference: "Organization/\(r.hospitalId)", display: nil),
            authoredOn: instant(r.createdAt), lastModified: instant(r.updatedAt),
            output: r.outcome.map { [TaskOutput(type: CodeableConcept(text: "outcome"), valueString: $0.rawValue)] })
    }

    /// Referral states whose Task status is `status`, for a search.
    public static func states(forTaskStatus status: String) -> [ReferralStatus] {
        ReferralStatus.allCases.filter { taskStatus($0) == status }
    }
}
