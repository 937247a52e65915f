import Domain
import Foundation
import Storage

/// A district's residential committees: the district commander (or an admin) keeps them, and a
/// patient whose admission or transfer list names one is matched to it by name.
public struct CommitteeService: Sendable {
    let database: Database
    /// Whether a webhook address may be on a private network (`WEBHOOK_ALLOW_PRIVATE_NETWORKS`).
    let allowPrivateNetworks: Bool

    /// A committee with its webhook secret, shown this once.
    public struct Registered: Sendable, Equatable {
        public var committee: ResidentialCommittee
        public var webhookSecret: String?
    }

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

    /// Sets (or, with nil, removes) the endpoint the committee's bus notices are posted to,
    /// signed with a new secret shown this once; the old secret stops signing at once. Notices
    /// made before are not posted again; pending ones go to the new address, or are
    /// dead-lettered as they come due when the endpoint is removed.
    public func setWebhook(_ id: ResidentialCommittee.ID, url: String?, actor: Actor) async throws -> Registered {
        _ = try DistrictService.commanded(by: actor)
        let secret = try await WebhookEndpointCheck(allowPrivateNetworks: allowPrivateNetworks)
            .newSecret(for: url, field: "url")
        return try await database.transaction(actor) { tx in
            guard let before = try await tx.committees.lock(id) else {
                throw DomainError.notFound("no residential committee \(id)")
            }
            try DistrictService.require(actor, before.districtId)
            try await tx.committees.setWebhook(id, url: url, secret: secret)
            var after = before
            after.webhookUrl = url
            try await tx.audit.record(
                "set_webhook", entity: "residential_committee", id: id.rawValue, siteId: nil, before: before,
                after: after)
            return Registered(committee: after, webhookSecret: secret)
        }
    }
}
