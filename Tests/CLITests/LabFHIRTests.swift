import Domain
import Foundation
import TestSupport
import Testing

extension ServedProcesses {
    @Suite("A laboratory's FHIR R4 result bundles, built and checked with fhir.resources")
    struct LabFHIRTests {
        /// Builds bundles with fhir.resources (R4), posts them to /fhir, reads the answers back
        /// into its models, and prints each answer's HTTP status and entry statuses.
        static let exchange = #"""
            import json, sys, urllib.request, urllib.error
            from fhir.resources.bundle import Bundle
            from fhir.resources.operationoutcome import OperationOutcome
            base, token, good, other, unknown = sys.argv[1:6]
            LOINC, SCT, UCUM = "http://loinc.org", "http://snomed.info/sct", "http://unitsofmeasure.org"

            def report(n, accession, detected, n_ct, orf_ct):
                spec = {"reference": f"urn:uuid:spec-{n}"}
                obs = lambda code, extra: {"resourceType": "Observation", "status": "final",
                    "code": {"coding": [{"system": LOINC, "code": code}]}, "specimen": spec, **extra}
                ct = lambda v: {"valueQuantity": {"value": v, "system": UCUM, "code": "{Ct_value}"}}
                qual = {"valueCodeableConcept": {"coding": [{"system": SCT,
                    "code": "260373001" if detected else "260415000"}]}}
                entries = [
                    {"fullUrl": f"urn:uuid:spec-{n}", "resource": {"resourceType": "Specimen",
                        "identifier": [{"system": "urn:cordon:accession", "value": accession}]},
                     "request": {"method": "POST", "url": "Specimen"}},
                    {"fullUrl": f"urn:uuid:q-{n}", "resource": obs("94500-6", qual), "request": {"method": "POST", "url": "Observation"}},
                    {"fullUrl": f"urn:uuid:n-{n}", "resource": obs("94510-5", ct(n_ct)), "request": {"method": "POST", "url": "Observation"}},
                    {"fullUrl": f"urn:uuid:o-{n}", "resource": obs("94511-3", ct(orf_ct)), "request": {"method": "POST", "url": "Observation"}},
                    {"fullUrl": f"urn:uuid:r-{n}", "resource": {"resourceType": "DiagnosticReport", "status": "final",
                        "code": {"coding": [{"system": LOINC, "code": "94531-1"}]}, "specimen": [spec],
                        "result": [{"reference": f"urn:uuid:{k}-{n}"} for k in ("q", "n", "o")]},
                     "request": {"method": "POST", "url": "DiagnosticReport"}},
                ]
                return entries

            def post(bundle):
                body = json.dumps(bundle).encode()
                request = urllib.request.Request(base + "/fhir", data=body, method="POST", headers={
                    "Authorization": "Bearer " + token, "Content-Type": "application/fhir+json"})
                try:
                    with urllib.request.urlopen(request, timeout=30) as answer:
                        return answer.status, json.loads(answer.read())
                except urllib.error.HTTPError as error:
                    return error.code, json.loads(error.read())

            out = {}
            batch = Bundle.parse_obj({"resourceType": "Bundle", "type": "batch",
                "entry": report(1, good, False, 38.5, 39.0) + report(2, unknown, False, 37, 38)})
            status, answer = post(json.loads(batch.json()))
            parsed = Bundle.parse_obj(answer)
            out["batch"] = {"status": status, "type": parsed.type,
                "entries": [e.response.status for e in parsed.entry]}
            status, answer = post(json.loads(batch.json()))
            out["again"] = {"status": status, "entries": [e.response.status for e in Bundle.parse_obj(answer).entry]}
            bad = json.loads(Bundle.parse_obj({"resourceType": "Bundle", "type": "transaction",
                "entry": report(3, other, True, 20, 21)}).json())
            bad["entry"][2]["resource"]["valueQuantity"]["value"] = 75
            status, answer = post(bad)
            outcome = OperationOutcome.parse_obj(answer)
            out["transaction"] = {"status": status, "expressions": [x for i in outcome.issue for x in (i.expression or [])]}
            print(json.dumps(out))
            """#

        @Test(
            "a batch: 201 recorded, 202 held for review, 200 when sent again; a transaction with a Ct out of range is refused whole"
        )
        func exchange() async throws {
            try await TestDatabase.withMigrated { db in
                let cli = CordonCLI(databaseURL: db.url)
                _ = try await cli.ok("seed")
                let lab = try #require(try await db.strings("SELECT code FROM laboratories ORDER BY id LIMIT 1").first)
                let token = try await cli.ok("lab", "token", lab).trimmingCharacters(in: .whitespacesAndNewlines)
                let sent = try await db.strings(
                    """
                    SELECT s.accession::text FROM specimens s
                    WHERE s.status = 'sent' AND NOT EXISTS (SELECT 1 FROM nucleic_acid_tests t WHERE t.accession = s.accession)
                    ORDER BY s.accession LIMIT 2
                    """)
                let tubes = sent.compactMap { Int64($0).flatMap(AccessionNumber.init(sequence:))?.description }
                try #require(tubes.count == 2)
                let server = try await ServedCordon(databaseURL: db.url)
                let run = try await PythonTool.run(
                    code: Self.exchange,
                    arguments: [
                        "http://127.0.0.1:\(server.port)", token, tubes[0], tubes[1],
                        AccessionNumber(sequence: 9_999_999_000)!.description,
                    ])
                #expect(run.status == 0, "\(run.err)")
                let out = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: [String: Any]] ?? [:]
                #expect(out["batch"]?["status"] as? Int == 200 && out["batch"]?["type"] as? String == "batch-response")
                let entries = out["batch"]?["entries"] as? [String] ?? []
                #expect(entries.count == 10, "\(out)")
                #expect(entries.prefix(5).filter { $0 == "201 Created" }.count == 4, "\(entries)")
                #expect(entries.suffix(5).filter { $0 == "202 Accepted" }.count == 4, "\(entries)")
                #expect((out["again"]?["entries"] as? [String])?.contains("201 Created") == false, "\(out)")
                #expect(out["transaction"]?["status"] as? Int == 422 || out["transaction"]?["status"] as? Int == 400)
                #expect(
                    (out["transaction"]?["expressions"] as? [String])?.first == "entry[2].resource.valueQuantity.value",
                    "\(out)")
                #expect(try await db.count("SELECT count(*)::int FROM nucleic_acid_tests WHERE source = 'fhir'") == 1)
                #expect(
                    try await db.count(
                        "SELECT count(*)::int FROM lab_result_reviews WHERE form = 'fhir' AND reason = 'unknown_accession'"
                    )
                        == 1)
                server.terminate()
            }
        }
    }
}
