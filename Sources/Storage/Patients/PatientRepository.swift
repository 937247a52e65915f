import Domain
import Foundation
import Logging
import PostgresNIO

/// Patients, their bed assignments and their nucleic-acid tests in SQL.
public struct PatientRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// A patient with the bed they hold now, if any.
    static let select = """
        SELECT p.id, p.site_id, p.name, p.sex, p.date_of_birth::text, p.phone, p.national_id, p.severity,
               p.party_member, p.status, a.bed_id, b.code, p.admitted_at, p.discharged_at, p.discharge_reason, p.version,
               p.home_address, p.committee, p.household, p.needs_carer
        FROM patients p
        LEFT JOIN bed_assignments a ON a.site_id = p.site_id AND a.patient_id = p.id AND upper_inf(a.during)
        LEFT JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
        """

    /// Inserts an admitted patient (without a bed; see `openAssignment`).
    public func insert(siteId: Site.ID, _ a: Admission, nationalId: NationalID, admittedAt: Date) async throws
        -> Patient.ID
    {
        let rows = try await connection.query(
            """
            INSERT INTO patients (site_id, name, sex, date_of_birth, phone, national_id, severity, party_member,
                admitted_at, home_address, committee, committee_id, household, needs_carer)
            VALUES (\(siteId), \(a.name), \(a.sex.rawValue), \(a.dateOfBirth.description)::date, \(a.phone),
                    \(nationalId.value), \(a.severity.rawValue), \(a.partyMember), \(admittedAt),
                    \(a.home?.homeAddress), \(a.home?.committee),
                    (SELECT c.id FROM residential_committees c JOIN sites s ON s.district_id = c.district_id
                     WHERE s.id = \(siteId) AND c.name = \(a.home?.committee)),
                    \(a.home?.household), \(a.home?.needsCarer ?? false))
            RETURNING id
            """, logger: logger)
        for try await id in rows.decode(Patient.ID.self) { return id }
        throw PostgresSingleRowMissing(query: "INSERT ... RETURNING")
    }

    /// One patient; with `lock`, the row stays locked until the transaction ends.
    public func get(siteId: Site.ID, id: Patient.ID, lock: Bool = false) async throws -> Patient? {
        let rows =
            lock
            ? try await connection.execute(PatientLockStatement(siteId: siteId, id: id), logger: logger)
            : try await connection.execute(PatientStatement(siteId: siteId, id: id), logger: logger)
        for try await row in rows { return try Self.patient(row) }
        return nil
    }

    /// Patients of a site in id order, optionally by status, and by `matching`: a part of the
    /// name, a bed code, or the last four characters of the ID number.
    public func list(
        siteId: Site.ID, status: PatientStatus?, matching: String? = nil, zoneId: Zone.ID? = nil,
        releaseEligible: Bool? = nil, page: PageRequest
    ) async throws -> [Patient] {
        var out: [Patient] = []
        let statement = PatientListStatement(
            siteId: siteId, afterId: page.afterId ?? 0, status: status?.rawValue, matching: matching, zoneId: zoneId,
            releaseEligible: releaseEligible, limit: page.limit + 1)
        for try await row in try await connection.execute(statement, logger: logger) {
            out.append(try Self.patient(row))
        }
        return out
    }

    /// Applies edits and bumps the version.
    public func update(siteId: Site.ID, id: Patient.ID, phone: String?, severity: Severity, partyMember: Bool)
        async throws
    {
        try await connection.query(
            """
            UPDATE patients SET phone = \(phone), severity = \(severity.rawValue), party_member = \(partyMember),
                version = version + 1, updated_at = now()
            WHERE site_id = \(siteId) AND id = \(id)
            """, logger: logger)
    }

    /// Records the discharge and bumps the version.
    public func discharge(siteId: Site.ID, id: Patient.ID, at: Date, reason: DischargeReason, note: String?)
        async throws
    {
        try await connection.query(
            """
            UPDATE patients SET status = 'discharged', discharged_at = \(at), discharge_reason = \(reason.rawValue),
                discharge_note = \(note), version = version + 1, updated_at = now()
            WHERE site_id = \(siteId) AND id = \(id)
            """, logger: logger)
    }

    /// Bumps the version after a change elsewhere (a bed move) so that ETags change too.
    public func touch(siteId: Site.ID, id: Patient.ID) async throws {
        try await connection.query(
            "UPDATE patients SET version = version + 1, updated_at = now() WHERE site_id = \(siteId) AND id = \(id)",
            logger: logger)
    }

    private func patients(_ rows: PostgresRowSequence) async throws -> [Patient] {
        var out: [Patient] = []
        for try await row in rows { out.append(try Self.patient(row)) }
        return out
    }

    /// A patient from a row of `select`'s columns.
    static func patient(_ row: PostgresRow) throws -> Patient {
        let r = try row.decode(
            (
                Patient.ID, Site.ID, String, Sex, CalendarDate, String?, String, Severity, Bool, PatientStatus,
                Bed.ID?, String?, Date, Date?, DischargeReason?, Int, String?, String?, String?, Bool
            ).self)
        var patient = Patient(
            id: r.0, siteId: r.1, name: r.2, sex: r.3, dateOfBirth: r.4, phone: r.5, nationalId: r.6, severity: r.7,
            partyMember: r.8, status: r.9, bedId: r.10, bedCode: r.11, admittedAt: r.12, dischargedAt: r.13,
            dischargeReason: r.14, version: r.15)
        if r.16 != nil || r.17 != nil || r.18 != nil || r.19 {
            patient.home = HomeDetails(homeAddress: r.16, committee: r.17, household: r.18, needsCarer: r.19)
        }
        return patient
    }

    // MARK: Bed assignments

    /// Starts an open-ended stay of a patient in a bed. The exclusion constraints refuse overlaps.
    public func openAssignment(siteId: Site.ID, patientId: Patient.ID, bedId: Bed.ID, from: Date) async throws {
        try await connection.query(
            """
            INSERT INTO bed_assignments (site_id, patient_id, bed_id, during)
            VALUES (\(siteId), \(patientId), \(bedId), tstzrange(\(from), NULL, '[)'))
            """, logger: logger)
    }

    /// Ends the patient's current stay at `at` and returns the bed it was in.
    public func closeAssignment(siteId: Site.ID, patientId: Patient.ID, at: Date) async throws -> Bed.ID? {
        let rows = try await connection.query(
            """
            UPDATE bed_assignments SET during = tstzrange(lower(during), \(at), '[)')
            WHERE site_id = \(siteId) AND patient_id = \(patientId) AND upper_inf(during)
            RETURNING bed_id
            """, logger: logger)
        for try await bedId in rows.decode(Bed.ID.self) { return bedId }
        return nil
    }

    /// Every stay of a patient, oldest first.
    public func assignments(siteId: Site.ID, patientId: Patient.ID) async throws -> [BedAssignment] {
        var out: [BedAssignment] = []
        for try await r in try await connection.query(
            """
            SELECT a.id, a.patient_id, a.bed_id, b.code, lower(a.during), upper(a.during)
            FROM bed_assignments a JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
            WHERE a.site_id = \(siteId) AND a.patient_id = \(patientId)
            ORDER BY lower(a.during), a.id
            """, logger: logger
        ).decode((Int64, Patient.ID, Bed.ID, String, Date, Date?).self) {
            out.append(BedAssignment(id: r.0, patientId: r.1, bedId: r.2, bedCode: r.3, from: r.4, until: r.5))
        }
        return out
    }

    // MARK: Nucleic-acid tests

    static let testColumns = "id, patient_id, sampled_at, result, n_gene_ct, orf1ab_ct, recorded_at"

    /// Records a test result; returns it and the patient's earlier tests, in one round trip.
    public func insertTest(siteId: Site.ID, patientId: Patient.ID, _ e: NucleicAcidTestEntry) async throws
        -> (test: NucleicAcidTest, earlier: [NucleicAcidTest])
    {
        var rows: [NucleicAcidTest] = []
        for try await row in try await connection.execute(
            InsertTestStatement(siteId: siteId, patientId: patientId, entry: e), logger: logger)
        {
            rows.append(try Self.test(row, skippingFirstColumn: true))
        }
        return (rows[0], Array(rows.dropFirst()))
    }

    /// The release rule's numbers the stored flags were worked out with, if they ever were.
    public func releaseRuleApplied() async throws -> DischargeRule? {
        for try await (ct, interval) in try await connection.query(
            "SELECT ct_threshold, minimum_interval_seconds FROM release_rule_applied", logger: logger
        ).decode((Double, Double).self) {
            return DischargeRule(ctThreshold: ct, minimumInterval: interval)
        }
        return nil
    }

    /// Notes the rule the stored flags now follow.
    public func recordReleaseRuleApplied(_ rule: DischargeRule) async throws {
        try await connection.query(
            """
            INSERT INTO release_rule_applied (ct_threshold, minimum_interval_seconds)
            VALUES (\(rule.ctThreshold), \(rule.minimumInterval))
            ON CONFLICT (singleton) DO UPDATE SET ct_threshold = excluded.ct_threshold,
                minimum_interval_seconds = excluded.minimum_interval_seconds, applied_at = now()
            """, logger: logger)
    }

    /// Sets admitted patients' release flags, one or many, in one statement; returns how many changed.
    public func setReleaseEligible(siteId: Site.ID, _ flags: [(id: Patient.ID, eligible: Bool)]) async throws -> Int {
        try await connection.single(
            """
            WITH changed AS (
                UPDATE patients p SET release_eligible = f.eligible
                FROM unnest(\(flags.map(\.id.rawValue))::bigint[], \(flags.map(\.eligible))::boolean[]) AS f (id, eligible)
                WHERE p.site_id = \(siteId) AND p.id = f.id AND p.release_eligible IS DISTINCT FROM f.eligible
                RETURNING 1
            )
            SELECT count(*)::int FROM changed
            """, logger: logger)
    }

    /// A patient's tests in sampling order.
    public func tests(siteId: Site.ID, patientId: Patient.ID) async throws -> [NucleicAcidTest] {
        try await tests(
            connection.query(
                """
                SELECT \(unescaped: Self.testColumns) FROM nucleic_acid_tests
                WHERE site_id = \(siteId) AND patient_id = \(patientId) ORDER BY sampled_at, id
                """, logger: logger))
    }

    /// The tests of every admitted patient of a site, for the census.
    public func testsOfAdmitted(siteId: Site.ID) async throws -> [NucleicAcidTest] {
        var out: [NucleicAcidTest] = []
        for try await r in try await connection.execute(TestsOfAdmittedStatement(siteId: siteId), logger: logger) {
            out.append(
                NucleicAcidTest(
                    id: r.0, patientId: r.1, sampledAt: r.2, result: r.3,
                    nGeneCt: r.4, orf1abCt: r.5, recordedAt: r.6))
        }
        return out
    }

    private func tests(_ rows: PostgresRowSequence) async throws -> [NucleicAcidTest] {
        var out: [NucleicAcidTest] = []
        for try await row in rows { out.append(try Self.test(row)) }
        return out
    }

    /// A test from a row of `testColumns`, after one leading column when asked.
    static func test(_ row: PostgresRow, skippingFirstColumn: Bool = false) throws -> NucleicAcidTest {
        let columns = row.makeRandomAccess()
        let offset = skippingFirstColumn ? 1 : 0
        return NucleicAcidTest(
            id: try columns[offset].decode(Int64.self),
            patientId: try columns[offset + 1].decode(Patient.ID.self),
            sampledAt: try columns[offset + 2].decode(Date.self),
            result: try columns[offset + 3].decode(TestResultKind.self),
            nGeneCt: try columns[offset + 4].decode(Double?.self),
            orf1abCt: try columns[offset + 5].decode(Double?.self),
            recordedAt: try columns[offset + 6].decode(Date.self))
    }
}

