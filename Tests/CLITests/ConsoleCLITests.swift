import Foundation
import TestSupport
import Testing

@Suite("CLI: console passwords")
struct ConsoleCLITests {
    @Test(
        "cordon user password reads stdin, refuses a short one, stores only a bcrypt hash; reset-link prints a one-time link"
    )
    func password() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            _ = try await cli.ok("user", "create", "nurse-wu", "--name", "吴护士")
            let short = try await cli.run(["user", "password", "nurse-wu"], stdin: "short\n")
            #expect(short.status != 0 && short.err.contains("password"))
            #expect(try await db.count("SELECT count(*)::int FROM users WHERE password_hash IS NOT NULL") == 0)
            let set = try await cli.run(["user", "password", "nurse-wu"], stdin: "a quiet night shift\n")
            #expect(set.status == 0, "\(set.err)")
            #expect(!set.out.contains("quiet") && !set.err.contains("quiet"), "the password is never echoed")
            #expect(try await db.count("SELECT count(*)::int FROM users WHERE password_hash LIKE '$2b$12$%'") == 1)
            #expect(try await db.count("SELECT count(*)::int FROM audit_log WHERE action = 'set_password'") == 1)
            #expect(try await cli.run(["user", "password", "nobody"], stdin: "a quiet night shift\n").status != 0)

            let link = try await cli.ok("user", "reset-link", "nurse-wu").trimmingCharacters(
                in: .whitespacesAndNewlines)
            #expect(link.hasPrefix("http://") && link.contains("/console/reset?link=cdr_"), "\(link)")
            let secret = String(link.split(separator: "=").last ?? "")
            #expect(try await db.count("SELECT count(*)::int FROM password_resets WHERE token_hash = '\(secret)'") == 0)
        }
    }
}
