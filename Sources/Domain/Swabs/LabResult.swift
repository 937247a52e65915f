import Foundation

/// The form a laboratory sent its results in.
public enum ResultForm: String, Sendable, Codable, CaseIterable {
    case csv
    case hl7v2
    case fhir
}

/// Why a laboratory's result waits for a clinician instead of being recorded.
public enum ReviewReason: String, Sendable, Codable, CaseIterable {
    /// Its accession names no tube Cordon printed (or, in a site's own import, none of that site).
    case unknownAccession = "unknown_accession"
    /// The tube already has a result with other values.
    case contradicts
    /// The tube's patient was discharged or moved to a hospital.
    case patientLeft = "patient_left"
    /// The tube was recorded as not taken, or cancelled.
    case notCollected = "not_collected"
    /// The tube was sent to another laboratory.
    case otherLaboratory = "other_laboratory"
    /// It could not be read: a bad check character, a Ct that is not a number, no result.
    case invalid
}

/// A time a laboratory wrote: an instant, or a wall-clock time without an offset, which is read
/// in the time zone of the site the tube came from.
public enum LabTime: Sendable, Equatable {
    case instant(Date)
    case local(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)

    /// The instant, reading a local time in `timeZone`.
    public func date(in timeZone: TimeZone) -> Date? {
        switch self {
        case .instant(let date): return date
        case .local(let year, let month, let day, let hour, let minute, let second):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            guard parts.isValidDate(in: calendar) else { return nil }
            return calendar.date(from: parts)
        }
    }
}

/// One tube's result as a laboratory reported it: a CSV row, an OBR group of an ORU message, or
/// a DiagnosticReport with its Observations. Each form's reader fills it in; the same rules
/// then apply to all.
public struct ReceivedResult: Sendable, Equatable {
    /// Where in what was sent: "line 14", "OBR 3", "entry 7".
    public var place: String
    /// The accession as received.
    public var accessionText: String
    public var result: TestResultKind?
    public var nGeneCt: Double?
    public var orf1abCt: Double?
    public var sampled: LabTime?
    public var tested: LabTime?
    /// The row, segments or resources as received, kept when the result waits for review.
    public var raw: String
    /// What the form's reader could not read, by field.
    public var unreadable: [FieldIssue]

    public init(
        place: String, accessionText: String, result: TestResultKind? = nil, nGeneCt: Double? = nil,
        orf1abCt: Double? = nil, sampled: LabTime? = nil, tested: LabTime? = nil, raw: String,
        unreadable: [FieldIssue] = []
    ) {
        self.place = place
        self.accessionText = accessionText
        self.result = result
        self.nGeneCt = nGeneCt
        self.orf1abCt = orf1abCt
        self.sampled = sampled
        self.tested = tested
        self.raw = raw
        self.unreadable = unreadable
    }

    /// The tube it names, or every reason it cannot be recorded as it stands.
    public func checked() -> Result<AccessionNumber, DomainError> {
        var issues = unreadable
        var accession: AccessionNumber?
        do {
            accession = try AccessionNumber(parsing: accessionText)
        } catch DomainError.invalid(let problems) {
            issues += problems
        } catch {
            issues.append(FieldIssue(field: "accession", detail: "cannot be read"))
        }
        if result == nil, !issues.contains(where: { $0.field == "result" }) {
            issues.append(FieldIssue(field: "result", detail: "is required: positive or negative"))
        }
        for (field, value) in [("nGeneCt", nGeneCt), ("orf1abCt", orf1abCt)] {
            if let value, !NucleicAcidTestEntry.ctRange.contains(value) {
                issues.append(FieldIssue(field: field, detail: "must be between 0 and 50"))
            }
        }
        if let accession, issues.isEmpty { return .success(accession) }
        return .failure(.invalid(issues))
    }

    /// The analytes whose values differ from those recorded for the tube (a Ct is the same to
    /// within rounding to two decimals, as laboratories print them).
    public func differences(from recorded: NucleicAcidTest) -> [String] {
        var out: [String] = []
        if let result, result != recorded.result {
            out.append("result \(recorded.result.rawValue) → \(result.rawValue)")
        }
        func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 0.005 }
        if let n = nGeneCt, let was = recorded.nGeneCt, !same(n, was) { out.append("N gene Ct \(was) → \(n)") }
        if let o = orf1abCt, let was = recorded.orf1abCt, !same(o, was) { out.append("ORF1ab Ct \(was) → \(o)") }
        return out
    }

    /// What makes the same result sent again the same: its accession and values as received.
    public var fingerprint: String {
        [
            accessionText.trimmedOfWhitespace.uppercased(), result?.rawValue ?? "",
            nGeneCt.map { String($0) } ?? "", orf1abCt.map { String($0) } ?? "",
            unreadable.map { "\($0.field):\($0.detail)" }.joined(separator: ";"),
        ].joined(separator: "|")
    }
}

