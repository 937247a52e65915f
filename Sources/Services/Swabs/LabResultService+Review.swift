import Domain
import Foundation
import Storage

/// The review queue: results Cordon would not record on its own, which a clinician matches to
/// a tube or rejects, with a reason. Every decision is audited.
extension LabResultService {
    /// Who decides a result in the queue.
    public static let reviewers: Set<Role> = [.clinician]

    /// The results waiting for the site's clinicians, oldest first (at most 500), and how many
    /// wait in all.
    public func waiting(siteId: Site.ID, actor: Actor) async throws -> (reviews: [ResultReview], total: Int) {
        try actor.require(Self.siteRoles, at: siteId)
        return try await database.read(actor) { tx in
            let results = tx.labResults
            return (
                try await results.waiting(siteId: siteId, limit: 500), try await results.waitingCount(siteId: siteId)
            )
        }
    }

    /// The board's view of results: patients positive again after clear tests (at most 100),
    /// and how many results wait for review.
    public func watch(siteId: Site.ID, actor: Actor) async throws -> ResultWatch {
        try actor.require(Self.siteRoles, at: siteId)
        return try await database.read(actor) { tx in
            let results = tx.labResults
            return ResultWatch(
                repositive: try await results.repositive(siteId: siteId, limit: 100),
                waitingForReview: try await results.waitingCount(siteId: siteId))
        }
    }

    /// One result of the queue, decided or not.
    public func review(siteId: Site.ID, id: ResultReview.ID, actor: Actor) async throws -> ResultReview {
        try actor.require(Self.siteRoles, at: siteId)
        return try await database.read(actor) { tx in
            try await tx.labResults.review(id, siteId: siteId).orThrow(
                DomainError.notFound("no result \(id) to review"))
        }
    }

    /// Records a queued result on the tube the clinician names (the one it was sent for when
    /// none is named), replacing a contradicted result, with the patient's verdict.
    public func match(
        siteId: Site.ID, id: ResultReview.ID, accession: String?, reason: String, actor: Actor
    ) async throws -> ResultReview {
        try actor.require(Self.reviewers, at: siteId)
        let reason = try Self.checkedReason(reason)
        let rule = rule
        return try await database.transaction(actor) { tx in
            let results = tx.labResults
            let review = try await undecided(results, id: id, siteId: siteId)
            let tube = try AccessionNumber(parsing: accession ?? review.receivedAccession)
            guard let result = review.result else {
                throw DomainError.invalid("id", "this result could not be read (\(review.detail)); reject it instead")
            }
            guard let found = try await results.lockTubes([tube])[tube], found.siteId == siteId else {
                throw DomainError.invalid("accession", "no tube \(tube) of this site")
            }
            let received = ReceivedResult(
                place: review.place, accessionText: tube.description, result: result, nGeneCt: review.nGeneCt,
                orf1abCt: review.orf1abCt, raw: "")
            let key = PatientKey(siteId: found.siteId, patientId: found.patientId)
            var history = try await results.tests(of: [key])[key] ?? []
            if history.contains(where: { $0.accession == tube.sequence }) {
                try await results.replaceResult(tube, received)
                try await results.record(
                    [],
                    verdicts: Self.verdicts(
                        of: try await results.tests(of: [key]).mapValues { $0.map(\.test) }, new: [], rule: rule),
                    laboratoryId: review.laboratory.id, source: "review")
            } else {
                let row = LabTestRow(
                    tube: found, received: received,
                    sampledAt: found.collectedAt ?? review.sampledAt ?? review.testedAt ?? Date(),
                    testedAt: review.testedAt)
                history.append(row.provisionalTest(id: -1, recordedAt: Date()))
                try await results.record(
                    [row], verdicts: Self.verdicts(of: [key: history.map(\.test)], new: [-1], rule: rule),
                    laboratoryId: review.laboratory.id, source: "review")
            }
            try await results.decide(id, .matched, reason: reason, matched: tube, by: actor.userId)
            return try await audited(results, tx, review, action: "match", siteId: siteId)
        }
    }

    /// Rejects a queued result: it is kept, decided, and never recorded.
    public func reject(siteId: Site.ID, id: ResultReview.ID, reason: String, actor: Actor) async throws
        -> ResultReview
    {
        try actor.require(Self.reviewers, at: siteId)
        let reason = try Self.checkedReason(reason)
        return try await database.transaction(actor) { tx in
            let results = tx.labResults
            let review = try await undecided(results, id: id, siteId: siteId)
            try await results.decide(id, .rejected, reason: reason, matched: nil, by: actor.userId)
            return try await audited(results, tx, review, action: "reject", siteId: siteId)
        }
    }

    private static func checkedReason(_ reason: String) throws -> String {
        var v = Validator()
        v.text(reason, "reason", max: 500)
        try v.finish()
        return reason.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func undecided(_ results: LabResultRepository, id: ResultReview.ID, siteId: Site.ID) async throws
        -> ResultReview
    {
        let found = try await results.review(id, siteId: siteId, lock: true).orThrow(
            DomainError.notFound("no result \(id) to review"))
        if let decision = found.decision {
            throw DomainError.conflict("this result was already \(decision.rawValue)", field: "id")
        }
        return found
    }

    private func audited(
        _ results: LabResultRepository, _ tx: Transaction, _ before: ResultReview, action: String, siteId: Site.ID
    ) async throws -> ResultReview {
        let after = try await results.review(before.id, siteId: siteId)!
        try await tx.audit.record(
            action, entity: "result_review", id: before.id, siteId: siteId, before: before, after: after)
        return after
    }
}
