import Domain
import Foundation
import Storage

/// What became of one person in a batch release.
public enum ReleaseOutcome: Sendable, Equatable {
    /// Released now, as recovered; the bed went to cleaning.
    case released
    /// Released before (a repeat of the batch, or another clerk): when.
    case alreadyReleased(Date)
    /// Not ready: left where they are, with every reason.
    case leftOut([Explanation])
}

/// A batch release, person by person, in the order asked.
public struct ReleaseBatch: Sendable, Equatable {
    public var outcomes: [(patientId: Patient.ID, outcome: ReleaseOutcome)]

    public static func == (a: ReleaseBatch, b: ReleaseBatch) -> Bool {
        a.outcomes.map(\.patientId) == b.outcomes.map(\.patientId)
            && a.outcomes.map(\.outcome) == b.outcomes.map(\.outcome)
    }

    public var released: Int { outcomes.count { $0.outcome == .released } }
}

/// Release from isolation: the release list with every reason that stands in the way, a
/// clinician's sign-off (one patient or a ward's list at once), and release of the signed-off
/// by the hundred. Withdrawal of a sign-off by a later positive or fever is the database's
/// (triggers), so that every way a result or a temperature arrives withdraws it alike.
public struct ReleaseService: Sendable {
    let database: Database

    /// Who reads the release list and releases (the discharge office works as site manager).
    public static let carers: Set<Role> = [.siteManager, .clinician]
    /// Who signs off: a clinical judgement.
    public static let signers: Set<Role> = [.clinician]
    /// Who sets the site's criteria.
    public static let planners: Set<Role> = [.siteManager]
    /// The most a release list answers, and the most one request signs off or releases.
    public static let batchLimit = 5_000

    public func criteria(siteId: Site.ID, actor: Actor) async throws -> ReleaseCriteria {
        try actor.require(Self.carers, at: siteId)
        return try await database.read(actor) { tx in
            _ = try await tx.site(siteId)
            return try await tx.releases.criteria(siteId: siteId)
        }
    }

    /// Sets the site's clinical criteria; the release list and sign-offs follow them at once.
    public func setCriteria(siteId: Site.ID, _ criteria: ReleaseCriteria, actor: Actor) async throws -> ReleaseCriteria
    {
        try actor.require(Self.planners, at: siteId)
        try criteria.validate()
        return try await database.transaction(actor) { tx in
            _ = try await tx.site(siteId)
            let before = try await tx.releases.criteria(siteId: siteId)
            try await tx.releases.setCriteria(siteId: siteId, criteria)
            try await tx.audit.record(
                "update", entity: "release_criteria", id: siteId, siteId: siteId, before: before, after: criteria)
            return criteria
        }
    }

    /// The site's release list (one zone's, when named), with the criteria it was read under.
    public func list(siteId: Site.ID, zoneId: Zone.ID?, actor: Actor) async throws
        -> (criteria: ReleaseCriteria, candidates: [ReleaseCandidate])
    {
        try actor.require(Self.carers, at: siteId)
        return try await database.snapshot(actor) { tx in
            _ = try await tx.site(siteId)
            if let zoneId { _ = try await tx.sites.zone(siteId: siteId, id: zoneId).orNotFound("zone") }
            let criteria = try await tx.releases.criteria(siteId: siteId)
            return (
                criteria,
                try await tx.releases.candidates(
                    siteId: siteId, zoneId: zoneId, criteria: criteria, limit: Self.batchLimit)
            )
        }
    }

