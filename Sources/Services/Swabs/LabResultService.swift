import Domain
import Foundation
import Metrics
import Storage

/// Results from laboratories, in whatever form they come (CSV, HL7 v2, FHIR): each delivery is
/// one transaction that records every result it can, updates the patients' release verdicts with
/// them, and puts every other result in the review queue. Nothing a laboratory sends is dropped.
public struct LabResultService: Sendable {
    let database: Database
    let rule: DischargeRule

    /// Who may bring a laboratory's results in at a site, and read and decide the review queue.
    public static let siteRoles: Set<Role> = [.siteManager, .clinician]

    /// Who a delivery comes from: the laboratory, and the site when a site's clinician brings a
    /// laboratory's file in (then only that site's tubes are matched).
    public struct Sender: Sendable {
        public var laboratory: Laboratory
        public var siteId: Site.ID?
    }

    /// Works out who sends: a laboratory's system sends for its own laboratory; a clinician at a
    /// site, or an admin, names the laboratory. Called before anything sent is read.
    public func sender(laboratoryCode: String?, siteId: Site.ID?, actor: Actor) async throws -> Sender {
        if let own = actor.laboratoryId {
            guard siteId == nil else { throw DomainError.forbidden("a laboratory's system sends results for no site") }
            let laboratory = try await database.read(actor) { tx in try await tx.laboratories.laboratory(own) }
            guard let laboratory else { throw DomainError.forbidden("the laboratory of this token is gone") }
            if let laboratoryCode, laboratoryCode.lowercased() != laboratory.code.lowercased() {
                throw DomainError.forbidden("a laboratory's system sends only its own results")
            }
            return Sender(laboratory: laboratory, siteId: nil)
        }
        if let siteId {
            try actor.require(Self.siteRoles, at: siteId)
        } else {
            try actor.requireAdmin()
        }
        guard let laboratoryCode, !laboratoryCode.isEmpty else {
            throw DomainError.invalid("laboratory", "is required: the code of the laboratory the results are from")
        }
        let laboratory = try await database.read(actor) { tx in
            try await tx.laboratories.laboratory(code: laboratoryCode)
        }
        guard let laboratory else { throw DomainError.invalid("laboratory", "no laboratory \(laboratoryCode)") }
        return Sender(laboratory: laboratory, siteId: siteId)
    }

