import Domain
import Foundation
import Storage

extension ReferralService {
    /// Task status codes a search may ask for (FHIR R4).
    static let taskStatusCodes = [
        "requested", "received", "accepted", "rejected", "in-progress", "completed", "cancelled", "failed", "on-hold",
    ]

    /// A referral as a FHIR ServiceRequest, for whoever may read the referral.
    public func fhirServiceRequest(id: Referral.ID, actor: Actor) async throws -> FHIRReferral.ServiceRequest {
        FHIRReferral.serviceRequest(try await referral(id: id, actor: actor))
    }

    /// A referral's progress as a FHIR Task owned by the receiving hospital.
    public func fhirTask(id: Referral.ID, actor: Actor) async throws -> FHIRReferral.Task {
        FHIRReferral.task(try await referral(id: id, actor: actor))
    }

    /// Tasks owned by a hospital (`Organization/ID`), optionally in one R4 status: a hospital
    /// system searches its own; admins any. At most 500, newest first.
    public func fhirTasks(owner: String?, status: String?, actor: Actor) async throws -> FHIRReferral.Bundle {
        var v = Validator()
        let ownerId = owner.map { (text: String) -> Hospital.ID? in
            Int64(text.hasPrefix("Organization/") ? String(text.dropFirst("Organization/".count)) : text).map {
                Hospital.ID(rawValue: $0)
            }
        }
        if let ownerId {
            v.check(ownerId != nil && ownerId!.rawValue > 0, "owner", "must be Organization/ID, e.g. Organization/1")
        }
        if let status {
            v.check(
                Self.taskStatusCodes.contains(status), "status",
                "must be one of \(Self.taskStatusCodes.joined(separator: ", "))")
        }
        try v.finish()
        let hospitalId: Hospital.ID
        if let own = actor.hospitalId {
            if let ownerId, ownerId != own { return FHIRReferral.Bundle(total: 0, entry: []) }
            hospitalId = own
        } else if actor.isAdmin, let ownerId = ownerId ?? nil {
            hospitalId = ownerId
        } else {
            throw DomainError.forbidden(
                actor.isAdmin
                    ? "name the owner: owner=Organization/ID" : "only hospital systems and admins search Tasks")
        }
        let wanted = status.map(FHIRReferral.states(forTaskStatus:))
        let rows = try await database.read(actor) { tx in
            try await tx.referrals.referrals(
                siteId: nil, hospitalId: hospitalId, status: nil, since: nil,
                page: PageRequest(limit: PageRequest.maximumLimit))
        }
        let tasks = rows.filter { wanted?.contains($0.status) ?? true }.sorted { $0.id > $1.id }.prefix(
            PageRequest.maximumLimit
        ).map(FHIRReferral.task)
        return FHIRReferral.Bundle(
            total: tasks.count, entry: tasks.map { .init(fullUrl: "Task/\($0.id)", resource: $0) })
    }
}
