import Foundation
import Services
import TestSupport
import Testing

/// Runs the built `cordon` executable against a test database, as an operator would.
struct CordonCLI {
    let databaseURL: String

    /// The `cordon` binary beside the test bundle (`swift build --build-tests` builds both).
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["CORDON_BIN"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "cordon")
    }

    struct Result {
        var status: Int32
        var out: String
        var err: String
    }

    func run(_ arguments: String..., env extra: [String: String] = [:]) async throws -> Result {
        try await run(arguments, env: extra)
    }

    /// Site JS-09 of 金山区 with a contaminated zone A, as most command-line journeys begin.
    func siteWithZoneA() async throws {
        _ = try await ok("site", "create", "--code", "JS-09", "--name", "演示点", "--district", "金山区", "--capacity", "40")
        _ = try await ok("zone", "add", "JS-09", "--code", "A", "--name", "A 区", "--kind", "contaminated")
    }

    /// Runs a command that must succeed, and returns what it printed.
    func ok(_ arguments: String...) async throws -> String {
        let result = try await run(arguments)
        #expect(result.status == 0, "cordon \(arguments.joined(separator: " ")) failed: \(result.err)")
        return result.out
    }

    /// A bearer token for `user`, issued by `cordon token issue`.
    func token(for user: String) async throws -> String {
        try await ok("token", "issue", "--user", user, "--quiet").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs the command and waits for it on a thread of its own: Swift concurrency's pool has a
    /// thread per core, and a test blocking one on a child process would hold up every other
    /// test's awaits and deadlines in the process.
    func run(_ arguments: [String], env extra: [String: String] = [:], stdin: String? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try runBlocking(arguments, env: extra, stdin: stdin) })
            }
        }
    }

    private func runBlocking(_ arguments: [String], env extra: [String: String], stdin: String?) throws -> Result {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = databaseURL
        environment["USER"] = "cli-tester"
        environment["WEBHOOK_ALLOW_PRIVATE_NETWORKS"] = "true"  // the tests' receivers listen on loopback
        // Hundreds of tests clone their databases at once at the start of a run; a command may wait
        // longer than the default 10 s for its first connection then. A test of timeouts sets its own.
        environment["DATABASE_TIMEOUT_SECONDS"] = "60"
        environment.removeValue(forKey: "SUDO_USER")
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.currentDirectoryURL =
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
            err: String(decoding: errData, as: UTF8.self))
    }
}

