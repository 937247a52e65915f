import Domain
import Foundation
import Logging
import PostgresNIO

/// A user account as stored.
public struct UserRecord: Sendable, Codable, Equatable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var grants: [Grant]
    /// The hospital a hospital-system user acts for.
    public var hospitalId: Hospital.ID?
    /// The laboratory a laboratory-system user acts for.
    public var laboratoryId: Laboratory.ID?

    public init(
        id: Int64, username: String, displayName: String, grants: [Grant], hospitalId: Hospital.ID? = nil,
        laboratoryId: Laboratory.ID? = nil
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.grants = grants
        self.hospitalId = hospitalId
        self.laboratoryId = laboratoryId
    }
}

/// Users, grants and hashed bearer tokens in SQL.
public struct AccessRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Creates a user and returns its id.
    public func insertUser(username: String, displayName: String) async throws -> Int64 {
        for try await id in try await connection.query(
            "INSERT INTO users (username, display_name) VALUES (\(username), \(displayName)) RETURNING id",
            logger: logger
        ).decode(Int64.self) { return id }
        throw PostgresSingleRowMissing(query: "INSERT INTO users")
    }

    /// A user with their grants, by username.
    public func user(username: String) async throws -> UserRecord? {
        var record: UserRecord?
        for try await (id, name, display, role, siteId, districtId) in try await connection.query(
            """
            SELECT u.id, u.username, u.display_name, g.role, g.site_id, g.district_id
            FROM users u LEFT JOIN grants g ON g.user_id = u.id
            WHERE u.username = \(username) ORDER BY g.site_id NULLS FIRST, g.district_id, g.role
            """, logger: logger
        ).decode((Int64, String, String, String?, Site.ID?, District.ID?).self) {
            if record == nil { record = UserRecord(id: id, username: name, displayName: display, grants: []) }
            if let role = role.flatMap(Role.init) {
                record!.grants.append(Grant(role: role, siteId: siteId, districtId: districtId))
            }
        }
        return record
    }

    /// Every user with their grants, by username.
    public func users() async throws -> [UserRecord] {
        var out: [UserRecord] = []
        for try await (id, name, display, role, siteId, districtId) in try await connection.query(
            """
            SELECT u.id, u.username, u.display_name, g.role, g.site_id, g.district_id
            FROM users u LEFT JOIN grants g ON g.user_id = u.id
            ORDER BY u.username, g.site_id NULLS FIRST, g.district_id, g.role
            """, logger: logger
        ).decode((Int64, String, String, String?, Site.ID?, District.ID?).self) {
            if out.last?.id != id { out.append(UserRecord(id: id, username: name, displayName: display, grants: [])) }
            if let role = role.flatMap(Role.init) {
                out[out.count - 1].grants.append(Grant(role: role, siteId: siteId, districtId: districtId))
            }
        }
        return out
    }

    /// Adds a grant.
    public func insertGrant(userId: Int64, _ grant: Grant) async throws {
        try await connection.query(
            """
            INSERT INTO grants (user_id, role, site_id, district_id)
            VALUES (\(userId), \(grant.role.rawValue), \(grant.siteId), \(grant.districtId))
            """,
            logger: logger)
    }

    /// Removes a grant; returns whether it existed.
    public func deleteGrant(userId: Int64, _ grant: Grant) async throws -> Bool {
        let rows = try await connection.query(
            """
            DELETE FROM grants WHERE user_id = \(userId) AND role = \(grant.role.rawValue)
              AND site_id IS NOT DISTINCT FROM \(grant.siteId)
              AND district_id IS NOT DISTINCT FROM \(grant.districtId) RETURNING 1
            """, logger: logger)
        for try await _ in rows.decode(Int.self) { return true }
        return false
    }

    /// Stores a token's hash and returns the token's id.
    public func insertToken(userId: Int64, hash: String, label: String, expiresAt: Date?) async throws -> Int64 {
        for try await id in try await connection.query(
            """
            INSERT INTO api_tokens (user_id, token_hash, label, expires_at)
            VALUES (\(userId), \(hash), \(label), \(expiresAt)) RETURNING id
            """, logger: logger
        ).decode(Int64.self) { return id }
        throw PostgresSingleRowMissing(query: "INSERT INTO api_tokens")
    }

    /// Brings the end of every live token of `userId` forward to `by` (a rotation keeps the old
    /// token working until then); returns how many were shortened.
    public func shortenLiveTokens(userId: Int64, by end: Date, except keep: Int64) async throws -> Int {
        try await connection.single(
            """
            WITH cut AS (
                UPDATE api_tokens SET expires_at = \(end) WHERE user_id = \(userId) AND id <> \(keep) AND revoked_at IS
                    NULL
                  AND (expires_at IS NULL OR expires_at > \(end)) RETURNING 1)
            SELECT count(*)::int FROM cut
            """, as: Int.self, logger: logger)
    }

    /// Revokes a token by id; returns the owner's username when it was live.
    public func revokeToken(id: Int64) async throws -> String? {
        for try await name in try await connection.query(
            """
            UPDATE api_tokens t SET revoked_at = now() FROM users u
            WHERE t.id = \(id) AND t.revoked_at IS NULL AND u.id = t.user_id RETURNING u.username
            """, logger: logger
        ).decode(String.self) { return name }
        return nil
    }

    /// The live user behind a token hash (not revoked, not expired), with when the token ends.
    public func user(tokenHash: String) async throws -> (user: UserRecord, tokenExpiresAt: Date?)? {
        var rows: [UserRecord.Row] = []
        var expiresAt: Date?
        for try await row in try await connection.execute(TokenUserStatement(tokenHash: tokenHash), logger: logger) {
            rows.append((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7))
            expiresAt = row.8
        }
        return UserRecord.collect(rows).map { ($0, expiresAt) }
    }

    /// Removes tokens that expired or were revoked more than `grace` ago: they sign nobody in,
    /// and the audit trail names users, not tokens.
    public func pruneEndedTokens(olderThan grace: TimeInterval) async throws -> Int {
        try await connection.single(
            """
            WITH gone AS (
                DELETE FROM api_tokens
                WHERE least(expires_at, revoked_at) < now() - make_interval(secs => \(grace)) RETURNING 1)
            SELECT count(*)::int FROM gone
            """, as: Int.self, logger: logger)
    }
}

