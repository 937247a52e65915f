import Domain
import Foundation
import Logging
import PostgresNIO

/// Laboratories and the boxes of tubes sent to them, in SQL.
public struct LaboratoryRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Registers a laboratory; a code taken whatever its case is a 23505 on `laboratories_code_key`.
    public func insert(_ draft: LaboratoryDraft) async throws -> Laboratory {
        let rows = try await connection.query(
            "INSERT INTO laboratories (code, name) VALUES (\(draft.code), \(draft.name)) RETURNING id, code, name",
            logger: logger)
        for try await (id, code, name) in rows.decode((Laboratory.ID, String, String).self) {
            return Laboratory(id: id, code: code, name: name)
        }
        throw PostgresSingleRowMissing(query: "INSERT laboratories")
    }

    /// Every laboratory, by code.
    public func all() async throws -> [Laboratory] {
        var out: [Laboratory] = []
        let rows = try await connection.query(
            "SELECT id, code, name FROM laboratories ORDER BY lower(code)", logger: logger)
        for try await (id, code, name) in rows.decode((Laboratory.ID, String, String).self) {
            out.append(Laboratory(id: id, code: code, name: name))
        }
        return out
    }

    public func laboratory(_ id: Laboratory.ID) async throws -> Laboratory? {
        try await all().first { $0.id == id }
    }

    /// The laboratory with this code, whatever its case.
    public func laboratory(code: String) async throws -> Laboratory? {
        try await all().first { $0.code.lowercased() == code.lowercased() }
    }

    /// Makes `userId` the laboratory's integration user.
    public func link(userId: Int64, laboratoryId: Laboratory.ID) async throws {
        try await connection.query(
            "INSERT INTO laboratory_users (user_id, laboratory_id) VALUES (\(userId), \(laboratoryId))", logger: logger)
    }

    /// The laboratory with this code (whatever its case) and its integration user, in one read.
    public func link(code: String) async throws -> (laboratory: Laboratory, userId: Int64, username: String)? {
        let rows = try await connection.query(
            """
            SELECT l.id, l.code, l.name, u.id, u.username
            FROM laboratories l JOIN laboratory_users lu ON lu.laboratory_id = l.id JOIN users u ON u.id = lu.user_id
            WHERE lower(l.code) = lower(\(code))
            """, logger: logger)
        for try await r in rows.decode((Laboratory.ID, String, String, Int64, String).self) {
            return (Laboratory(id: r.0, code: r.1, name: r.2), r.3, r.4)
        }
        return nil
    }

    /// The integration user of a laboratory: id and username.
    public func integrationUser(laboratoryId: Laboratory.ID) async throws -> (id: Int64, username: String)? {
        for try await row in try await connection.query(
            """
            SELECT u.id, u.username FROM laboratory_users l JOIN users u ON u.id = l.user_id
            WHERE l.laboratory_id = \(laboratoryId)
            """, logger: logger
        ).decode((Int64, String).self) { return (row.0, row.1) }
        return nil
    }

    /// Opens a box to `laboratoryId`, sent now by `userId`.
    public func insertBox(siteId: Site.ID, laboratoryId: Laboratory.ID, by userId: Int64?) async throws
        -> SpecimenBox.ID
    {
        try await connection.single(
            """
            INSERT INTO specimen_boxes (site_id, laboratory_id, sent_by) VALUES (\(siteId), \(laboratoryId), \(userId))
            RETURNING id
            """, as: SpecimenBox.ID.self, logger: logger)
    }

    /// Puts collected tubes in the box, marking them sent; returns how many it took. A tube
    /// another box took meanwhile is not taken twice (the status test), so the caller compares
    /// the count with what it asked for.
    public func pack(siteId: Site.ID, boxId: SpecimenBox.ID, _ accessions: [AccessionNumber]) async throws -> Int {
        try await connection.single(
            """
            WITH packed AS (
                UPDATE specimens SET status = 'sent', box_id = \(boxId), updated_at = now()
                WHERE site_id = \(siteId) AND accession = ANY(\(accessions.map(\.sequence))::bigint[])
                  AND status = 'collected'
                RETURNING 1)
            SELECT count(*)::int FROM packed
            """, as: Int.self, logger: logger)
    }

    /// The state of each of these tubes of the site (those that are not the site's are absent).
    public func statuses(siteId: Site.ID, _ accessions: [AccessionNumber]) async throws
        -> [AccessionNumber: SpecimenStatus]
    {
        var out: [AccessionNumber: SpecimenStatus] = [:]
        let rows = try await connection.query(
            """
            SELECT accession, status FROM specimens
            WHERE site_id = \(siteId) AND accession = ANY(\(accessions.map(\.sequence))::bigint[])
            """, logger: logger)
        for try await (sequence, status) in rows.decode((Int64, SpecimenStatus).self) {
            if let accession = AccessionNumber(sequence: sequence) { out[accession] = status }
        }
        return out
    }

    /// The site's collected tubes not yet sent, oldest first, at most `limit`.
    public func collectedUnsent(siteId: Site.ID, limit: Int) async throws -> [AccessionNumber] {
        var out: [AccessionNumber] = []
        let rows = try await connection.query(
            """
            SELECT accession FROM specimens WHERE site_id = \(siteId) AND status = 'collected'
            ORDER BY collected_at, accession LIMIT \(limit)
            """, logger: logger)
        for try await sequence in rows.decode(Int64.self) {
            if let accession = AccessionNumber(sequence: sequence) { out.append(accession) }
        }
        return out
    }

    static let boxColumns = """
        x.id, x.site_id, l.id, l.code, l.name, x.sent_at,
        (SELECT count(*)::int FROM specimens s WHERE s.site_id = x.site_id AND s.box_id = x.id)
        """

    /// One box of the site, with its tube count.
    public func box(siteId: Site.ID, id: SpecimenBox.ID) async throws -> SpecimenBox? {
        try await boxes(
            connection.query(
                """
                SELECT \(unescaped: Self.boxColumns) FROM specimen_boxes x JOIN laboratories l ON l.id = x.laboratory_id
                WHERE x.site_id = \(siteId) AND x.id = \(id)
                """, logger: logger)
        ).first
    }

    /// The site's boxes, latest first.
    public func boxes(siteId: Site.ID, limit: Int) async throws -> [SpecimenBox] {
        try await boxes(
            connection.query(
                """
                SELECT \(unescaped: Self.boxColumns) FROM specimen_boxes x JOIN laboratories l ON l.id = x.laboratory_id
                WHERE x.site_id = \(siteId) ORDER BY x.sent_at DESC, x.id DESC LIMIT \(limit)
                """, logger: logger))
    }

    private func boxes(_ rows: PostgresRowSequence) async throws -> [SpecimenBox] {
        var out: [SpecimenBox] = []
        for try await r in rows.decode((SpecimenBox.ID, Site.ID, Laboratory.ID, String, String, Date, Int).self) {
            out.append(
                SpecimenBox(
                    id: r.0, siteId: r.1, laboratory: Laboratory(id: r.2, code: r.3, name: r.4), sentAt: r.5,
                    tubes: r.6))
        }
        return out
    }
}
