import ArgumentParser
import Domain
import Foundation
import Services

/// The demo hospitals and referrals in several states, one of them overdue. Times are relative
/// to loading, so the escalation list always has something on it.
struct ReferralSeed: Decodable {
    struct StepSeed: Decodable {
        var to: ReferralStatus
        var note: String?
        var appointmentInHours: Double?
        var outcome: ReferralOutcome?
    }
    struct ReferralEntry: Decodable {
        /// Index into the seed's `patients`.
        var patient: Int
        var hospital: String
        var department: String?
        var reason: String
        var summary: String
        var services: [ReferralServiceKind]
        var urgency: Urgency
        var fastLane: Bool?
        var committee: String?
        var requestedHoursAgo: Double?
        var steps: [StepSeed]?
    }

    var hospitals: [HospitalDraft]
    var referrals: [ReferralEntry]

    func apply(_ services: CordonServices, site: Site, patientIds: [Patient.ID], actor: Actor) async throws {
        var registered: [String: Hospital] = [:]
        for draft in hospitals {
            registered[draft.code] = try await services.hospitals.add(draft, actor: actor).hospital
        }
        for entry in referrals {
            guard let hospital = registered[entry.hospital] else {
                throw ValidationError("seed refers to hospital \(entry.hospital), which it does not define")
            }
            guard patientIds.indices.contains(entry.patient) else {
                throw ValidationError("seed refers patient \(entry.patient), which it does not define")
            }
            let referral = try await services.referrals.create(
                siteId: site.id,
                ReferralDraft(
                    patientId: patientIds[entry.patient], hospitalId: hospital.id,
                    departmentId: entry.department.flatMap { code in hospital.departments.first { $0.code == code }?.id
                    },
                    reason: entry.reason, clinicalSummary: entry.summary, services: entry.services,
                    urgency: entry.urgency,
                    fastLane: entry.fastLane ?? false, committeeContact: entry.committee ?? "",
                    requestedAt: entry.requestedHoursAgo.map { Date().addingTimeInterval(-$0 * 3600) }), actor: actor
            ).value
            for step in entry.steps ?? [] {
                _ = try await services.referrals.transition(
                    id: referral.id, siteId: site.id,
                    ReferralTransition(
                        to: step.to, note: step.note ?? "",
                        appointmentAt: step.appointmentInHours.map { Date().addingTimeInterval($0 * 3600) },
                        outcome: step.outcome), actor: actor)
            }
        }
    }
}
