import Foundation
import TestSupport
import Testing

extension ServedProcesses {
    /// What a client that trickles or bloats its request head meets, over a raw socket to `cordon serve`.
    @Suite("Connection limits", .serialized)
    struct ConnectionLimitsTests {
        /// Sends raw bytes and reports, as JSON, how the server answered each probe.
        static let probe = #"""
            import json, socket, sys, time
            port = int(sys.argv[1])
            def exchange(data, wait=10):
                s = socket.create_connection(("127.0.0.1", port)); s.settimeout(wait)
                start = time.monotonic(); s.sendall(data); got = b""
                try:
                    while True:
                        chunk = s.recv(65536)
                        if not chunk: break
                        got += chunk
                except socket.timeout: return {"line": "timeout", "seconds": wait}
                except ConnectionResetError: pass
                finally: s.close()
                return {"line": got.split(b"\r\n", 1)[0].decode(errors="replace") or "closed", "seconds": round(time.monotonic() - start, 2)}
            head = b"GET /health/live HTTP/1.1\r\nHost: x\r\n"
            many = head + b"".join(b"X-%d: y\r\n" % i for i in range(150)) + b"Connection: close\r\n\r\n"
            big = head + b"X-Big: " + b"y" * 20000 + b"\r\nConnection: close\r\n\r\n"
            print(json.dumps({"trickle": exchange(head), "many": exchange(many), "big": exchange(big),
                              "normal": exchange(head + b"Connection: close\r\n\r\n")}))
            """#

        @Test(
            "an unfinished request head is closed after the idle timeout; too many or too large headers are refused, and the server serves on"
        )
        func headsHaveLimits() async throws {
            try await TestDatabase.withMigrated { db in
                let server = try await ServedCordon(databaseURL: db.url, env: ["HTTP_IDLE_TIMEOUT_SECONDS": "1"])
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
                process.arguments = ["-c", Self.probe, String(server.port)]
                let pipe = Pipe()
                process.standardOutput = pipe
                try process.run()
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                let answers = try JSONDecoder().decode([String: ProbeAnswer].self, from: data)
                let trickle = try #require(answers["trickle"])
                let many = try #require(answers["many"])
                let big = try #require(answers["big"])
                let normal = try #require(answers["normal"])
                #expect(trickle.line == "closed" && trickle.seconds >= 0.9 && trickle.seconds < 5, "\(trickle)")
                for refused in [many, big] {
                    #expect(refused.line == "closed" || refused.line.hasPrefix("HTTP/1.1 4"), "\(refused)")
                }
                #expect(normal.line == "HTTP/1.1 200 OK", "\(normal)")
                #expect(server.isRunning)
            }
        }

        struct ProbeAnswer: Decodable, CustomStringConvertible {
            var line: String
            var seconds: Double
            var description: String { "\(line) after \(seconds) s" }
        }
    }
}
