import Domain
import Foundation
import Logging
import PostgresNIO

/// Release certificates (issued by the database at release), their revocation and the key that
/// signs a site's certificate codes.
public struct CertificateRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// A certificate as stored, with the patient's tests up to release for the service to pick
    /// the qualifying pair from.
    public struct Stored: Sendable {
        public var certificate: ReleaseCertificate
        public var tests: [NucleicAcidTest]
    }

    /// The certificates of these patients of the site, in the order asked (a patient without
    /// one is left out), or the one certificate `certificateId`, or those released since a
    /// time (latest first, at most `limit`).
    public func certificates(
        siteId: Site.ID, patientIds: [Patient.ID]? = nil, certificateId: Int64? = nil, releasedSince: Date? = nil,
        limit: Int = 5_000
    ) async throws -> [Stored] {
        let ids = patientIds.map { $0.map(\.rawValue) }
        let rows = try await connection.query(
            """
            SELECT c.id, s.code, s.name, s.time_zone, p.id, p.name, p.national_id, p.admitted_at, c.released_at,
                   c.revoked_at, c.revoked_by, c.revoked_reason
            FROM release_certificates c
            JOIN sites s ON s.id = c.site_id
            JOIN patients p ON p.site_id = c.site_id AND p.id = c.patient_id
            WHERE c.site_id = \(siteId)
              AND (\(ids)::bigint[] IS NULL OR c.patient_id = ANY(\(ids)::bigint[]))
              AND (\(certificateId)::bigint IS NULL OR c.id = \(certificateId))
              AND (\(releasedSince)::timestamptz IS NULL OR c.released_at >= \(releasedSince))
            ORDER BY c.released_at DESC, c.id DESC
            LIMIT \(limit)
            """, logger: logger)
        var byPatient: [Patient.ID: ReleaseCertificate] = [:]
        var listed: [Patient.ID] = []
        for try await r in rows.decode(
            (Int64, String, String, String, Patient.ID, String, String, Date, Date, Date?, String?, String?).self)
        {
            var revocation: ReleaseCertificate.Revocation?
            if let at = r.9, let by = r.10, let reason = r.11 {
                revocation = .init(at: at, by: by, reason: reason)
            }
            listed.append(r.4)
            byPatient[r.4] = ReleaseCertificate(
                id: r.0, siteId: siteId, siteCode: r.1, siteName: r.2, patientId: r.4, name: r.5,
                maskedNationalId: NationalID.lastFourOnly(r.6), admittedAt: r.7, releasedAt: r.8, qualifyingTests: [],
                revocation: revocation, timeZone: TimeZone(identifier: r.3) ?? .current)
        }
        guard !byPatient.isEmpty else { return [] }
        var tests: [Patient.ID: [NucleicAcidTest]] = [:]
        let testRows = try await connection.query(
            """
            SELECT \(unescaped: PatientRepository.testColumns) FROM nucleic_acid_tests
            WHERE site_id = \(siteId) AND patient_id = ANY(\(byPatient.keys.map(\.rawValue))::bigint[])
            ORDER BY patient_id, sampled_at, id
            """, logger: logger)
        for try await row in testRows {
            let test = try PatientRepository.test(row)
            tests[test.patientId, default: []].append(test)
        }
        let order = patientIds ?? listed
        return order.compactMap { id in
            byPatient[id].map { certificate in
                Stored(
                    certificate: certificate,
                    tests: (tests[id] ?? []).filter { $0.sampledAt <= certificate.releasedAt })
            }
        }
    }

    /// Revokes the patient's certificate; nil when there is none, else whether it stood before
    /// (a certificate revoked already keeps its first revocation).
    public func revoke(siteId: Site.ID, patientId: Patient.ID, by: String, reason: String) async throws -> Bool? {
        let rows = try await connection.query(
            """
            WITH target AS (
                SELECT id, revoked_at FROM release_certificates
                WHERE site_id = \(siteId) AND patient_id = \(patientId) FOR UPDATE),
            revoked AS (
                UPDATE release_certificates c SET revoked_at = now(), revoked_by = \(by), revoked_reason = \(reason)
                FROM target WHERE c.site_id = \(siteId) AND c.id = target.id AND target.revoked_at IS NULL
                RETURNING c.id)
            SELECT EXISTS (SELECT 1 FROM revoked) FROM target
            """, logger: logger)
        for try await revoked in rows.decode(Bool.self) { return revoked }
        return nil
    }

    /// The site's signing key, made the first time it is asked for. Two statements, so that
    /// the second sees a key another transaction made meanwhile.
    public func signingKey(siteId: Site.ID) async throws -> String {
        try await connection.query(
            "INSERT INTO release_certificate_keys (site_id) VALUES (\(siteId)) ON CONFLICT (site_id) DO NOTHING",
            logger: logger)
        return try await existingSigningKey(siteId: siteId) ?? ""
    }

    /// The key of a site, or nil when it has signed no certificate (so no code of it is genuine).
    public func existingSigningKey(siteId: Site.ID) async throws -> String? {
        let rows = try await connection.query(
            "SELECT signing_key FROM release_certificate_keys WHERE site_id = \(siteId)", logger: logger)
        for try await key in rows.decode(String.self) { return key }
        return nil
    }
}