    /// Records what can be recorded of `received`, with the patients' verdicts, in one
    /// transaction, and queues the rest for review. Answers what became of each, in order.
    public func record(_ received: [ReceivedResult], form: ResultForm, from sender: Sender, actor: Actor) async throws
        -> ResultIntake
    {
        var receipts: [ResultReceipt?] = Array(repeating: nil, count: received.count)
        var unreadable: [HeldResult] = []
        var readable: [(index: Int, accession: AccessionNumber)] = []
        for (index, result) in received.enumerated() {
            switch result.checked() {
            case .success(let accession): readable.append((index, accession))
            case .failure(let error):
                let detail = Self.describe(error)
                unreadable.append(HeldResult(received: result, reason: .invalid, detail: detail, tube: nil))
                receipts[index] = ResultReceipt(
                    place: result.place, accession: result.accessionText, outcome: .held(.invalid, detail: detail))
            }
        }
        let rule = rule
        let (firstReceipts, unreadableHeld, readableTubes) = (receipts, unreadable, readable)
        // A large delivery (a day's file) may take the bulk deadline; a message of a hundred, a request's.
        let work: Database.Work = received.count > 1_000 ? .bulk : .request
        let (filled, collectionTimes) = try await database.transaction(actor, work) { tx in
            var receipts = firstReceipts
            var held = unreadableHeld
            var rows: [LabTestRow] = []
            var fills: [(accession: AccessionNumber, nGeneCt: Double?, orf1abCt: Double?)] = []
            var collectionTimes: [Double] = []
            let results = tx.labResults
            var tubes = try await results.lockTubes(Array(Set(readableTubes.map(\.accession))))
            // Read after the locks: every test of the tubes' patients, the tubes' own among them.
            var histories = try await results.tests(
                of: Array(Set(tubes.values.map { PatientKey(siteId: $0.siteId, patientId: $0.patientId) })))
            for (accession, tube) in tubes {
                tubes[accession]?.recorded =
                    histories[PatientKey(siteId: tube.siteId, patientId: tube.patientId)]?
                    .first { $0.accession == accession.sequence }?.test
            }
            let now = Date()
            for (index, accession) in readableTubes {
                let result = received[index]
                func receipt(_ outcome: ResultOutcome) {
                    receipts[index] = ResultReceipt(
                        place: result.place, accession: accession.description, outcome: outcome)
                }
                guard var tube = tubes[accession], sender.siteId.map({ $0 == tube.siteId }) ?? true else {
                    let detail = "no tube \(accession)" + (sender.siteId == nil ? " was printed" : " of this site")
                    held.append(HeldResult(received: result, reason: .unknownAccession, detail: detail, tube: nil))
                    receipt(.held(.unknownAccession, detail: detail))
                    continue
                }
                switch tube.effect(of: result, from: sender.laboratory.id, now: now) {
                case .record(let sampledAt, let testedAt):
                    rows.append(LabTestRow(tube: tube, received: result, sampledAt: sampledAt, testedAt: testedAt))
                    if let collected = tube.collectedAt { collectionTimes.append(now.timeIntervalSince(collected)) }
                    // A second result for the same tube in this delivery is compared with this one.
                    tube.recorded = NucleicAcidTest(
                        id: 0, patientId: tube.patientId, sampledAt: sampledAt, result: result.result ?? .negative,
                        nGeneCt: result.nGeneCt, orf1abCt: result.orf1abCt, recordedAt: now)
                    tubes[accession] = tube
                    receipt(.recorded)
                case .fill(let n, let o):
                    fills.append((accession, n, o))
                    if var recorded = tube.recorded {
                        recorded.nGeneCt = recorded.nGeneCt ?? n
                        recorded.orf1abCt = recorded.orf1abCt ?? o
                        tube.recorded = recorded
                    }
                    tubes[accession] = tube
                    receipt(.recorded)
                case .unchanged:
                    receipt(.unchanged)
                case .held(let reason, let detail):
                    held.append(HeldResult(received: result, reason: reason, detail: detail, tube: tube))
                    receipt(.held(reason, detail: detail))
                }
            }
            if !rows.isEmpty || !fills.isEmpty {
                try await results.fillCts(fills)
                // The histories as they will stand, so that the verdicts are written with the
                // tests in one statement; a new test stands under a provisional (negative) id.
                var touched = Set<PatientKey>()
                var newIds = Set<Int64>()
                for (n, row) in rows.enumerated() {
                    let key = PatientKey(siteId: row.tube.siteId, patientId: row.tube.patientId)
                    touched.insert(key)
                    newIds.insert(-Int64(n + 1))
                    histories[key, default: []].append(row.provisionalTest(id: -Int64(n + 1), recordedAt: now))
                }
                for fill in fills {
                    guard let tube = tubes[fill.accession] else { continue }
                    let key = PatientKey(siteId: tube.siteId, patientId: tube.patientId)
                    touched.insert(key)
                    for i in histories[key, default: []].indices
                    where histories[key]![i].accession == fill.accession.sequence {
                        histories[key]![i].test.nGeneCt = histories[key]![i].test.nGeneCt ?? fill.nGeneCt
                        histories[key]![i].test.orf1abCt = histories[key]![i].test.orf1abCt ?? fill.orf1abCt
                    }
                }
                let verdicts = Self.verdicts(
                    of: histories.filter { touched.contains($0.key) }.mapValues { $0.map(\.test) }, new: newIds,
                    rule: rule)
                try await results.record(
                    rows, verdicts: verdicts, laboratoryId: sender.laboratory.id, source: form.rawValue)
            }
            try await results.hold(held, laboratoryId: sender.laboratory.id, form: form)
            let intake = ResultIntake(receipts: receipts.map { $0! })
            try await tx.audit.created(
                "lab_results", id: sender.laboratory.id, siteId: sender.siteId,
                [
                    "laboratory": sender.laboratory.code, "form": form.rawValue, "recorded": String(intake.recorded),
                    "unchanged": String(intake.unchanged), "held": String(intake.held),
                ], action: "import")
            return (intake, collectionTimes)
        }
        Self.count(filled, form: form, collectionTimes: collectionTimes)
        return filled
    }

    /// Each touched patient's release flag over all their tests, and when one of the new tests
    /// broke a clear run (a positive after negatives).
    static func verdicts(of tests: [PatientKey: [NucleicAcidTest]], new: Set<Int64>, rule: DischargeRule)
        -> [PatientVerdict]
    {
        tests.map { key, history in
            let repositive = history.filter { new.contains($0.id) && rule.isRepositive($0, history: history) }
                .map(\.sampledAt).max()
            return PatientVerdict(key: key, eligible: rule.isEligible(history), repositiveAt: repositive)
        }
    }

    static func describe(_ error: DomainError) -> String {
        guard case .invalid(let issues) = error else { return "\(error)" }
        return issues.map { "\($0.field): \($0.detail)" }.joined(separator: "; ")
    }

    /// Results taken per form and outcome, and the time from the bedside to the result.
    static func count(_ intake: ResultIntake, form: ResultForm, collectionTimes: [Double]) {
        for (outcome, n) in [("recorded", intake.recorded), ("unchanged", intake.unchanged), ("held", intake.held)]
        where n > 0 {
            Counter(label: "cordon_lab_results_total", dimensions: [("form", form.rawValue), ("outcome", outcome)])
                .increment(by: Int64(n))
        }
        let unmatched = intake.receipts.count {
            if case .held(.unknownAccession, _) = $0.outcome { return true }
            return false
        }
        if unmatched > 0 {
            Counter(label: "cordon_lab_results_unmatched_total", dimensions: [("form", form.rawValue)])
                .increment(by: Int64(unmatched))
        }
        let timer = Timer(label: "cordon_lab_collection_to_result_seconds")
        for seconds in collectionTimes { timer.recordSeconds(seconds) }
    }
}

extension LabTestRow {
    /// The test this row will be, under a provisional id, for working out verdicts before it is
    /// written.
    func provisionalTest(id: Int64, recordedAt: Date) -> TubeTest {
        TubeTest(
            test: NucleicAcidTest(
                id: id, patientId: tube.patientId, sampledAt: sampledAt, result: received.result ?? .negative,
                nGeneCt: received.nGeneCt, orf1abCt: received.orf1abCt, recordedAt: recordedAt),
            accession: tube.accession.sequence)
    }
}
