import Foundation
import TestSupport
import Testing

extension ServedProcesses {
    @Suite("CLI: cordon serve stops without dropping a request that reached it")
    struct ShutdownTests {
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Deploy/tools/requests_before_sigterm.py"
        ).standardized

        /// What the script saw: answers, resets, anything else (a status or an error's name),
        /// and readiness's status just after the signal.
        struct Outcome: Decodable {
            var answered: Int
            var reset: Int
            var other: [String]
            var ready: Int?
        }

        @Test(
            "30 requests sent on fresh connections 30 ms before SIGTERM are all answered, 20 times; readiness says 503 at once; exit 0"
        )
        func requestsBeforeSigtermAreAnswered() async throws {
            try await TestDatabase.withMigrated { db in
                for round in 1...20 {
                    let server = try await ServedCordon(databaseURL: db.url)
                    let run = try await PythonTool.run(
                        script: Self.script,
                        arguments: [String(server.port), String(server.background.process.processIdentifier), "30"])
                    let outcome = try JSONDecoder().decode(Outcome.self, from: Data(run.out.utf8))
                    #expect(
                        outcome.answered == 30,
                        "round \(round): \(outcome.answered) answered, \(outcome.reset) reset, \(outcome.other)\n\(run.err)"
                    )
                    #expect(outcome.ready == 503, "round \(round): readiness after SIGTERM")
                    let status = await server.exitStatus(within: 20)
                    #expect(
                        status == 0,
                        "round \(round): exit \(status.map(String.init) ?? "none")\n\(server.log.suffix(800))")
                    if outcome.answered != 30 || status != 0 { break }
                }
            }
        }
    }
}