// MARK: Prepared statements

/// A statement on one patient of a site, by site and patient id.
protocol OnePatientStatement: PostgresPreparedStatement where Row == PostgresRow {
    var siteId: Site.ID { get }
    var id: Patient.ID { get }
}

extension OnePatientStatement {
    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(siteId)
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

/// One patient with their current bed.
struct PatientStatement: OnePatientStatement {
    static let sql = "\(PatientRepository.select) WHERE p.site_id = $1 AND p.id = $2"
    var siteId: Site.ID
    var id: Patient.ID
}

/// One patient, locked until the transaction ends (every change to a patient takes it first).
struct PatientLockStatement: OnePatientStatement {
    static let sql = "\(PatientRepository.select) WHERE p.site_id = $1 AND p.id = $2 FOR UPDATE OF p"
    var siteId: Site.ID
    var id: Patient.ID
}

/// A new test, answered with itself first and then the patient's earlier tests (the statement's
/// snapshot does not see its own insert), which the release rule needs next: one round trip.
struct InsertTestStatement: PostgresPreparedStatement {
    static let sql = """
        WITH inserted AS (
            INSERT INTO nucleic_acid_tests (site_id, patient_id, sampled_at, result, n_gene_ct, orf1ab_ct)
            VALUES ($1, $2, $3, $4, $5, $6)
            RETURNING \(PatientRepository.testColumns)
        )
        SELECT * FROM (SELECT 0 AS earlier, * FROM inserted
                       UNION ALL
                       SELECT 1, \(PatientRepository.testColumns) FROM nucleic_acid_tests
                       WHERE site_id = $1 AND patient_id = $2) t
        ORDER BY earlier, sampled_at, id
        """
    static let bindingDataTypes: [PostgresDataType] = [.int8, .int8, .timestamptz, .text, .float8, .float8]
    typealias Row = PostgresRow
    var siteId: Site.ID
    var patientId: Patient.ID
    var entry: NucleicAcidTestEntry

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 6)
        bindings.append(siteId)
        bindings.append(patientId)
        bindings.append(entry.sampledAt)
        bindings.append(entry.result.rawValue)
        bindings.append(entry.nGeneCt)
        bindings.append(entry.orf1abCt)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { row }
}

