import Domain
import Logging
import PostgresNIO

/// What the application role may do, granted by `cordon migrate` after the migrations: read and
/// write rows, never change the schema, truncate, or disable a trigger (only a table's owner
/// may), and only append to the audit trail, the security log, the ledger and referral
/// timelines. Granted afresh on every run, so tables added by later migrations are covered.
public enum RowAccess {
    /// Tables the application may only read and append to.
    static let appendOnly = ["audit_log", "security_events", "stock_ledger", "referral_events"]

    /// What `grant` did.
    public enum Outcome: Sendable, Equatable {
        case granted(role: String)
        /// The role does not exist on this server; nothing was granted.
        case noSuchRole(String)
        /// The role is the one migrating (or a superuser): it owns everything already.
        case roleOwnsSchema(String)
    }

    /// Grants `role` row access to every table of the schema, on `connection` (as the owner).
    public static func grant(to role: String, on connection: PostgresConnection, logger: Logger) async throws -> Outcome
    {
        guard role.range(of: #"^[a-z_][a-z0-9_]{0,62}$"#, options: .regularExpression) != nil else {
            throw ConfigurationError("DATABASE_APP_ROLE must be a PostgreSQL role name, got \(role)")
        }
        var found: (isSelf: Bool, isSuper: Bool)?
        for try await row in try await connection.query(
            "SELECT rolname = current_user, rolsuper FROM pg_roles WHERE rolname = \(role)", logger: logger
        ).decode((Bool, Bool).self) {
            found = (row.0, row.1)
        }
        guard let found else { return .noSuchRole(role) }
        if found.isSelf || found.isSuper { return .roleOwnsSchema(role) }
        let quoted = "\"\(role)\""
        let statements = [
            "GRANT USAGE ON SCHEMA public TO \(quoted)",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(quoted)",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO \(quoted)",
            "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON \(appendOnly.joined(separator: ", ")) FROM \(quoted)",
            "REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON schema_migrations FROM \(quoted)",
        ]
        try await connection.query("BEGIN", logger: logger)
        do {
            for statement in statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
        return .granted(role: role)
    }

    /// Why the role a server connects as is more powerful than it should be, or nil: a
    /// superuser, or the owner of the schema's tables, can drop the audit trail's triggers.
    public static func excessPower(on connection: PostgresConnection, logger: Logger) async throws -> String? {
        for try await (user, isSuper, owns) in try await connection.query(
            """
            SELECT current_user::text, rolsuper,
                   EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user)
            FROM pg_roles WHERE rolname = current_user
            """, logger: logger
        ).decode((String, Bool, Bool).self) {
            if isSuper { return "\(user) is a superuser" }
            if owns { return "\(user) owns the schema's tables" }
        }
        return nil
    }
}
