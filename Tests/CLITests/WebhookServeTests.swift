import Foundation
import PostgresNIO
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A background process the test owns: `cordon serve` or the loopback receiver.
final class Background: @unchecked Sendable {
    let process = Process()

    init(_ executable: URL, _ arguments: [String], env extra: [String: String] = [:], output: URL) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// Stops it as a crash does: SIGKILL, no chance to finish anything.
    func kill() {
        guard process.isRunning else { return }
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { kill() }
}

extension ServedProcesses {
    @Suite("CLI: cordon serve delivers webhooks")
    struct WebhookServeTests {
        @Test(
            "cordon serve delivers signed events; killed mid-delivery and restarted, it loses none and resends the interrupted one under its id"
        )
        func killAndRestart() async throws {
            try await TestDatabase.withMigrated { db in
                let cli = CordonCLI(databaseURL: db.url)
                #expect(try await cli.run("seed").status == 0)  // its referrals to PJ1 wait in the outbox
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "cordon-webhook-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: dir) }
                let log = dir.appendingPathComponent("received.log")
                let secretFile = dir.appendingPathComponent("secret")
                let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                    "../../Deploy/bench/webhook_receiver.py"
                ).standardized
                // The tests' venv python (Deploy/test.sh sets it) starts faster than a pyenv shim.
                let python = ProcessInfo.processInfo.environment["CORDON_TEST_PYTHON"] ?? "/usr/bin/python3"
                let receiverOutput = dir.appendingPathComponent("receiver.out")
                let receiver = try Background(
                    URL(fileURLWithPath: python),
                    [script.path, "--log", log.path, "--secret-file", secretFile.path, "--hang-first", "60"],
                    output: receiverOutput)
                defer { receiver.kill() }
                let port = try await poll("the receiver listens", within: 60) { () -> Int? in
                    guard let text = try? String(contentsOf: receiverOutput, encoding: .utf8),
                        text.hasPrefix("listening on ")
                    else { return nil }
                    return Int(text.dropFirst("listening on ".count).trimmingCharacters(in: .whitespacesAndNewlines))
                }
                let set = try await cli.ok("hospital", "webhook", "PJ1", "http://127.0.0.1:\(port)/cordon-webhooks")
                let secret = try #require(set.split(separator: " ").last).trimmingCharacters(
                    in: .whitespacesAndNewlines)
                try secret.write(to: secretFile, atomically: true, encoding: .utf8)
                let total = try await db.count("SELECT count(*)::int FROM webhook_events")
                #expect(total > 5)

                // The first server's timeout (8 s) outlasts the test's reaction on a loaded machine, and
                // sets the lease its claim holds (2 x 8 s + 5 s); the second's is long, so a slow answer
                // is not retried.
                var env = [
                    "DATABASE_URL": db.url, "PORT": String(18_300 + Int.random(in: 0..<500)), "LOG_LEVEL": "warning",
                    "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true",
                    "WEBHOOK_TIMEOUT_SECONDS": "8", "WEBHOOK_RETRY_BASE_SECONDS": "0.2",
                ]
                let first = try Background(
                    CordonCLI.executable, ["serve"], env: env, output: dir.appendingPathComponent("serve-1.out"))
                let interrupted = try await poll("the first delivery reaches the receiver") {
                    (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").first.map {
                        String($0.split(separator: " ")[0])
                    }
                }
                first.kill()
                #expect(
                    try await db.count(
                        "SELECT count(*)::int FROM webhook_events WHERE id = '\(interrupted)' AND status = 'pending'")
                        == 1)
                let deliveredBeforeKill = try await ids(
                    "SELECT id::text FROM webhook_events WHERE status = 'delivered'", db)

                env["WEBHOOK_TIMEOUT_SECONDS"] = "60"
                let second = try Background(
                    CordonCLI.executable, ["serve"], env: env, output: dir.appendingPathComponent("serve-2.out"))
                defer { second.kill() }
                _ = try await poll("every event is delivered", within: 60) {
                    try await db.count("SELECT count(*)::int FROM webhook_events WHERE status = 'delivered'") == total
                        ? true : nil
                }
                let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map {
                    $0.split(separator: " ").map(String.init)
                }
                #expect(
                    lines.allSatisfy { $0[3] == "1" }, "every delivery verifies with the hospital's secret: \(lines)")
                #expect(
                    Set(lines.map { $0[0] }) == Set(try await ids("SELECT id::text FROM webhook_events", db)),
                    "every event arrived")
                #expect(
                    lines.filter { $0[0] == interrupted }.count == 2,
                    "the interrupted one came again, under the same id")
                // Whatever else was in flight when the server died may come twice; nothing it had
                // recorded as delivered does.
                let sentTwice = Set(
                    Dictionary(grouping: lines.map { $0[0] }, by: { $0 }).filter { $0.value.count > 1 }.keys)
                #expect(sentTwice.isDisjoint(with: deliveredBeforeKill), "\(sentTwice)")
            }
        }
    }
}

/// The first column of every row of `sql`, as text.
func ids(_ sql: String, _ db: TestDatabase) async throws -> Set<String> {
    var out: Set<String> = []
    for try await id in try await db.client.query(PostgresQuery(unsafeSQL: sql)).decode(String.self) { out.insert(id) }
    return out
}
