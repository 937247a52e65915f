import Domain
import Foundation
import Logging
import PostgresNIO

/// Residential committees of a district.
public struct CommitteeRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Adds a committee (a name taken in the district is a 23505 on
    /// `residential_committees_name_key`), and links the district's patients who named it and
    /// had no committee record yet.
    public func create(districtId: District.ID, _ d: ResidentialCommitteeDraft) async throws -> ResidentialCommittee {
        let rows = try await connection.query(
            """
            WITH made AS (
                INSERT INTO residential_committees (district_id, name, street, contact_name, contact_phone)
                VALUES (\(districtId), \(d.name), \(d.street), \(d.contactName), \(d.contactPhone))
                RETURNING id, district_id, name, street, contact_name, contact_phone, webhook_url),
            linked AS (
                UPDATE patients p SET committee_id = made.id FROM made, sites s
                WHERE s.district_id = made.district_id AND p.site_id = s.id AND p.committee = made.name
                  AND p.committee_id IS NULL)
            SELECT * FROM made
            """, logger: logger)
        for try await row in rows { return try Self.committee(row) }
        throw PostgresSingleRowMissing(query: "INSERT ... RETURNING")
    }

    /// The district's committees by street and name.
    public func list(districtId: District.ID) async throws -> [ResidentialCommittee] {
        let rows = try await connection.query(
            """
            SELECT id, district_id, name, street, contact_name, contact_phone, webhook_url FROM residential_committees
            WHERE district_id = \(districtId) ORDER BY street, name
            """, logger: logger)
        var out: [ResidentialCommittee] = []
        for try await row in rows { out.append(try Self.committee(row)) }
        return out
    }

    /// One committee, locked until the transaction ends (its webhook is about to change).
    public func lock(_ id: ResidentialCommittee.ID) async throws -> ResidentialCommittee? {
        let rows = try await connection.query(
            """
            SELECT id, district_id, name, street, contact_name, contact_phone, webhook_url FROM residential_committees
            WHERE id = \(id) FOR UPDATE
            """, logger: logger)
        for try await row in rows { return try Self.committee(row) }
        return nil
    }

    /// Sets (or, with nil, removes) where the committee's notices are posted and their key.
    public func setWebhook(_ id: ResidentialCommittee.ID, url: String?, secret: String?) async throws {
        try await connection.query(
            "UPDATE residential_committees SET webhook_url = \(url), webhook_secret = \(secret) WHERE id = \(id)",
            logger: logger)
    }

    private static func committee(_ row: PostgresRow) throws -> ResidentialCommittee {
        let r = try row.decode((Int64, District.ID, String, String, String?, String?, String?).self)
        return ResidentialCommittee(
            id: .init(r.0), districtId: r.1, name: r.2, street: r.3, contactName: r.4, contactPhone: r.5,
            webhookUrl: r.6)
    }
}