    /// Signs off the patients named, all or none: each must meet the tests and the site's
    /// clinical criteria, and hold no standing sign-off. A ward's list is signed as shown: the
    /// ids are those the clinician saw.
    public func signOff(
        siteId: Site.ID, patientIds: [Patient.ID], symptomsImproved: Bool, note: String?, actor: Actor
    ) async throws -> [ReleaseCandidate] {
        try actor.require(Self.signers, at: siteId)
        var v = Validator()
        Self.checkIds(patientIds, &v)
        v.optionalText(note, "note", max: 500)
        try v.finish()
        return try await database.transaction(actor, patientIds.count > 1_000 ? .bulk : .request) { tx in
            _ = try await tx.site(siteId)
            let releases = tx.releases
            let criteria = try await releases.criteria(siteId: siteId)
            if criteria.symptomsImproved && !symptomsImproved {
                throw DomainError.invalid(
                    "symptomsImproved", "this site releases only patients whose symptoms a clinician judged improved")
            }
            let found = try await releases.candidates(
                siteId: siteId, ids: patientIds, criteria: criteria, limit: Self.batchLimit)
            let byId = Dictionary(uniqueKeysWithValues: found.map { ($0.patientId, $0) })
            var issues: [FieldIssue] = []
            for (index, id) in patientIds.enumerated() {
                let field = "patientIds[\(index)]"
                guard let candidate = byId[id] else {
                    issues.append(FieldIssue(field: field, detail: "no admitted patient \(id) at this site"))
                    continue
                }
                if candidate.signOff != nil {
                    issues.append(FieldIssue(field: field, detail: "\(candidate.name) is already signed off"))
                }
                let reasons = candidate.clinicalReasons(criteria)
                if !reasons.isEmpty {
                    issues.append(
                        FieldIssue(
                            field: field,
                            detail: "\(candidate.name): "
                                + reasons.map(\.english).joined(separator: "; ")))
                }
            }
            if !issues.isEmpty { throw DomainError.invalid(issues) }
            let signed = try await releases.signOff(
                siteId: siteId, patientIds, by: actor, symptomsImproved: symptomsImproved, note: Self.trimmed(note))
            var out: [ReleaseCandidate] = []
            for id in patientIds {
                var candidate = byId[id]!
                candidate.signOff = signed[id]
                candidate.withdrawn = nil
                out.append(candidate)
                try await tx.audit.created(
                    "release_sign_off", id: signed[id]?.id, siteId: siteId, signed[id], action: "sign_off")
            }
            return out
        }
    }

    /// Withdraws a patient's sign-off by hand, with the clinician's reason.
    public func withdraw(siteId: Site.ID, patientId: Patient.ID, reason: String, actor: Actor) async throws {
        try actor.require(Self.signers, at: siteId)
        var v = Validator()
        v.text(reason, "reason", max: 500)
        try v.finish()
        try await database.transaction(actor) { tx in
            _ = try await tx.site(siteId)
            guard try await tx.releases.withdraw(siteId: siteId, patientId: patientId, reason: Self.trimmed(reason)!)
            else { throw DomainError.notFound("no standing sign-off for patient \(patientId)") }
            try await tx.audit.record(
                "withdraw", entity: "release_sign_off", id: patientId, siteId: siteId, before: Nothing?.none,
                after: ["reason": reason])
        }
    }

    /// Releases the signed-off patients named, as recovered, each on their own: whoever is ready
    /// goes (bed to cleaning, as a single discharge), whoever became not ready meanwhile stays
    /// with the reason, and whoever went already is reported so. A repeat changes nothing.
    public func release(siteId: Site.ID, patientIds: [Patient.ID], actor: Actor) async throws -> ReleaseBatch {
        try actor.require(Self.carers, at: siteId)
        var v = Validator()
        Self.checkIds(patientIds, &v)
        try v.finish()
        return try await database.transaction(actor, patientIds.count > 1_000 ? .bulk : .request) { tx in
            _ = try await tx.site(siteId)
            let releases = tx.releases
            let criteria = try await releases.criteria(siteId: siteId)
            let found = try await releases.candidates(
                siteId: siteId, ids: patientIds, criteria: criteria, limit: Self.batchLimit)
            let byId = Dictionary(uniqueKeysWithValues: found.map { ($0.patientId, $0) })
            let gone = try await releases.discharged(siteId: siteId, patientIds.filter { byId[$0] == nil })
            // A mistyped id refuses the batch, naming it, before anyone goes.
            let unknown = patientIds.enumerated().filter { byId[$0.element] == nil && gone[$0.element] == nil }
            if !unknown.isEmpty {
                throw DomainError.invalid(
                    unknown.map {
                        FieldIssue(field: "patientIds[\($0.offset)]", detail: "no patient \($0.element) at this site")
                    })
            }
            let ready = found.filter { $0.isReady(criteria) }.map(\.patientId)
            let released = Set(try await releases.release(siteId: siteId, ready, at: Date(), actor: actor))
            return ReleaseBatch(
                outcomes: patientIds.map { id in
                    if released.contains(id) { return (id, .released) }
                    if let at = gone[id] { return (id, .alreadyReleased(at)) }
                    return (id, .leftOut(byId[id]?.reasons(criteria) ?? []))
                })
        }
    }

    private static func checkIds(_ ids: [Patient.ID], _ v: inout Validator) {
        v.check(!ids.isEmpty, "patientIds", "name at least one patient")
        for (index, id) in ids.enumerated() where id.rawValue <= 0 {
            v.check(false, "patientIds[\(index)]", "must be a positive id")
        }
        v.check(ids.count <= batchLimit, "patientIds", "at most \(batchLimit) patients at once")
        v.check(Set(ids).count == ids.count, "patientIds", "names a patient twice")
    }

    private static func trimmed(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
