import Foundation
import Testing

/// A program run to its end, with what it printed.
enum Shell {
    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs `path` with `arguments`, and `env` over the test's environment, waiting for it on a
    /// thread of its own: Swift concurrency's pool has a thread per core, and a test blocking
    /// one on a child (the browser flows take minutes) would hold up every other test's awaits.
    static func run(_ path: String, _ arguments: [String], env: [String: String] = [:]) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(path, arguments, env: env) })
            }
        }
    }

    private static func runBlocking(_ path: String, _ arguments: [String], env: [String: String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let out = Pipe()
        // Standard error goes to a file: a child filling one pipe while we drain the other would block.
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-child-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errFile)
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
            err: (try? String(contentsOf: errFile, encoding: .utf8)) ?? "")
    }
}

/// Runs Python from the tests' venv (`CORDON_TEST_PYTHON`, which Deploy/test.sh provides): the
/// third-party checkers (Selenium, prometheus_client) look at what Cordon serves.
enum PythonTool {
    /// Runs `script` (a file) or `code` (`-c`) with `arguments`, and `env` over the test's environment.
    static func run(script: URL? = nil, code: String? = nil, arguments: [String] = [], env: [String: String] = [:])
        async throws -> Shell.Run
    {
        let python = try #require(
            ProcessInfo.processInfo.environment["CORDON_TEST_PYTHON"], "set CORDON_TEST_PYTHON (Deploy/test.sh does)")
        return try await Shell.run(python, (script.map { [$0.path] } ?? ["-c", code ?? ""]) + arguments, env: env)
    }
}
