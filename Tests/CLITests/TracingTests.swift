import Domain
import Foundation
import Services
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension ServedProcesses {
    /// Traces over OTLP: a request that carries a W3C `traceparent` is recorded in that trace (a
    /// request span, the operation's span, a span per SQL statement named after its repository
    /// method), its log line names the trace, and the webhook it causes carries the trace on.
    @Suite("Operations: traces")
    struct TracingTests {
        /// Records every POST (OTLP/JSON spans at /v1/traces, webhook deliveries at /hook) as a JSON line.
        static let receiver = #"""
            import json, sys, http.server
            out = open(sys.argv[1], "a")
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                    out.write(json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                          "body": body}) + "\n")
                    out.flush()
                    self.send_response(200); self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"{}")
                def log_message(self, *args): pass
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """#

        @Test(
            "a request with a traceparent yields spans in that trace, a log line naming it, and a webhook carrying it")
        func traceparent() async throws {
            try await TestDatabase.withMigrated { db in
                let cli = CordonCLI(databaseURL: db.url)
                _ = try await cli.ok("seed")
                let token = try await cli.token(for: "dr-lin")
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "cordon-trace-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: folder) }
                let received = folder.appendingPathComponent("received.jsonl")
                let python = try #require(ProcessInfo.processInfo.environment["CORDON_TEST_PYTHON"])
                let receiver = try Background(
                    URL(fileURLWithPath: python), ["-c", Self.receiver, received.path],
                    output: folder.appendingPathComponent("receiver.out"))
                defer { receiver.kill() }
                let port = try await poll("the receiver listens", within: 20) {
                    Int(
                        ((try? String(contentsOf: folder.appendingPathComponent("receiver.out"), encoding: .utf8)) ?? "")
                            .trimmingCharacters(in: .whitespacesAndNewlines))
                }

                // The hospital of an open referral sends its webhooks to the receiver.
                let services = db.services()
                let op = DemoFixture.operatorActor
                let referral = try #require(
                    try await services.referrals.list(siteId: Site.ID(1), page: PageRequest(limit: 50), actor: op).items
                        .first { $0.status.isOpen })
                _ = try await services.hospitals.setWebhook(
                    hospitalId: referral.hospitalId, url: "http://127.0.0.1:\(port)/hook", actor: op)

                let server = try await ServedCordon(
                    databaseURL: db.url,
                    env: [
                        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(port)",
                        "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
                        "OTEL_BSP_SCHEDULE_DELAY": "200", "LOG_FORMAT": "json",
                    ])
                let traceId = "4bf92f3577b34da6a3ce929d0e0e4736"
                var request = URLRequest(
                    url: URL(string: "http://127.0.0.1:\(server.port)/sites/1/referrals/\(referral.id.rawValue)/notes")!
                )
                request.httpMethod = "POST"
                request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.setValue("00-\(traceId)-00f067aa0ba902b7-01", forHTTPHeaderField: "traceparent")
                request.httpBody = Data(#"{"note":"带上既往化疗记录 秘密备注"}"#.utf8)
                let (_, response) = try await URLSession.shared.data(for: request)
                #expect((response as? HTTPURLResponse)?.statusCode == 201)

                let spans = try await poll("the spans and the webhook arrive", within: 30) { () -> [[String: Any]]? in
                    let lines = ((try? String(contentsOf: received, encoding: .utf8)) ?? "").split(separator: "\n")
                    let posts = lines.compactMap {
                        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                    }
                    // The seed's older events go out too (with traces of their own); ours carries ours.
                    let hook = posts.first {
                        $0["path"] as? String == "/hook"
                            && ((($0["headers"] as? [String: String])?["traceparent"]) ?? "").hasPrefix(
                                "00-\(traceId)-")
                    }
                    let spans = posts.filter { $0["path"] as? String == "/v1/traces" }.flatMap { Self.spans(in: $0) }
                    let ours = spans.filter { Self.hex($0["traceId"]) == traceId }
                    // The operation's span ends after its statements' and may come in a later
                    // export batch, so wait for it too rather than for the first of them.
                    let names = Set(ours.compactMap { $0["name"] as? String })
                    guard hook != nil, names.contains("addReferralNote"),
                        names.contains("ReferralRepository.appendEvent")
                    else { return nil }
                    return ours
                }
                let names = spans.compactMap { $0["name"] as? String }
                #expect(names.contains("addReferralNote"), "the operation's span: \(names)")
                #expect(names.contains("ReferralRepository.appendEvent"), "a statement's span: \(names)")
                #expect(!"\(spans)".contains("秘密备注"), "no span carries a statement's parameters")
                let logged = server.log.split(separator: "\n").contains { line in
                    line.contains("\"operation\":\"addReferralNote\"") && line.contains(traceId)
                }
                #expect(logged, "the request's log line names the trace")
            }
        }

        /// An OTLP/JSON id (base64 of its bytes, as swift-protobuf writes it) in hex.
        static func hex(_ value: Any?) -> String? {
            guard let text = value as? String, let data = Data(base64Encoded: text) else { return nil }
            return data.map { String(format: "%02x", $0) }.joined()
        }

        /// The spans of one OTLP/JSON export.
        static func spans(in post: [String: Any]) -> [[String: Any]] {
            guard let body = post["body"] as? String,
                let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                let resources = json["resourceSpans"] as? [[String: Any]]
            else { return [] }
            return resources.flatMap { ($0["scopeSpans"] as? [[String: Any]]) ?? [] }
                .flatMap { ($0["spans"] as? [[String: Any]]) ?? [] }
        }
    }
}
