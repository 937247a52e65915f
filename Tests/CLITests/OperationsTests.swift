import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension ServedProcesses {
    /// What the people who run Cordon see of it: metrics for Prometheus, JSON logs, the alert
    /// rules, the version, and housekeeping from cron.
    @Suite("Operations: metrics, logs, alerts, version, maintenance")
    struct OperationsTests {
        /// Parses Prometheus text with prometheus_client's parser and prints {"name{labels}": value}.
        static let parse = #"""
            import json, sys, urllib.request
            from prometheus_client.parser import text_string_to_metric_families
            text = urllib.request.urlopen(sys.argv[1], timeout=10).read().decode()
            out = {}
            for family in text_string_to_metric_families(text):
                for s in family.samples:
                    labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
                    out[f"{s.name}{{{labels}}}"] = s.value
            print(json.dumps(out))
            """#

        static func scrape(_ port: Int) async throws -> [String: Double] {
            let run = try await PythonTool.run(code: parse, arguments: ["http://127.0.0.1:\(port)/metrics"])
            #expect(run.status == 0, "\(run.err)")
            return try JSONDecoder().decode([String: Double].self, from: Data(run.out.utf8))
        }

        @Test(
            "GET /metrics on its own port parses as Prometheus text and its counters move with requests; the API port does not serve it; JSON logs parse line by line"
        )
        func metricsAndLogs() async throws {
            try await TestDatabase.withMigrated { db in
                let cli = CordonCLI(databaseURL: db.url)
                _ = try await cli.ok("seed")
                let token = try await cli.token(for: "demo-admin")
                let server = try await ServedCordon(databaseURL: db.url, env: ["LOG_FORMAT": "json"])
                let metricsPort = try #require(
                    try await poll("the metrics endpoint listens", within: 30) { server.metricsPort })
                #expect(metricsPort != server.port)
                let census = "cordon_http_requests_total{method=\"GET\",operation=\"getCensus\",status=\"200\"}"
                let before = try await Self.scrape(metricsPort)[census] ?? 0
                for _ in 0..<3 { #expect(await server.request("GET", "/sites/1/census", token: token)?.status == 200) }
                let after = try await Self.scrape(metricsPort)
                #expect(after[census] == before + 3, "\(after.filter { $0.key.hasPrefix("cordon_http") })")
                #expect(after["cordon_build_info{commit=\"unknown\",version=\"0.15.0\"}"] == 1)
                #expect((after["process_resident_memory_bytes{}"] ?? 0) > 1_000_000)
                #expect(after.keys.contains { $0.hasPrefix("cordon_db_acquire_seconds_bucket") })
                let beds = try await poll("the site gauges are computed", within: 30) {
                    try await Self.scrape(metricsPort)["cordon_beds{site=\"JS-01\",state=\"occupied\"}"]
                }
                #expect(beds == Double(try await db.count("SELECT count(*)::int FROM beds WHERE status = 'occupied'")))
                // Every family says what it counts: promtool's lint finds no family without help text.
                let lint = try await Shell.run(
                    "/bin/bash",
                    [
                        "-c",
                        "text=$(curl -fs http://127.0.0.1:\(metricsPort)/metrics) || exit 3; printf '%s\\n' \"$text\" | /usr/bin/promtool check metrics 2>&1; true",
                    ])
                #expect(lint.status == 0 && !lint.out.contains("no help text"), "\(lint.out)\(lint.err)")
                #expect(
                    await server.request("GET", "/metrics", token: token)?.status == 404, "the API port has no /metrics"
                )

                let lines = server.log.split(separator: "\n").filter { !$0.isEmpty }
                #expect(lines.count > 3)
                var requestLines = 0
                for line in lines {
                    let object = try #require(
                        try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
                    #expect(object["time"] is String && object["level"] is String && object["message"] is String)
                    if object["message"] as? String == "request", object["operation"] as? String == "getCensus" {
                        requestLines += 1
                        #expect(object["request_id"] is String && object["status"] as? String == "200")
                        #expect(object["duration_ms"] is String)
                    }
                }
                #expect(requestLines == 3)
                #expect(!server.log.contains(token), "a token is never logged")
            }
        }

        @Test("a real Prometheus scrapes Cordon with the shipped config; the shipped alert rules pass promtool")
        func prometheusScrapes() async throws {
            let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Deploy/prometheus")
            let rules = deploy.appendingPathComponent("cordon-rules.yml")
            let check = try await Shell.run("/usr/bin/promtool", ["check", "rules", rules.path])
            #expect(check.status == 0, "\(check.out)\(check.err)")
            try await TestDatabase.withMigrated { db in
                let cli = CordonCLI(databaseURL: db.url)
                _ = try await cli.ok("seed")
                let token = try await cli.token(for: "demo-admin")
                let server = try await ServedCordon(databaseURL: db.url)
                let metricsPort = try #require(try await poll("metrics listen", within: 30) { server.metricsPort })
                for _ in 0..<4 { _ = await server.request("GET", "/sites/1/census", token: token) }

                // The shipped config, pointed at this server's port and scraping every second.
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "cordon-prom-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: folder) }
                let shipped = try String(contentsOf: deploy.appendingPathComponent("prometheus.yml"), encoding: .utf8)
                try shipped.replacingOccurrences(of: "127.0.0.1:9464", with: "127.0.0.1:\(metricsPort)")
                    .replacingOccurrences(of: "scrape_interval: 15s", with: "scrape_interval: 1s")
                    .write(to: folder.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
                try FileManager.default.copyItem(at: rules, to: folder.appendingPathComponent("cordon-rules.yml"))
                let webPort = try await freePort()
                let prometheus = try Background(
                    URL(fileURLWithPath: "/usr/bin/prometheus"),
                    [
                        "--config.file=\(folder.path)/prometheus.yml", "--storage.tsdb.path=\(folder.path)/data",
                        "--web.listen-address=127.0.0.1:\(webPort)",
                    ], env: [:], output: folder.appendingPathComponent("prometheus.log"))
                defer { prometheus.kill() }
                let query = { (expression: String) async -> Double? in
                    var components = URLComponents(string: "http://127.0.0.1:\(webPort)/api/v1/query")!
                    components.queryItems = [URLQueryItem(name: "query", value: expression)]
                    guard let (data, _) = try? await URLSession.shared.data(from: components.url!),
                        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                        let result = (json["data"] as? [String: Any])?["result"] as? [[String: Any]],
                        let value = result.first?["value"] as? [Any], let text = value.last as? String
                    else { return nil }
                    return Double(text)
                }
                let up = try await poll("Prometheus scrapes Cordon", within: 60) { await query("up{job=\"cordon\"}") }
                #expect(up == 1)
                let counted = try await poll("the request counter arrives", within: 30) {
                    await query("sum(cordon_http_requests_total{operation=\"getCensus\",status=\"200\"})")
                }
                #expect(counted == 4)
            }
        }

        @Test("METRICS_PORT=off serves no metrics endpoint and the API as before")
        func metricsOff() async throws {
            try await TestDatabase.withMigrated { db in
                let server = try await ServedCordon(databaseURL: db.url, env: ["METRICS_PORT": "off"])
                #expect(await server.request("GET", "/health/ready")?.status == 200)
                #expect(server.metricsPort == nil && server.log.contains("listening on"))
            }
        }

        @Test("cordon --version names the release; cordon maintenance run prunes once and says what it removed")
        func versionAndMaintenance() async throws {
            try await TestDatabase.withMigrated { db in
                let cli = CordonCLI(databaseURL: db.url)
                let version = try await cli.run(["--version"], env: ["CORDON_GIT_COMMIT": "abc1234"])
                #expect(version.out.trimmingCharacters(in: .whitespacesAndNewlines) == "0.15.0 (commit abc1234)")
                let pass = try await cli.run("maintenance", "run", "--json")
                #expect(pass.status == 0, "\(pass.err)")
                let removed = try JSONDecoder().decode([String: Int].self, from: Data(pass.out.utf8))
                #expect(removed["webhook_events_removed"] == 0 && removed["api_tokens_removed"] == 0)
                #expect(removed.count == 8)
                #expect(removed["census_changes_removed"] != nil, "the census's change rows folded in are counted")
            }
        }

        /// A TCP port no one listens on just now.
        func freePort() async throws -> Int {
            let run = try await Shell.run(
                "/usr/bin/python3",
                ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
            return try #require(Int(run.out.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
    }
}