extension UserRecord {
    /// A row of a user with one grant: id, username, display name, role, site, district, hospital,
    /// laboratory.
    typealias Row = (Int64, String, String, String?, Site.ID?, District.ID?, Hospital.ID?, Laboratory.ID?)

    /// The user of rows that each carry the user and one grant (none when the user has none).
    static func collect(_ rows: [Row]) -> UserRecord? {
        var record: UserRecord?
        for (id, name, display, role, siteId, districtId, hospitalId, laboratoryId) in rows {
            if record == nil {
                record = UserRecord(
                    id: id, username: name, displayName: display, grants: [], hospitalId: hospitalId,
                    laboratoryId: laboratoryId)
            }
            if let role = role.flatMap(Role.init) {
                record!.grants.append(Grant(role: role, siteId: siteId, districtId: districtId))
            }
        }
        return record
    }
}

// MARK: Prepared statements

/// The live user behind a token hash, one row per grant.
struct TokenUserStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT u.id, u.username, u.display_name, g.role, g.site_id, g.district_id, h.hospital_id, l.laboratory_id,
               t.expires_at
        FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN signed_in_grants g ON g.user_id = u.id
        LEFT JOIN hospital_users h ON h.user_id = u.id LEFT JOIN laboratory_users l ON l.user_id = u.id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
        """
    typealias Row = (Int64, String, String, String?, Site.ID?, District.ID?, Hospital.ID?, Laboratory.ID?, Date?)
    var tokenHash: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(tokenHash)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
