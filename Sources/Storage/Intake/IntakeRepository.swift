import Domain
import Foundation
import Logging
import PostgresNIO

/// Transfer lists as batches of expected people, with their proposed beds, in SQL.
public struct IntakeRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    static let json: (encoder: JSONEncoder, decoder: JSONDecoder) = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (encoder, decoder)
    }()

    /// Inserts a batch and its people (positions as given, ID numbers normalised), all or none.
    public func insert(
        siteId: Site.ID, reference: String, expectedAt: Date,
        persons: [(position: Int, person: TransferPerson, nationalId: NationalID)]
    ) async throws -> IntakeBatch.ID {
        var rows = try await connection.query(
            """
            INSERT INTO intake_batches (site_id, reference, expected_at) VALUES (\(siteId), \(reference), \(expectedAt))
            RETURNING id
            """, logger: logger
        ).decode(IntakeBatch.ID.self).makeAsyncIterator()
        guard let batchId = try await rows.next() else {
            throw PostgresSingleRowMissing(query: "INSERT intake_batches")
        }
        var normalised: [StoredPerson] = []
        for (position, person, nationalId) in persons {
            var copy = person
            copy.nationalId = nationalId.value
            normalised.append(StoredPerson(position: position, person: copy))
        }
        let document = String(decoding: try Self.json.encoder.encode(normalised), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO intake_persons (site_id, batch_id, position, name, sex, date_of_birth, national_id, phone,
                home_address, committee, test_date, n_gene_ct, orf1ab_ct, vulnerabilities, household, expected_at)
            SELECT \(siteId), \(batchId), x.position, x.name, x.sex, x."dateOfBirth", x."nationalId", x.phone,
                   x."homeAddress", x.committee, x."testDate", x."nGeneCt", x."orf1abCt", x.vulnerabilities,
                   x.household, x."expectedAt"
            FROM jsonb_to_recordset(\(document)::jsonb) AS x(
                position int, name text, sex text, "dateOfBirth" date, "nationalId" text, phone text,
                "homeAddress" text, committee text, "testDate" date, "nGeneCt" double precision,
                "orf1abCt" double precision, vulnerabilities text[], household text, "expectedAt" timestamptz)
            """, logger: logger)
        return batchId
    }

    /// A person flattened as the insert reads them.
    private struct StoredPerson: Encodable {
        var position: Int
        var person: TransferPerson

        func encode(to encoder: any Encoder) throws {
            try person.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(position, forKey: .position)
            try c.encode(person.vulnerabilities.map(\.rawValue).sorted(), forKey: .vulnerabilities)
        }
        enum Key: String, CodingKey { case position, vulnerabilities }
    }

    /// The people of the site these normalised ID numbers already belong to: admitted, or
    /// expected on a list.
    public func known(siteId: Site.ID, nationalIds: [String]) async throws -> [KnownIdentity] {
        var out: [KnownIdentity] = []
        let rows = try await connection.query(
            """
            SELECT national_id, name, id, NULL::text FROM patients
            WHERE site_id = \(siteId) AND status = 'admitted' AND national_id = ANY(\(nationalIds)::text[])
            UNION ALL
            SELECT p.national_id, p.name, NULL::bigint, b.reference
            FROM intake_persons p JOIN intake_batches b ON b.site_id = p.site_id AND b.id = p.batch_id
            WHERE p.site_id = \(siteId) AND p.status = 'expected' AND p.national_id = ANY(\(nationalIds)::text[])
            """, logger: logger)
        for try await (id, name, patientId, reference) in rows.decode((String, String, Int64?, String?).self) {
            out.append(
                KnownIdentity(
                    nationalId: id, name: name,
                    place: patientId.map { .admitted(Patient.ID($0)) } ?? .expected(list: reference ?? "")))
        }
        return out
    }

    static let batchColumns = """
        b.id, b.site_id, b.reference, b.expected_at, b.created_at,
        count(*) FILTER (WHERE p.status = 'expected')::int, count(*) FILTER (WHERE p.status = 'admitted')::int,
        count(*) FILTER (WHERE p.status = 'cancelled')::int, count(p.bed_id)::int
        """

    /// One batch with its counts; with `lock`, the batch row stays locked until the transaction ends.
    public func batch(siteId: Site.ID, id: IntakeBatch.ID, lock: Bool = false) async throws -> IntakeBatch? {
        if lock {
            try await connection.query(
                "SELECT 1 FROM intake_batches WHERE site_id = \(siteId) AND id = \(id) FOR UPDATE", logger: logger)
        }
        return try await batches(
            connection.query(
                """
                SELECT \(unescaped: Self.batchColumns)
                FROM intake_batches b LEFT JOIN intake_persons p ON p.site_id = b.site_id AND p.batch_id = b.id
                WHERE b.site_id = \(siteId) AND b.id = \(id)
                GROUP BY b.site_id, b.id
                """, logger: logger)
        ).first
    }

    /// Batches of a site, latest expected first; with `open`, only those with someone still expected.
    public func batches(siteId: Site.ID, open: Bool, limit: Int) async throws -> [IntakeBatch] {
        try await batches(
            connection.query(
                """
                SELECT \(unescaped: Self.batchColumns)
                FROM intake_batches b LEFT JOIN intake_persons p ON p.site_id = b.site_id AND p.batch_id = b.id
                WHERE b.site_id = \(siteId)
                GROUP BY b.site_id, b.id
                HAVING NOT \(open) OR count(*) FILTER (WHERE p.status = 'expected') > 0
                ORDER BY b.expected_at DESC, b.id DESC LIMIT \(limit)
                """, logger: logger))
    }

    private func batches(_ rows: PostgresRowSequence) async throws -> [IntakeBatch] {
        var out: [IntakeBatch] = []
        for try await r in rows.decode((IntakeBatch.ID, Site.ID, String, Date, Date, Int, Int, Int, Int).self) {
            out.append(
                IntakeBatch(
                    id: r.0, siteId: r.1, reference: r.2, expectedAt: r.3, createdAt: r.4, expected: r.5, admitted: r.6,
                    cancelled: r.7, proposed: r.8))
        }
        return out
    }

    static let personColumns = """
        p.id, p.batch_id, p.position, p.name, p.sex, p.date_of_birth::text, p.national_id, p.phone, p.home_address,
        p.committee, p.test_date::text, p.n_gene_ct, p.orf1ab_ct, p.vulnerabilities, p.household, p.expected_at,
        p.status, p.bed_id, b.code, p.reasons::text, p.patient_id, p.version
        """

    /// The people of a batch in list order.
    public func persons(siteId: Site.ID, batchId: IntakeBatch.ID) async throws -> [IntakePerson] {
        try await persons(
            connection.query(
                """
                SELECT \(unescaped: Self.personColumns)
                FROM intake_persons p LEFT JOIN beds b ON b.site_id = p.site_id AND b.id = p.bed_id
                WHERE p.site_id = \(siteId) AND p.batch_id = \(batchId) ORDER BY p.position, p.id
                """, logger: logger))
    }

    /// One person; with `lock`, the row stays locked until the transaction ends.
    public func person(siteId: Site.ID, id: IntakePerson.ID, lock: Bool = false) async throws -> IntakePerson? {
        try await persons(
            connection.query(
                """
                SELECT \(unescaped: Self.personColumns)
                FROM intake_persons p LEFT JOIN beds b ON b.site_id = p.site_id AND b.id = p.bed_id
                WHERE p.site_id = \(siteId) AND p.id = \(id)
                \(unescaped: lock ? "FOR UPDATE OF p" : "")
                """, logger: logger)
        ).first
    }

    private func persons(_ rows: PostgresRowSequence) async throws -> [IntakePerson] {
        var out: [IntakePerson] = []
        for try await r in rows.decode(
            (
                IntakePerson.ID, IntakeBatch.ID, Int, String, Sex, CalendarDate, String, String?, String?, String?,
                CalendarDate?, Double?, Double?, [String], String?, Date?, ArrivalStatus, Bed.ID?, String?, String,
                Patient.ID?, Int
            ).self)
        {
            let person = TransferPerson(
                name: r.3, sex: r.4, dateOfBirth: r.5, nationalId: r.6, phone: r.7, homeAddress: r.8, committee: r.9,
                testDate: r.10, nGeneCt: r.11, orf1abCt: r.12,
                vulnerabilities: Set(try r.13.map { try Vulnerability.stored($0) }), household: r.14,
                expectedAt: r.15)
            out.append(
                IntakePerson(
                    id: r.0, batchId: r.1, position: r.2, person: person, status: r.16,
                    bedId: r.17, bedCode: r.18,
                    reasons: (try? Self.json.decoder.decode([Explanation].self, from: Data(r.19.utf8))) ?? [],
                    patientId: r.20, version: r.21))
        }
        return out
    }

    /// Clears the proposals of a batch's expected people, so that their beds may be proposed again.
    public func clearProposals(siteId: Site.ID, batchId: IntakeBatch.ID) async throws {
        try await connection.query(
            """
            UPDATE intake_persons SET bed_id = NULL, reasons = '[]', version = version + 1, updated_at = now()
            WHERE site_id = \(siteId) AND batch_id = \(batchId) AND status = 'expected'
            """, logger: logger)
    }

    /// Writes each person's proposed bed (or none) and the reasons for it.
    public func setProposals(
        siteId: Site.ID, _ proposals: [(id: IntakePerson.ID, bedId: Bed.ID?, reasons: [Explanation])]
    )
        async throws
    {
        guard !proposals.isEmpty else { return }
        let ids = proposals.map(\.id.rawValue)
        let beds = proposals.map { $0.bedId?.rawValue ?? 0 }
        let reasons = try proposals.map { String(decoding: try Self.json.encoder.encode($0.reasons), as: UTF8.self) }
        try await connection.query(
            """
            UPDATE intake_persons p SET bed_id = nullif(x.bed_id, 0), reasons = x.reasons::jsonb,
                version = p.version + 1, updated_at = now()
            FROM unnest(\(ids)::bigint[], \(beds)::bigint[], \(reasons)::text[]) AS x(id, bed_id, reasons)
            WHERE p.site_id = \(siteId) AND p.id = x.id
            """, logger: logger)
    }

    /// Marks a person admitted as `patientId`, releasing the bed they held as a proposal.
    public func markAdmitted(siteId: Site.ID, id: IntakePerson.ID, patientId: Patient.ID) async throws {
        try await connection.query(
            """
            UPDATE intake_persons SET status = 'admitted', patient_id = \(patientId), bed_id = NULL,
                version = version + 1, updated_at = now()
            WHERE site_id = \(siteId) AND id = \(id)
            """, logger: logger)
    }

    /// Cancels an expected person, releasing their proposed bed.
    public func cancel(siteId: Site.ID, id: IntakePerson.ID) async throws {
        try await connection.query(
            """
            UPDATE intake_persons SET status = 'cancelled', bed_id = NULL, reasons = '[]',
                version = version + 1, updated_at = now()
            WHERE site_id = \(siteId) AND id = \(id)
            """, logger: logger)
    }

    /// Serialises proposals at one site until the transaction ends, so that two batches proposed at
    /// once do not both count the same bed free.
    public func lockProposals(siteId: Site.ID) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtext('intake proposals'), (\(siteId) % 2147483647)::int)",
            logger: logger)
    }

    /// Every bed of the site as the allocation sees it. A bed held for someone expected counts as
    /// taken by a person of their sex, so no two batches are given the same bed.
    public func allocationBeds(siteId: Site.ID) async throws -> [AllocationBed] {
        let rows = try await connection.query(
            """
            SELECT b.id, b.code, b.zone_id, z.code, b.room, b.bay, b.near_station, b.accessible, b.oxygen,
                   b.single_sex, CASE WHEN i.id IS NULL THEN b.status ELSE 'occupied' END, coalesce(p.sex, i.sex)
            FROM beds b
            JOIN zones z ON z.site_id = b.site_id AND z.id = b.zone_id
            LEFT JOIN bed_assignments a ON a.site_id = b.site_id AND a.bed_id = b.id AND upper_inf(a.during)
            LEFT JOIN patients p ON p.site_id = a.site_id AND p.id = a.patient_id
            LEFT JOIN intake_persons i ON i.site_id = b.site_id AND i.bed_id = b.id
            WHERE b.site_id = \(siteId)
            """, logger: logger)
        var out: [AllocationBed] = []
        for try await r in rows.decode(
            (Bed.ID, String, Zone.ID, String, String?, String?, Bool, Bool, Bool, Sex?, BedStatus, Sex?).self)
        {
            out.append(
                AllocationBed(
                    id: r.0, code: r.1, zoneId: r.2, zoneCode: r.3,
                    attributes: BedAttributes(
                        room: r.4, bay: r.5, nearStation: r.6, accessible: r.7, oxygen: r.8,
                        singleSex: r.9),
                    status: r.10, occupantSex: r.11))
        }
        return out
    }
}
