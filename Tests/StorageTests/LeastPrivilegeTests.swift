import Foundation
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite("The application role")
struct LeastPrivilegeTests {
    /// Runs `sql` as the application role and returns the SQLSTATE it failed with, or nil.
    func refusal(_ sql: String, _ db: TestDatabase) async -> String? {
        do {
            try await db.client.query(PostgresQuery(unsafeSQL: sql))
            return nil
        } catch let error as PSQLError {
            return error.serverInfo?[.sqlState] ?? "\(error.code)"
        } catch {
            return "\(error)"
        }
    }

    @Test(
        "reads and writes rows, but cannot change the schema, truncate, disable a trigger, or rewrite the audit trail, security log or ledger"
    )
    func cannotUndoProtection() async throws {
        try await TestDatabase.withMigrated { db in
            _ = try await DemoFixture.make(db.services())
            let refused = [
                "DROP TABLE audit_log", "TRUNCATE audit_log", "ALTER TABLE audit_log DISABLE TRIGGER ALL",
                "DROP TRIGGER audit_log_append_only ON audit_log", "UPDATE audit_log SET action = 'nothing'",
                "DELETE FROM audit_log",
                "DELETE FROM stock_ledger", "UPDATE security_events SET detail = ''", "TRUNCATE patients",
                "CREATE TABLE mine (id int)",
                "ALTER TABLE patients ADD COLUMN note text", "DELETE FROM schema_migrations",
                "CREATE ROLE intruder SUPERUSER",
                "ALTER TABLE stock_ledger OWNER TO cordon_test_app",
            ]
            for sql in refused {
                let state = await refusal(sql, db)
                #expect(state == "42501", "\(sql): \(state ?? "accepted")")
            }
            #expect(
                await refusal(
                    "INSERT INTO security_events (kind, status, method, path) VALUES ('forbidden', 403, 'GET', '/x')",
                    db) == nil)
            #expect(await refusal("UPDATE sites SET name = name", db) == nil)
            #expect(try await db.count("SELECT count(*)::int FROM audit_log") > 0)
        }
    }
}
