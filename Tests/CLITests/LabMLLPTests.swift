import Domain
import Foundation
import TestSupport
import Testing

extension ServedProcesses {
    @Suite("A laboratory's HL7 v2 results over MLLP, built and sent with python hl7")
    struct LabMLLPTests {
        /// Builds ORU^R01 messages with python `hl7`, sends them with its MLLP client, and prints
        /// each ACK's MSA-1 and ERR-2/ERR-3; then a broken frame and a stalled half message.
        static let exchange = #"""
            import json, socket, sys, time
            import hl7
            from hl7.client import MLLPClient
            port, lab, good, other = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]

            def oru(control, accession, ct):
                segments = [
                    f"MSH|^~\\&|LIS|{lab}|CORDON|JS-01|20220420120000||ORU^R01^ORU_R01|{control}|P|2.5.1",
                    "PID|1||X",
                    f"OBR|1|{accession}||94531-1^SARS-CoV-2 panel^LN|||20220420080000",
                    "OBX|1|CWE|94500-6^SARS-CoV-2 RNA^LN||260415000^Not detected^SCT||||||F",
                    "OBX|2|NM|94510-5^N gene Ct^LN||38|{Ct_value}^^UCUM|||||F",
                    "OBX|3|NM|94511-3^ORF1ab Ct^LN||39|{Ct_value}^^UCUM|||||F",
                ]
                message = hl7.parse("\r".join(segments))
                message.segment("OBX")  # the library reads what it built
                if ct is not None:
                    message.segments("OBX")[1][5][0] = ct
                return message

            def answer(raw):
                raw = raw.decode() if isinstance(raw, bytes) else raw
                ack = hl7.parse(raw)
                errs = [f"{e[2]}|{e[3]}" for e in ack.segments("ERR")] if "ERR" in raw else []
                return {"msa": str(ack.segment("MSA")[1]), "control": str(ack.segment("MSA")[2]), "errs": errs}

            out = {}
            with MLLPClient("127.0.0.1", port) as client:
                out["good"] = answer(client.send_message(oru("M1", good, None)))
                out["again"] = answer(client.send_message(oru("M1", good, None)))
                out["badct"] = answer(client.send_message(oru("M2", other, "forty")))
            with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
                s.sendall(b"MSH|no frame here\r\x1c\r")
                data = b""
                while not data.endswith(b"\x1c\r"):
                    data += s.recv(4096)
                out["broken"] = answer(data.strip(b"\x0b\x1c\r").decode())
            with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
                s.sendall(b"\x0bMSH|^~\\&|LIS|" + lab.encode() + b"|half")
                started = time.time()
                closed = s.recv(4096) == b""
                out["stalled"] = {"closed": closed, "after": round(time.time() - started)}
            print(json.dumps(out))
            """#

        @Test(
            "AA for results recorded (and sent again), AE naming the field at fault, AR for a broken frame; a stalled half message is closed with nothing taken"
        )
        func exchange() async throws {
            try await TestDatabase.withMigrated { db in
                let cli = CordonCLI(databaseURL: db.url)
                _ = try await cli.ok("seed")
                // The demo site's first results: one patient positive again, one row naming no tube.
                #expect(try await db.count("SELECT count(*)::int FROM patients WHERE repositive_at IS NOT NULL") == 1)
                #expect(
                    try await db.count(
                        "SELECT count(*)::int FROM lab_result_reviews WHERE reason = 'unknown_accession'") == 1)
                #expect(try await db.count("SELECT count(*)::int FROM nucleic_acid_tests WHERE source = 'csv'") >= 2)
                let server = try await ServedCordon(
                    databaseURL: db.url, env: ["LAB_MLLP_PORT": "0", "HTTP_IDLE_TIMEOUT_SECONDS": "2"])
                let port = try await poll("the MLLP listener listens", within: 30) { () -> Int? in
                    guard let line = server.log.split(separator: "\n").first(where: { $0.contains("MLLP listening") }),
                        let range = line.range(of: "port=")
                    else { return nil }
                    return Int(line[range.upperBound...].prefix { $0.isNumber })
                }
                let sent = try await db.strings(
                    """
                    SELECT s.accession::text FROM specimens s
                    WHERE s.status = 'sent' AND NOT EXISTS (SELECT 1 FROM nucleic_acid_tests t WHERE t.accession = s.accession)
                    ORDER BY s.accession LIMIT 2
                    """)
                let lab = try #require(try await db.strings("SELECT code FROM laboratories ORDER BY id LIMIT 1").first)
                let tubes = sent.compactMap { Int64($0).flatMap(AccessionNumber.init(sequence:))?.description }
                try #require(tubes.count == 2)
                let run = try await PythonTool.run(
                    code: Self.exchange, arguments: [String(port), lab, tubes[0], tubes[1]])
                #expect(run.status == 0, "\(run.err)")
                let out = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: [String: Any]] ?? [:]
                #expect(out["good"]?["msa"] as? String == "AA" && out["good"]?["control"] as? String == "M1", "\(out)")
                #expect(out["again"]?["msa"] as? String == "AA", "\(out)")
                #expect(out["badct"]?["msa"] as? String == "AE", "\(out)")
                #expect((out["badct"]?["errs"] as? [String])?.first?.hasPrefix("OBX^2^5|102") == true, "\(out)")
                #expect(out["broken"]?["msa"] as? String == "AR", "\(out)")
                #expect(out["stalled"]?["closed"] as? Bool == true, "\(out)")
                let recorded = try await db.count(
                    "SELECT count(*)::int FROM nucleic_acid_tests WHERE source = 'hl7v2'")
                #expect(recorded == 1)
                #expect(
                    try await db.count(
                        "SELECT count(*)::int FROM lab_result_reviews WHERE form = 'hl7v2' AND reason = 'invalid'") == 1
                )
                #expect(!server.log.contains(tubes[0]), "the log names no tube")
                server.terminate()
            }
        }
    }
}