/// A page of a site's patients, each filter applying only when given.
struct PatientListStatement: PostgresPreparedStatement {
    static let sql = """
        \(PatientRepository.select)
        WHERE p.site_id = $1 AND p.id > $2
          AND ($3::text IS NULL OR p.status = $3::text)
          AND ($4::text IS NULL OR strpos(lower(p.name), lower($4::text)) > 0
               OR b.code = $4::text OR right(p.national_id, 4) = upper($4::text))
          AND ($5::bigint IS NULL OR b.zone_id = $5::bigint)
          AND ($6::boolean IS NULL OR (p.status = 'admitted' AND p.release_eligible = $6::boolean))
        ORDER BY p.id LIMIT $7
        """
    static let bindingDataTypes: [PostgresDataType] = [.int8, .int8, .text, .text, .int8, .bool, .int8]
    typealias Row = PostgresRow
    var siteId: Site.ID
    var afterId: Int64
    var status: String?
    var matching: String?
    var zoneId: Zone.ID?
    var releaseEligible: Bool?
    var limit: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 7)
        bindings.append(siteId)
        bindings.append(afterId)
        bindings.append(status)
        bindings.append(matching)
        bindings.append(zoneId)
        bindings.append(releaseEligible)
        bindings.append(limit)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { row }
}

/// The tests of every admitted patient of a site.
struct TestsOfAdmittedStatement: SiteScopedStatement {
    static let sql = """
        SELECT t.id, t.patient_id, t.sampled_at, t.result, t.n_gene_ct, t.orf1ab_ct, t.recorded_at
        FROM nucleic_acid_tests t
        JOIN patients p ON p.site_id = t.site_id AND p.id = t.patient_id
        WHERE t.site_id = $1 AND p.status = 'admitted'
        ORDER BY t.patient_id, t.sampled_at, t.id
        """
    typealias Row = (Int64, Patient.ID, Date, TestResultKind, Double?, Double?, Date)
    var siteId: Site.ID

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
