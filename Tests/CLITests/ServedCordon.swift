import Foundation
import TestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `cordon serve` in a process of its own, on a free port, with its output in a file: what an
/// operator runs, for the tests that need the real thing (signals, logs, a database that goes away).
final class ServedCordon: @unchecked Sendable {
    let background: Background
    let output: URL
    let port: Int

    /// Starts the server with `env` over the test's environment and waits until it listens.
    init(databaseURL: String, env extra: [String: String] = [:], waitUntilListening: Bool = true) async throws {
        output = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-serve-\(UUID().uuidString).log")
        var env = [
            "DATABASE_URL": databaseURL, "PORT": "0", "METRICS_PORT": "0", "LOG_LEVEL": "info",
            "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true",
        ]
        env.merge(extra) { $1 }
        background = try Background(CordonCLI.executable, ["serve"], env: env, output: output)
        guard waitUntilListening else {
            port = 0
            return
        }
        let (output, process) = (output, background.process)
        port = try await poll("cordon serve listens", within: 60) { () -> Int? in
            let log = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if !process.isRunning { throw ServeExited(log: log) }
            return Self.listeningPort(in: log, metrics: false)
        }
    }

    var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// The port of `GET /metrics`, once its server has said where it listens.
    var metricsPort: Int? { Self.listeningPort(in: log, metrics: true) }

    /// The port the API's (or the metrics endpoint's) server said it listens on.
    static func listeningPort(in log: String, metrics: Bool) -> Int? {
        for line in log.split(separator: "\n")
        where (line.contains("endpoint=metrics") || line.contains("\"endpoint\":\"metrics\"")) == metrics {
            guard let range = line.range(of: "listening on 127.0.0.1:") else { continue }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        return nil
    }
    var isRunning: Bool { background.process.isRunning }

    struct Answer: Sendable {
        var status: Int
        var body: String
        var headers: [String: String]
    }

    /// One request; a connection the server refuses or drops is `nil`, not an error.
    func request(
        _ method: String, _ path: String, token: String? = nil, body: String? = nil, timeout: TimeInterval = 30
    ) async -> Answer? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeoutInterval: timeout)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            let http = response as? HTTPURLResponse
        else {
            return nil
        }
        let headers = Dictionary(
            uniqueKeysWithValues: http.allHeaderFields.map { ("\($0.key)".lowercased(), "\($0.value)") })
        return Answer(status: http.statusCode, body: String(decoding: data, as: UTF8.self), headers: headers)
    }

    /// Sends SIGTERM, as a service manager stopping it does.
    func terminate() { background.process.terminate() }

    /// Waits for the process to end, at most `seconds`; returns its exit status, or nil if it still runs.
    func exitStatus(within seconds: TimeInterval) async -> Int32? {
        let process = background.process
        return try? await poll("cordon serve exits", within: seconds) {
            process.isRunning ? nil : process.terminationStatus
        }
    }

    deinit {
        background.kill()
        try? FileManager.default.removeItem(at: output)
    }
}

/// `cordon serve` ended before it listened; the test fails with what it said.
struct ServeExited: Error, CustomStringConvertible {
    var log: String
    var description: String { "cordon serve exited before listening:\n\(log.suffix(2000))" }
}
