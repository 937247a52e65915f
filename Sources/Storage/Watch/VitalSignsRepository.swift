import Domain
import Foundation
import Logging
import PostgresNIO

/// Sets of vital signs and their NEWS2 scores.
public struct VitalSignsRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    static let columns = """
        id, patient_id, taken_at, recorded_at, taken_by, respiration_rate, spo2, spo2_scale, on_oxygen, systolic, pulse,
        consciousness, temperature::float8
        """

    /// Keeps a set with its score (when complete) as the Domain computes it.
    public func insert(
        siteId: Site.ID, patientId: Patient.ID, _ d: VitalSignsDraft, scale: SpO2Scale, takenBy: String
    ) async throws -> VitalSigns {
        let score = d.reading(scale: scale).map(NEWS2Score.init)
        let rows = try await connection.query(
            """
            INSERT INTO vital_signs (site_id, patient_id, taken_at, taken_by, respiration_rate, spo2, spo2_scale, on_oxygen,
                                     systolic, pulse, consciousness, temperature, score, red_score, response)
            VALUES (\(siteId), \(patientId), \(d.takenAt), \(takenBy), \(d.respirationRate), \(d.spo2), \(scale.rawValue),
                    \(d.onOxygen), \(d.systolic), \(d.pulse), \(d.consciousness?.rawValue), \(d.temperature)::numeric(3, 1),
                    \(score?.total), \(score?.hasRedScore), \(score?.response.rawValue))
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)
        for try await row in rows { return try Self.vitalSigns(row, siteId: siteId) }
        throw PostgresSingleRowMissing(query: "INSERT ... RETURNING")
    }

    /// A patient's sets, the latest taken first, at most `limit`.
    public func list(siteId: Site.ID, patientId: Patient.ID, limit: Int) async throws -> [VitalSigns] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM vital_signs
            WHERE site_id = \(siteId) AND patient_id = \(patientId)
            ORDER BY taken_at DESC, id DESC LIMIT \(limit)
            """, logger: logger)
        var out: [VitalSigns] = []
        for try await row in rows { out.append(try Self.vitalSigns(row, siteId: siteId)) }
        return out
    }

    /// The SpO2 scale a patient is scored on and whether they are still admitted; nil when there
    /// is no such patient at the site. With `lock`, the patient's row is held against a
    /// discharge until the transaction ends.
    public func patient(siteId: Site.ID, patientId: Patient.ID, lock: Bool = false) async throws
        -> (scale: SpO2Scale, admitted: Bool)?
    {
        let rows = try await connection.query(
            """
            SELECT spo2_scale::int, status = 'admitted' FROM patients WHERE site_id = \(siteId) AND id = \(patientId)
            \(unescaped: lock ? "FOR SHARE" : "")
            """, logger: logger)
        for try await r in rows.decode((Int, Bool).self) { return (SpO2Scale(rawValue: r.0) ?? .one, r.1) }
        return nil
    }

    /// Marks (or unmarks) a patient as having hypercapnic respiratory failure: scale 2 from now.
    public func setScale(siteId: Site.ID, patientId: Patient.ID, _ scale: SpO2Scale) async throws {
        try await connection.query(
            "UPDATE patients SET spo2_scale = \(scale.rawValue) WHERE site_id = \(siteId) AND id = \(patientId)",
            logger: logger)
    }

    private static func vitalSigns(_ row: PostgresRow, siteId: Site.ID) throws -> VitalSigns {
        let c = row.makeRandomAccess()
        let values = VitalSignsDraft(
            takenAt: try c[2].decode(Date.self), respirationRate: try c[5].decode(Int?.self),
            spo2: try c[6].decode(Int?.self), onOxygen: try c[8].decode(Bool?.self),
            systolic: try c[9].decode(Int?.self), pulse: try c[10].decode(Int?.self),
            consciousness: try c[11].decode(String?.self).map { try Consciousness.stored($0) },
            temperature: try c[12].decode(Double?.self))
        let scale = SpO2Scale(rawValue: try c[7].decode(Int.self)) ?? .one
        return VitalSigns(
            id: .init(try c[0].decode(Int64.self)), siteId: siteId, patientId: try c[1].decode(Patient.ID.self),
            values: values, scale: scale, takenBy: try c[4].decode(String.self), recordedAt: try c[3].decode(Date.self))
    }
}
