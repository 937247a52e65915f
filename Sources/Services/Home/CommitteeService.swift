import Domain
import Foundation
import Storage

/// A district's residential committees: the district commander (or an admin) keeps them, and a
/// patient whose admission or transfer list names one is matched to it by name.
public struct CommitteeService: Sendable {
    let database: Database

    public func list(districtId: District.ID, actor: Actor) async throws -> [ResidentialCommittee] {
        try DistrictService.require(actor, districtId)
        return try await database.read(actor) { tx in
            _ = try await DistrictService.district(districtId, tx)
            return try await tx.committees.list(districtId: districtId)
        }
    }

    /// Adds a committee; the district's patients who named it are linked to it at once.
    public func create(districtId: District.ID, _ draft: ResidentialCommitteeDraft, actor: Actor) async throws
        -> ResidentialCommittee
    {
        try DistrictService.require(actor, districtId)
        try draft.validate()
        return try await database.transaction(actor) { tx in
            _ = try await DistrictService.district(districtId, tx)
            let committee = try await tx.committees.create(districtId: districtId, draft)
            try await tx.audit.record(
                "create", entity: "residential_committee", id: committee.id.rawValue, siteId: nil,
                before: String?.none, after: draft)
            return committee
        }
    }
}