@Suite("CLI")
struct CLITests {
    @Test("the cordon executable is built next to the tests")
    func executableExists() {
        #expect(
            FileManager.default.isExecutableFile(atPath: CordonCLI.executable.path),
            "missing \(CordonCLI.executable.path)")
    }

    @Test("migrate --dry-run lists pending files; serve refuses while they are pending; migrate applies them once")
    func migrateAndServeGate() async throws {
        try await TestDatabase.withEmpty { db in
            let cli = CordonCLI(databaseURL: db.url)
            let dry = try await cli.run("migrate", "--dry-run")
            #expect(dry.status == 0)
            #expect(dry.out.contains("would apply 0001_foundation.sql"))
            let serve = try await cli.run("serve", env: ["PORT": "18099"])
            #expect(serve.status != 0)
            #expect(serve.err.contains("run `cordon migrate` to apply them"))
            let listing = try await cli.run("site", "list")
            #expect(listing.status != 0)
            #expect(listing.err.contains("pending"))
            let pending = dry.out.components(separatedBy: "would apply ").count - 1
            #expect(pending >= 2)
            #expect(try await cli.run("migrate").out.contains("\(pending) migration(s) applied"))
            #expect(try await cli.run("migrate").out.contains("up to date"))
        }
    }

    @Test("an unreachable database is named, with how to start one")
    func unreachableDatabase() async throws {
        let result = try await CordonCLI(databaseURL: "postgres://nobody:secret@127.0.0.1:1/nowhere").run(
            "site", "list")
        #expect(result.status != 0)
        #expect(
            result.err.contains("cannot reach PostgreSQL at 127.0.0.1:1 (postgres://nobody:***@127.0.0.1:1/nowhere)"),
            "\(result.err)")
        #expect(!result.err.contains("secret"))
    }

    @Test("sites, zones, beds, patients, tests, census, users, grants, tokens and audit from the command line")
    func adminJourney() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            #expect(
                try await cli.ok(
                    "site", "create", "--code", "JS-09", "--name", "演示点", "--district", "金山区", "--capacity", "40",
                    "--opened", "2022-04-03"
                ).contains("site JS-09 created"))
            _ = try await cli.ok("zone", "add", "JS-09", "--code", "A", "--name", "A 区", "--kind", "contaminated")
            #expect(
                try await cli.ok("bed", "add", "JS-09", "--zone", "A", "--prefix", "A-", "--from", "1", "--to", "12")
                    .contains("12 beds created: A-001 to A-012"))
            _ = try await cli.ok("bed", "add", "JS-09", "--zone", "A", "--code", "A-100")
            let beds =
                try JSONSerialization.jsonObject(with: Data(try await cli.ok("bed", "list", "JS-09", "--json").utf8))
                as! [[String: Any]]
            #expect(beds.count == 13)

            let nid = testNationalID(born: "19380517", sequence: 5)
            #expect(
                try await cli.ok(
                    "patient", "admit", "JS-09", "--bed", "A-001", "--name", "潘秀兰", "--sex", "female", "--born",
                    "1938-05-17",
                    "--national-id", nid, "--at", "2022-04-04T21:45"
                ).contains("admitted to bed A-001 with id 1"))
            _ = try await cli.ok(
                "test-result", "add", "JS-09", "1", "--sampled", "2022-04-10T07:00", "--result", "negative")
            #expect(
                try await cli.ok(
                    "test-result", "add", "JS-09", "1", "--sampled", "2022-04-11T08:00", "--result", "negative"
                )
                .contains("release: eligible"))
            let shown = try await cli.ok("patient", "show", "JS-09", "1")
            #expect(shown.contains("ID number:  \(nid)"))
            #expect(shown.contains("release:    eligible"))
            _ = try await cli.ok("patient", "move", "JS-09", "1", "--bed", "A-002")
            #expect(try await cli.ok("bed", "status", "JS-09", "A-001", "free").contains("bed A-001 is free"))
            let occupy = try await cli.run("bed", "status", "JS-09", "A-002", "free")
            #expect(occupy.status != 0)
            #expect(occupy.err.contains("cannot go from occupied to free"))
            let census = try await cli.ok("census", "JS-09", "--until", "2022-04-05", "--days", "2")
            #expect(census.contains("2022-04-04  1"))
            #expect(census.contains("Eligible for release (1)"))
            _ = try await cli.ok("patient", "discharge", "JS-09", "1", "--reason", "recovered")
            let admissionDay = try await cli.ok("report", "daily", "JS-09", "--date", "2022-04-04")
            #expect(admissionDay.contains("2022-04-04 Asia/Shanghai") && admissionDay.contains("admitted  "))
            let rows = try await cli.ok("report", "daily", "JS-09", "--date", "2022-04-04", "--csv").split(
                separator: "\n")
            #expect(rows.count == 2 && rows[1].hasPrefix("JS-09,金山区,2022-04-04,1,0,0,0,0,1,"), "\(rows)")
            let report =
                try JSONSerialization.jsonObject(
                    with: Data(try await cli.ok("report", "daily", "JS-09", "--date", "2022-04-04", "--json").utf8))
                as! [String: Any]
            #expect(report["admitted"] as? Int == 1 && report["dayIsOpen"] as? Bool == false)
            #expect(
                try await cli.run("report", "daily", "JS-09", "--csv", "--json").err.contains(
                    "choose one of --csv and --json"))
            let patients =
                try JSONSerialization.jsonObject(
                    with: Data(try await cli.ok("patient", "list", "JS-09", "--json").utf8))
                as! [[String: Any]]
            #expect(patients.first?["status"] as? String == "discharged")

            _ = try await cli.ok("user", "create", "dr-lin", "--name", "林医生")
            #expect(try await cli.ok("grant", "dr-lin", "clinician", "--site", "JS-09").contains("clinician at site 1"))
            let token = try await cli.token(for: "dr-lin")
            #expect(token.hasPrefix("cdn_"))
            let actor = try await db.services().access.authenticate(token: token, origin: .seed)
            #expect(actor.username == "dr-lin")
            _ = try await cli.ok("token", "revoke", "1")
            await #expect(throws: (any Error).self) {
                try await db.services().access.authenticate(token: token, origin: .seed)
            }

            let audit =
                try JSONSerialization.jsonObject(
                    with: Data(try await cli.ok("audit", "--entity", "patient", "--json").utf8))
                as! [[String: Any]]
            #expect(audit.map { $0["action"] as? String } == ["admit", "move", "discharge"])
            #expect(audit.allSatisfy { $0["cliOperator"] as? String == "cli-tester" })
            #expect(try await db.count("SELECT count(*)::int FROM api_tokens WHERE token_hash LIKE 'cdn_%'") == 0)
        }
    }

    @Test("errors go to stderr with a non-zero exit, and write nothing")
    func errors() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            #expect(
                try await cli.run(
                    "site", "create", "--code", "JS-09", "--name", "X", "--district", "D", "--capacity", "10"
                )
                .status == 0)
            let duplicate = try await cli.run(
                "site", "create", "--code", "JS-09", "--name", "X", "--district", "D", "--capacity", "10")
            #expect(duplicate.status != 0)
            #expect(duplicate.err.contains("a site with this code already exists"))
            let badKind = try await cli.run("zone", "add", "JS-09", "--code", "A", "--name", "A", "--kind", "dirty")
            #expect(badKind.status != 0)
            #expect(badKind.err.contains("--kind must be one of contaminated, buffer, clean"))
            let badId = try await cli.run(
                "patient", "admit", "JS-09", "--bed", "A-001", "--name", "X", "--sex", "male", "--born", "1975-03-12",
                "--national-id", "310116197503120000")
            #expect(badId.status != 0)
            #expect(badId.err.contains("not found: no bed A-001") || badId.err.contains("nationalId"))
            #expect(try await db.count("SELECT count(*)::int FROM patients") == 0)
            #expect(try await db.count("SELECT count(*)::int FROM zones") == 0)
        }
    }

    @Test("seed loads the demo site once and is idempotent")
    func seed() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            let first = try await cli.run("seed")
            #expect(first.status == 0, "\(first.err)")
            #expect(first.out.contains("demo site JS-01 loaded"))
            #expect(first.out.contains("demo site JS-02 loaded") && first.out.contains("1 bus(es) expected"))
            #expect(try await cli.run("seed").out.contains("already loaded"))
            let elsewhere = try await cli.run("seed", "--file", "/nonexistent/demo-site.json")
            #expect(elsewhere.status != 0)
            #expect(
                elsewhere.err.contains("cannot read the seed file /nonexistent/demo-site.json")
                    && elsewhere.err.contains("--file PATH"), "\(elsewhere.err)")
            #expect(try await db.count("SELECT count(*)::int FROM sites") == 3)
            #expect(try await db.count("SELECT count(DISTINCT district_id)::int FROM sites") == 1)
            // The bus of 40 is expected at JS-02, each person with a bed proposed or a reason.
            #expect(try await db.count("SELECT count(*)::int FROM intake_persons WHERE status = 'expected'") == 40)
            #expect(try await db.count("SELECT count(*)::int FROM intake_persons WHERE bed_id IS NOT NULL") >= 36)
            #expect(try await db.count("SELECT count(*)::int FROM beds WHERE single_sex IS NOT NULL") >= 80)
            let board = try await cli.run("district", "board", "金山区")
            #expect(board.status == 0 && board.out.contains("JS-03"), "\(board.err)")
            #expect(try await db.count("SELECT count(*)::int FROM beds") >= 300)
            #expect(try await db.count("SELECT count(*)::int FROM patients WHERE party_member") >= 4)
            #expect(try await db.count("SELECT count(*)::int FROM patients WHERE status = 'discharged'") >= 1)
            let census = try await cli.run("census", "JS-01", "--until", "2022-04-14", "--json")
            let eligible =
                (try JSONSerialization.jsonObject(with: Data(census.out.utf8)) as! [String: Any])[
                    "eligibleForDischarge"] as! [Any]
            #expect(eligible.count >= 2)
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM users u JOIN grants g ON g.user_id = u.id WHERE g.role = 'admin'") == 1)
        }
    }
}
