import Domain
import Foundation
import PostgresNIO

// The statements every laboratory delivery runs, prepared: a day's results come as hundreds of
// messages, and planning each statement afresh cost as much as running it. Rows are read cell by
// cell, which is cheaper than a tuple decode for the hundreds of rows a delivery reads.

/// The tubes with these accessions, each locked with its patient, in accession order.
struct LockTubesStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT s.accession, s.site_id, site.time_zone, s.patient_id, p.status = 'admitted', s.status,
               x.laboratory_id, s.collected_at
        FROM specimens s JOIN sites site ON site.id = s.site_id
        JOIN patients p ON p.site_id = s.site_id AND p.id = s.patient_id
        LEFT JOIN specimen_boxes x ON x.site_id = s.site_id AND x.id = s.box_id
        WHERE s.accession = ANY($1::bigint[])
        ORDER BY s.accession FOR UPDATE OF s, p
        """
    typealias Row = (
        accession: Int64, siteId: Int64, timeZone: String, patientId: Int64, admitted: Bool, status: SpecimenStatus,
        laboratoryId: Int64?, collectedAt: Date?
    )
    var accessions: [Int64]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(accessions)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let cells = row.makeRandomAccess()
        return (
            try cells[0].decode(Int64.self), try cells[1].decode(Int64.self), try cells[2].decode(String.self),
            try cells[3].decode(Int64.self), try cells[4].decode(Bool.self), try cells[5].decode(SpecimenStatus.self),
            try cells[6].decode(Int64?.self), try cells[7].decode(Date?.self)
        )
    }
}

/// Every test of these patients (site and patient id, pairwise).
struct PatientTestsStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT t.site_id, t.id, t.patient_id, t.sampled_at, t.result, t.n_gene_ct, t.orf1ab_ct, t.recorded_at,
               t.accession
        FROM nucleic_acid_tests t
        JOIN unnest($1::bigint[], $2::bigint[]) AS k (site_id, id) ON t.site_id = k.site_id AND t.patient_id = k.id
        """
    typealias Row = (siteId: Int64, test: NucleicAcidTest, accession: Int64?)
    var siteIds: [Int64]
    var patientIds: [Int64]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(siteIds)
        bindings.append(patientIds)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let cells = row.makeRandomAccess()
        return (
            try cells[0].decode(Int64.self),
            NucleicAcidTest(
                id: try cells[1].decode(Int64.self), patientId: Patient.ID(rawValue: try cells[2].decode(Int64.self)),
                sampledAt: try cells[3].decode(Date.self), result: try cells[4].decode(TestResultKind.self),
                nGeneCt: try cells[5].decode(Double?.self),
                orf1abCt: try cells[6].decode(Double?.self), recordedAt: try cells[7].decode(Date.self)),
            try cells[8].decode(Int64?.self)
        )
    }
}

/// Writes results as tests, marks their tubes resulted and sets the verdicts they decided. Arrays
/// carry no NULLs: -1 stands for no Ct, the epoch for no time.
struct RecordResultsStatement: PostgresPreparedStatement {
    static let sql = """
        WITH t AS (
            INSERT INTO nucleic_acid_tests (site_id, patient_id, sampled_at, result, n_gene_ct, orf1ab_ct,
                                            accession, laboratory_id, source, tested_at)
            SELECT r.site_id, r.patient_id, r.sampled_at, r.result, nullif(r.n, -1), nullif(r.o, -1), r.accession,
                   $9, $10, nullif(r.tested_at, 'epoch')
            FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::text[], $5::float8[], $6::float8[],
                        $7::bigint[], $8::timestamptz[])
                AS r (site_id, patient_id, sampled_at, result, n, o, accession, tested_at)
            RETURNING accession, sampled_at),
        resulted AS (
            UPDATE specimens s SET status = 'resulted', collected_at = coalesce(s.collected_at, t.sampled_at),
                   not_collected_reason = NULL, cancellation = NULL, updated_at = now()
            FROM t WHERE s.accession = t.accession)
        UPDATE patients p SET release_eligible = v.eligible,
               repositive_at = CASE WHEN v.repositive_at = 'epoch' THEN p.repositive_at
                                    ELSE greatest(p.repositive_at, v.repositive_at) END
        FROM unnest($11::bigint[], $12::bigint[], $13::boolean[], $14::timestamptz[])
            AS v (site_id, id, eligible, repositive_at)
        WHERE p.site_id = v.site_id AND p.id = v.id
          AND (p.release_eligible IS DISTINCT FROM v.eligible OR v.repositive_at <> 'epoch')
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .int8Array, .int8Array, .timestamptzArray, .textArray, .float8Array, .float8Array, .int8Array,
        .timestamptzArray, .int8, .text, .int8Array, .int8Array, .boolArray, .timestamptzArray,
    ]
    typealias Row = Void
    var siteIds: [Int64], patientIds: [Int64], sampledAt: [Date], results: [String]
    var nGeneCts: [Double], orf1abCts: [Double], accessions: [Int64], testedAt: [Date]
    var laboratoryId: Int64, source: String
    var verdictSiteIds: [Int64], verdictPatientIds: [Int64], eligible: [Bool], repositiveAt: [Date]

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 14)
        b.append(siteIds)
        b.append(patientIds)
        b.append(sampledAt)
        b.append(results)
        b.append(nGeneCts)
        b.append(orf1abCts)
        b.append(accessions)
        b.append(testedAt)
        b.append(laboratoryId)
        b.append(source)
        b.append(verdictSiteIds)
        b.append(verdictPatientIds)
        b.append(eligible)
        b.append(repositiveAt)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {}
}
