import Domain
import Foundation
import Logging
import PostgresNIO

/// Passwords, browser sessions and one-time reset links of the web console, in SQL. Sessions
/// and links are found by the SHA-256 of their secret; the secret itself is never stored.
public struct ConsoleSessionRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// A user's id and bcrypt hash (nil when no password was ever set), by username.
    public func credentials(username: String) async throws -> (userId: Int64, passwordHash: String?)? {
        for try await row in try await connection.query(
            "SELECT id, password_hash FROM users WHERE username = \(username)", logger: logger
        ).decode((Int64, String?).self) { return row }
        return nil
    }

    /// Replaces a user's password hash.
    public func setPasswordHash(userId: Int64, _ hash: String) async throws {
        try await connection.query("UPDATE users SET password_hash = \(hash) WHERE id = \(userId)", logger: logger)
    }

    /// Opens a session that ends at `endsAt` at the latest.
    public func insertSession(secretHash: String, userId: Int64, endsAt: Date) async throws {
        try await connection.query(
            """
            INSERT INTO console_sessions (secret_hash, user_id, ends_at) VALUES (\(secretHash), \(userId), \(endsAt))
            """, logger: logger)
    }

    /// The user of a live session, with their grants, marking the session as seen now. A session
    /// idle for longer than `idle` seconds, or past its end, has no user.
    public func touch(secretHash: String, idle: TimeInterval) async throws -> UserRecord? {
        var rows: [UserRecord.Row] = []
        for try await row in try await connection.execute(
            SessionUserStatement(secretHash: secretHash, idleSeconds: idle), logger: logger)
        {
            rows.append(row)
        }
        return UserRecord.collect(rows)
    }

    /// Ends one session; returns whether it was open.
    public func endSession(secretHash: String) async throws -> Bool {
        try await connection.single(
            """
            WITH gone AS (DELETE FROM console_sessions WHERE secret_hash = \(secretHash) RETURNING 1)
            SELECT count(*)::int FROM gone
            """, as: Int.self, logger: logger) > 0
    }

    /// Ends every session of a user; returns how many were open.
    public func endSessions(userId: Int64) async throws -> Int {
        try await connection.single(
            """
            WITH gone AS (DELETE FROM console_sessions WHERE user_id = \(userId) RETURNING 1)
            SELECT count(*)::int FROM gone
            """, as: Int.self, logger: logger)
    }

    /// Removes sessions past their end or idle for longer than `idle` seconds; returns how many.
    public func pruneSessions(idle: TimeInterval) async throws -> Int {
        try await connection.single(
            """
            WITH gone AS (
                DELETE FROM console_sessions
                WHERE ends_at <= now() OR last_seen_at <= now() - make_interval(secs => \(idle)) RETURNING 1)
            SELECT count(*)::int FROM gone
            """, as: Int.self, logger: logger)
    }

    /// Removes reset links that were used or expired more than a day ago.
    public func pruneResets() async throws -> Int {
        try await connection.single(
            """
            WITH gone AS (
                DELETE FROM password_resets WHERE least(expires_at, used_at) < now() - interval '1 day' RETURNING 1)
            SELECT count(*)::int FROM gone
            """, as: Int.self, logger: logger)
    }

    /// Stores a reset link's hash, valid until `expiresAt`; earlier unused links of the user end.
    public func insertReset(tokenHash: String, userId: Int64, expiresAt: Date) async throws {
        try await connection.query(
            "UPDATE password_resets SET used_at = now() WHERE user_id = \(userId) AND used_at IS NULL", logger: logger)
        try await connection.query(
            """
            INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (\(tokenHash), \(userId), \(expiresAt))
            """, logger: logger)
    }

    /// Uses up a live reset link and returns its user's id; nil when it is unknown, used or expired.
    public func useReset(tokenHash: String) async throws -> Int64? {
        for try await id in try await connection.query(
            """
            UPDATE password_resets SET used_at = now()
            WHERE token_hash = \(tokenHash) AND used_at IS NULL AND expires_at > now() RETURNING user_id
            """, logger: logger
        ).decode(Int64.self) { return id }
        return nil
    }

    /// Whether a reset link would be accepted now, without using it.
    public func resetIsLive(tokenHash: String) async throws -> Bool {
        try await connection.single(
            """
            SELECT count(*)::int FROM password_resets
            WHERE token_hash = \(tokenHash) AND used_at IS NULL AND expires_at > now()
            """, as: Int.self, logger: logger) > 0
    }
}

// MARK: Prepared statements

/// Marks a live session as seen and returns its user, one row per grant (every page view runs it).
struct SessionUserStatement: PostgresPreparedStatement {
    static let sql = """
        WITH s AS (
            UPDATE console_sessions SET last_seen_at = now()
            WHERE secret_hash = $1 AND ends_at > now() AND last_seen_at > now() - make_interval(secs => $2)
            RETURNING user_id)
        SELECT u.id, u.username, u.display_name, g.role, g.site_id, g.district_id, h.hospital_id, l.laboratory_id
        FROM s JOIN users u ON u.id = s.user_id LEFT JOIN signed_in_grants g ON g.user_id = u.id
        LEFT JOIN hospital_users h ON h.user_id = u.id LEFT JOIN laboratory_users l ON l.user_id = u.id
        """
    typealias Row = UserRecord.Row
    var secretHash: String
    var idleSeconds: Double

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(secretHash)
        bindings.append(idleSeconds)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