/// What became of one received result.
public enum ResultOutcome: Sendable, Equatable {
    /// Recorded on the patient (or Ct values added to the result recorded for the tube).
    case recorded
    /// The tube already had exactly this result: nothing to do.
    case unchanged
    /// Waiting for a clinician, and why.
    case held(ReviewReason, detail: String)
}

/// One received result and what became of it, in the order it was sent.
public struct ResultReceipt: Sendable, Equatable {
    public var place: String
    public var accession: String
    public var outcome: ResultOutcome

    public init(place: String, accession: String, outcome: ResultOutcome) {
        self.place = place
        self.accession = accession
        self.outcome = outcome
    }
}

/// What one delivery of results did.
public struct ResultIntake: Sendable, Equatable {
    public var receipts: [ResultReceipt]

    public init(receipts: [ResultReceipt]) { self.receipts = receipts }

    public var recorded: Int { receipts.count { $0.outcome == .recorded } }

    /// A result held for review, as every front end lists it.
    public struct Held: Sendable, Equatable, Codable {
        public var place: String
        public var accession: String
        public var reason: ReviewReason
        public var detail: String
    }

    /// The results held for review, in the order sent.
    public var heldResults: [Held] {
        receipts.compactMap {
            guard case .held(let reason, let detail) = $0.outcome else { return nil }
            return Held(place: $0.place, accession: $0.accession, reason: reason, detail: detail)
        }
    }
    public var unchanged: Int { receipts.count { $0.outcome == .unchanged } }
    public var held: Int { receipts.count - recorded - unchanged }
}

/// What a clinician decided about a result in the review queue.
public enum ReviewDecision: String, Sendable, Codable, CaseIterable {
    /// Recorded on the tube the clinician named.
    case matched
    /// Not recorded.
    case rejected
}

/// A result in the review queue.
public struct ResultReview: Sendable, Codable, Equatable {
    public var id: ID
    public var laboratory: Laboratory
    /// The site of the tube it names; nil when it names none Cordon knows.
    public var siteId: Site.ID?
    public var form: ResultForm
    public var reason: ReviewReason
    public var detail: String
    public var place: String
    public var receivedAccession: String
    public var result: TestResultKind?
    public var nGeneCt: Double?
    public var orf1abCt: Double?
    public var sampledAt: Date?
    public var testedAt: Date?
    public var receivedAt: Date
    public var decision: ReviewDecision?
    public var decisionReason: String?
    public var matchedAccession: AccessionNumber?
    public var decidedAt: Date?

    public init(
        id: ID, laboratory: Laboratory, siteId: Site.ID?, form: ResultForm, reason: ReviewReason, detail: String,
        place: String, receivedAccession: String, result: TestResultKind?, nGeneCt: Double?, orf1abCt: Double?,
        sampledAt: Date?, testedAt: Date?, receivedAt: Date, decision: ReviewDecision?, decisionReason: String?,
        matchedAccession: AccessionNumber?, decidedAt: Date?
    ) {
        self.id = id
        self.laboratory = laboratory
        self.siteId = siteId
        self.form = form
        self.reason = reason
        self.detail = detail
        self.place = place
        self.receivedAccession = receivedAccession
        self.result = result
        self.nGeneCt = nGeneCt
        self.orf1abCt = orf1abCt
        self.sampledAt = sampledAt
        self.testedAt = testedAt
        self.receivedAt = receivedAt
        self.decision = decision
        self.decisionReason = decisionReason
        self.matchedAccession = matchedAccession
        self.decidedAt = decidedAt
    }
}

extension DischargeRule {
    /// Whether `test` fails the rule right after a test that passed it: a positive after
    /// negatives, which restarts the release clock and is shown on the board.
    public func isRepositive(_ test: NucleicAcidTest, history: [NucleicAcidTest]) -> Bool {
        guard failure(test) != nil else { return false }
        let before = history.filter { ($0.sampledAt, $0.id) < (test.sampledAt, test.id) }
            .max { ($0.sampledAt, $0.id) < ($1.sampledAt, $1.id) }
        return before.map { failure($0) == nil } ?? false
    }
}

/// What the board shows of the laboratories' results: who turned positive again after clear
/// tests and is still here, and how many results wait for a clinician.
public struct ResultWatch: Sendable, Equatable {
    public struct Repositive: Sendable, Equatable {
        public var patientId: Patient.ID
        public var name: String
        public var bedCode: String?
        /// When the positive tube was sampled.
        public var since: Date

        public init(patientId: Patient.ID, name: String, bedCode: String?, since: Date) {
            self.patientId = patientId
            self.name = name
            self.bedCode = bedCode
            self.since = since
        }
    }
    public var repositive: [Repositive]
    public var waitingForReview: Int

    public init(repositive: [Repositive], waitingForReview: Int) {
        self.repositive = repositive
        self.waitingForReview = waitingForReview
    }
}
