import Domain
import Foundation
import Logging
import PostgresNIO

/// Hospitals, their departments and the hospital systems' users in SQL.
public struct HospitalRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Inserts a hospital with its departments; returns its id.
    public func insert(_ d: HospitalDraft, webhookSecret: String?) async throws -> Hospital.ID {
        let id = try await connection.single(
            """
            INSERT INTO hospitals (code, name, contact_name, contact_phone, webhook_url, webhook_secret)
            VALUES (\(d.code), \(d.name), \(d.contactName), \(d.contactPhone), \(d.webhookUrl), \(webhookSecret))
                RETURNING id
            """, as: Hospital.ID.self, logger: logger)
        for department in d.departments {
            try await connection.query(
                """
                INSERT INTO hospital_departments (hospital_id, code, name, services)
                VALUES (\(id), \(department.code), \(department.name), \(department.services.map(\.rawValue)))
                """, logger: logger)
        }
        return id
    }

    /// Every hospital with its departments, by code.
    public func hospitals() async throws -> [Hospital] {
        var out: [Hospital] = []
        for try await r in try await connection.query(
            """
            SELECT id, code, name, contact_name, contact_phone, webhook_url, version FROM hospitals ORDER BY code
            """, logger: logger
        ).decode((Hospital.ID, String, String, String, String, String?, Int).self) {
            out.append(
                Hospital(
                    id: r.0, code: r.1, name: r.2, contactName: r.3, contactPhone: r.4, webhookUrl: r.5,
                    departments: [], version: r.6))
        }
        var departments: [Hospital.ID: [Hospital.Department]] = [:]
        for try await r in try await connection.query(
            """
            SELECT hospital_id, id, code, name, services FROM hospital_departments ORDER BY hospital_id, code
            """, logger: logger
        ).decode((Hospital.ID, Hospital.Department.ID, String, String, [String]).self) {
            departments[r.0, default: []].append(
                Hospital.Department(
                    id: r.1, code: r.2, name: r.3, services: try r.4.map { try ReferralServiceKind.stored($0) }))
        }
        return out.map {
            var h = $0
            h.departments = departments[h.id] ?? []
            return h
        }
    }

    /// Replaces the webhook endpoint and its secret; bumps the version.
    public func setWebhook(hospitalId: Hospital.ID, url: String?, secret: String?) async throws {
        try await connection.query(
            """
            UPDATE hospitals SET webhook_url = \(url), webhook_secret = \(secret), version = version + 1 WHERE id =
                \(hospitalId)
            """, logger: logger)
    }

    /// Makes `userId` the integration user of `hospitalId`; a user already acting for a
    /// hospital, or a hospital that has one, is refused by the keys, never re-linked.
    public func link(userId: Int64, hospitalId: Hospital.ID) async throws {
        try await connection.query(
            "INSERT INTO hospital_users (user_id, hospital_id) VALUES (\(userId), \(hospitalId))", logger: logger)
    }

    /// The integration user of a hospital: id and username.
    public func integrationUser(hospitalId: Hospital.ID) async throws -> (id: Int64, username: String)? {
        for try await row in try await connection.query(
            """
            SELECT u.id, u.username FROM hospital_users h JOIN users u ON u.id = h.user_id WHERE h.hospital_id =
                \(hospitalId)
            """, logger: logger
        ).decode((Int64, String).self) { return (row.0, row.1) }
        return nil
    }
}
