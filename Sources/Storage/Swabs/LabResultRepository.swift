import Domain
import Foundation
import Logging
import PostgresNIO

/// A laboratory's result for a tube, ready to be written as a test.
public struct LabTestRow: Sendable {
    public var tube: ResultTube
    public var received: ReceivedResult
    public var sampledAt: Date
    public var testedAt: Date?

    public init(tube: ResultTube, received: ReceivedResult, sampledAt: Date, testedAt: Date?) {
        self.tube = tube
        self.received = received
        self.sampledAt = sampledAt
        self.testedAt = testedAt
    }
}

/// A result held for review, ready to be written to the queue.
public struct HeldResult: Sendable {
    public var received: ReceivedResult
    public var reason: ReviewReason
    public var detail: String
    /// The tube it names, when Cordon knows it.
    public var tube: ResultTube?

    public init(received: ReceivedResult, reason: ReviewReason, detail: String, tube: ResultTube?) {
        self.received = received
        self.reason = reason
        self.detail = detail
        self.tube = tube
    }
}

/// Laboratories' results and the review queue, in SQL. Every write is one statement for the
/// whole delivery, however many results it holds.
public struct LabResultRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// The tubes with these accessions, each locked with its patient in accession order, so
    /// that two deliveries of the same results wait for each other instead of both recording
    /// them, and a test entered by hand waits for the verdict. The tubes come without their
    /// recorded results: `tests(of:)`, a statement of its own, reads those after the locks (a
    /// locking read's joins keep the snapshot from before it waited).
    public func lockTubes(_ accessions: [AccessionNumber]) async throws -> [AccessionNumber: ResultTube] {
        var out: [AccessionNumber: ResultTube] = [:]
        var zones: [String: TimeZone] = [:]
        for try await r in try await connection.execute(
            LockTubesStatement(accessions: accessions.map(\.sequence)), logger: logger)
        {
            guard let accession = AccessionNumber(sequence: r.accession) else { continue }
            let zone = zones[r.timeZone] ?? TimeZone(identifier: r.timeZone) ?? .gmt
            zones[r.timeZone] = zone
            out[accession] = ResultTube(
                accession: accession, siteId: Site.ID(rawValue: r.siteId), timeZone: zone,
                patientId: Patient.ID(rawValue: r.patientId), patientAdmitted: r.admitted, status: r.status,
                sentTo: r.laboratoryId.map(Laboratory.ID.init(rawValue:)), collectedAt: r.collectedAt, recorded: nil)
        }
        return out
    }

    /// Writes the results as tests, marks their tubes resulted (a tube the site never scanned as
    /// taken counts as taken when it was sampled), and sets the release flags and re-positive
    /// marks the results decided (with or without new tests), all in one statement.
    public func record(
        _ rows: [LabTestRow], verdicts: [PatientVerdict], laboratoryId: Laboratory.ID, source: String
    ) async throws {
        guard !rows.isEmpty || !verdicts.isEmpty else { return }
        let statement = RecordResultsStatement(
            siteIds: rows.map(\.tube.siteId.rawValue), patientIds: rows.map(\.tube.patientId.rawValue),
            sampledAt: rows.map(\.sampledAt), results: rows.map { $0.received.result?.rawValue ?? "negative" },
            nGeneCts: rows.map { $0.received.nGeneCt ?? -1 }, orf1abCts: rows.map { $0.received.orf1abCt ?? -1 },
            accessions: rows.map(\.tube.accession.sequence), testedAt: rows.map { $0.testedAt ?? Self.missingTime },
            laboratoryId: laboratoryId.rawValue, source: source,
            verdictSiteIds: verdicts.map(\.key.siteId.rawValue),
            verdictPatientIds: verdicts.map(\.key.patientId.rawValue),
            eligible: verdicts.map(\.eligible), repositiveAt: verdicts.map { $0.repositiveAt ?? Self.missingTime })
        for try await _ in try await connection.execute(statement, logger: logger) {}
    }

    /// Adds Ct values a recorded result lacked.
    public func fillCts(_ fills: [(accession: AccessionNumber, nGeneCt: Double?, orf1abCt: Double?)]) async throws {
        guard !fills.isEmpty else { return }
        try await connection.query(
            """
            UPDATE nucleic_acid_tests t SET n_gene_ct = coalesce(t.n_gene_ct, nullif(f.n, -1)),
                orf1ab_ct = coalesce(t.orf1ab_ct, nullif(f.o, -1))
            FROM unnest(\(fills.map(\.accession.sequence))::bigint[], \(fills.map { $0.nGeneCt ?? -1 })::float8[],
                        \(fills.map { $0.orf1abCt ?? -1 })::float8[]) AS f (accession, n, o)
            WHERE t.accession = f.accession
            """, logger: logger)
    }

    /// Replaces the values of a tube's recorded result: a clinician matched a contradicting one.
    public func replaceResult(_ accession: AccessionNumber, _ received: ReceivedResult) async throws {
        try await connection.query(
            """
            UPDATE nucleic_acid_tests SET result = \(received.result?.rawValue), n_gene_ct = \(received.nGeneCt),
                   orf1ab_ct = \(received.orf1abCt), source = 'review'
            WHERE accession = \(accession.sequence)
            """, logger: logger)
    }

    /// The tests of these patients, by patient, each with the tube it was read from (if any).
    public func tests(of keys: [PatientKey]) async throws -> [PatientKey: [TubeTest]] {
        var out: [PatientKey: [TubeTest]] = [:]
        let statement = PatientTestsStatement(
            siteIds: keys.map(\.siteId.rawValue), patientIds: keys.map(\.patientId.rawValue))
        for try await r in try await connection.execute(statement, logger: logger) {
            out[PatientKey(siteId: Site.ID(rawValue: r.siteId), patientId: r.test.patientId), default: []].append(
                TubeTest(test: r.test, accession: r.accession))
        }
        return out
    }

    /// Puts results in the review queue; the same result already waiting is not queued twice.
    public func hold(_ held: [HeldResult], laboratoryId: Laboratory.ID, form: ResultForm) async throws {
        guard !held.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO lab_result_reviews (laboratory_id, site_id, accession, form, reason, detail, place,
                                            received_accession, result, n_gene_ct, orf1ab_ct, sampled_at, tested_at,
                                            raw, fingerprint)
            SELECT \(laboratoryId), nullif(h.site_id, 0), nullif(h.accession, 0), \(form.rawValue), h.reason, h.detail, h.place,
                   h.received, nullif(h.result, ''), nullif(h.n, -1), nullif(h.o, -1), nullif(h.sampled_at, 'epoch'),
                   nullif(h.tested_at, 'epoch'), h.raw, h.fingerprint
            FROM unnest(\(held.map { $0.tube?.siteId.rawValue ?? 0 })::bigint[], \(held.map { $0.tube?.accession.sequence ?? 0 })::bigint[],
                        \(held.map(\.reason.rawValue))::text[], \(held.map(\.detail))::text[],
                        \(held.map(\.received.place))::text[], \(held.map { String($0.received.accessionText.prefix(64)) })::text[],
                        \(held.map { $0.received.result?.rawValue ?? "" })::text[], \(held.map { Self.ct($0.received.nGeneCt) ?? -1 })::float8[],
                        \(held.map { Self.ct($0.received.orf1abCt) ?? -1 })::float8[], \(held.map { Self.time($0, \.sampled) ?? Self.missingTime })::timestamptz[],
                        \(held.map { Self.time($0, \.tested) ?? Self.missingTime })::timestamptz[], \(held.map(\.received.raw))::text[],
                        \(held.map(\.received.fingerprint))::text[])
                AS h (site_id, accession, reason, detail, place, received, result, n, o, sampled_at, tested_at, raw,
                      fingerprint)
            ON CONFLICT (laboratory_id, fingerprint) WHERE decision IS NULL DO NOTHING
            """, logger: logger)
    }

    /// Stands for no time in arrays, which PostgresNIO sends without nulls.
    static let missingTime = Date(timeIntervalSince1970: 0)

    /// A Ct the queue can hold (one out of range is kept in the raw text only).
    private static func ct(_ value: Double?) -> Double? {
        value.flatMap { NucleicAcidTestEntry.ctRange.contains($0) ? $0 : nil }
    }

    private static func time(_ held: HeldResult, _ path: KeyPath<ReceivedResult, LabTime?>) -> Date? {
        held.received[keyPath: path]?.date(in: held.tube?.timeZone ?? .gmt)
    }

    static let reviewColumns = """
        r.id, l.id, l.code, l.name, r.site_id, r.form, r.reason, r.detail, r.place, r.received_accession, r.result,
        r.n_gene_ct, r.orf1ab_ct, r.sampled_at, r.tested_at, r.received_at, r.decision, r.decision_reason,
        r.matched_accession, r.decided_at
        """

    /// Which results of the queue (`r`) a clinician of `siteId` sees: those naming the site's
    /// tubes, and those naming no known tube from a laboratory the site has sent boxes to. The
    /// site's id is a number, so it is written into the text.
    static func seenAt(_ siteId: Site.ID) -> String {
        """
        (r.site_id = \(siteId.rawValue) OR (r.site_id IS NULL AND r.laboratory_id IN (
            SELECT DISTINCT laboratory_id FROM specimen_boxes WHERE site_id = \(siteId.rawValue))))
        """
    }

    /// The results waiting for a clinician of `siteId` (as `seenAt` chooses), oldest first.
    public func waiting(siteId: Site.ID, limit: Int) async throws -> [ResultReview] {
        try await reviews(
            connection.query(
                """
                SELECT \(unescaped: Self.reviewColumns)
                FROM lab_result_reviews r JOIN laboratories l ON l.id = r.laboratory_id
                WHERE r.decision IS NULL AND \(unescaped: Self.seenAt(siteId))
                ORDER BY r.received_at, r.id LIMIT \(limit)
                """, logger: logger))
    }

    /// How many results wait for a clinician of `siteId` (as `waiting` counts them).
    public func waitingCount(siteId: Site.ID) async throws -> Int {
        try await connection.single(
            """
            SELECT count(*)::int FROM lab_result_reviews r
            WHERE r.decision IS NULL AND \(unescaped: Self.seenAt(siteId))
            """, as: Int.self, logger: logger)
    }

    /// The site's patients still here whose latest run of clear tests a positive broke, latest
    /// first (at most `limit`); one who became eligible again since is no longer listed.
    public func repositive(siteId: Site.ID, limit: Int) async throws -> [ResultWatch.Repositive] {
        var out: [ResultWatch.Repositive] = []
        let rows = try await connection.query(
            """
            SELECT p.id, p.name, b.code, p.repositive_at FROM patients p
            LEFT JOIN bed_assignments a ON a.site_id = p.site_id AND a.patient_id = p.id AND upper_inf(a.during)
            LEFT JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
            WHERE p.site_id = \(siteId) AND p.status = 'admitted' AND p.repositive_at IS NOT NULL
              AND NOT p.release_eligible
            ORDER BY p.repositive_at DESC, p.id LIMIT \(limit)
            """, logger: logger)
        for try await (id, name, bed, since) in rows.decode((Patient.ID, String, String?, Date).self) {
            out.append(.init(patientId: id, name: name, bedCode: bed, since: since))
        }
        return out
    }

    /// One result of the queue as a clinician of `siteId` sees it (as `seenAt` chooses), decided
    /// or not; locked when asked.
    public func review(_ id: ResultReview.ID, siteId: Site.ID, lock: Bool = false) async throws -> ResultReview? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.reviewColumns)
            FROM lab_result_reviews r JOIN laboratories l ON l.id = r.laboratory_id
            WHERE r.id = \(id) AND \(unescaped: Self.seenAt(siteId))
            \(unescaped: lock ? "FOR UPDATE OF r" : "")
            """, logger: logger)
        for try await row in rows { return try Self.review(row) }
        return nil
    }

    /// Records a clinician's decision.
    public func decide(
        _ id: ResultReview.ID, _ decision: ReviewDecision, reason: String, matched: AccessionNumber?, by userId: Int64?
    ) async throws {
        try await connection.query(
            """
            UPDATE lab_result_reviews SET decision = \(decision.rawValue), decision_reason = \(reason),
                   matched_accession = \(matched?.sequence), decided_at = now(), decided_by = \(userId)
            WHERE id = \(id)
            """, logger: logger)
    }

    private func reviews(_ rows: PostgresRowSequence) async throws -> [ResultReview] {
        var out: [ResultReview] = []
        for try await row in rows { out.append(try Self.review(row)) }
        return out
    }

    private static func review(_ row: PostgresRow) throws -> ResultReview {
        let c = row.makeRandomAccess()
        return ResultReview(
            id: try c[0].decode(ResultReview.ID.self),
            laboratory: Laboratory(
                id: try c[1].decode(Laboratory.ID.self), code: try c[2].decode(String.self),
                name: try c[3].decode(String.self)),
            siteId: try c[4].decode(Site.ID?.self), form: try c[5].decode(ResultForm.self),
            reason: try c[6].decode(ReviewReason.self), detail: try c[7].decode(String.self),
            place: try c[8].decode(String.self), receivedAccession: try c[9].decode(String.self),
            result: try c[10].decode(TestResultKind?.self), nGeneCt: try c[11].decode(Double?.self),
            orf1abCt: try c[12].decode(Double?.self), sampledAt: try c[13].decode(Date?.self),
            testedAt: try c[14].decode(Date?.self), receivedAt: try c[15].decode(Date.self),
            decision: try c[16].decode(ReviewDecision?.self), decisionReason: try c[17].decode(String?.self),
            matchedAccession: try c[18].decode(Int64?.self).flatMap(AccessionNumber.init(sequence:)),
            decidedAt: try c[19].decode(Date?.self))
    }
}

/// A test of a patient, with the tube a laboratory read it from (none for one entered by hand).
public struct TubeTest: Sendable {
    public var test: NucleicAcidTest
    public var accession: Int64?

    public init(test: NucleicAcidTest, accession: Int64?) {
        self.test = test
        self.accession = accession
    }
}

/// A patient named across sites.
public struct PatientKey: Sendable, Hashable {
    public var siteId: Site.ID
    public var patientId: Patient.ID

    public init(siteId: Site.ID, patientId: Patient.ID) {
        self.siteId = siteId
        self.patientId = patientId
    }
}

/// A patient's release flag after new results, and when a result broke a clear run.
public struct PatientVerdict: Sendable {
    public var key: PatientKey
    public var eligible: Bool
    public var repositiveAt: Date?

    public init(key: PatientKey, eligible: Bool, repositiveAt: Date?) {
        self.key = key
        self.eligible = eligible
        self.repositiveAt = repositiveAt
    }
}
