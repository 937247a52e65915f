import Foundation
import PostgresNIO
import TestSupport
import Testing

@Suite("CLI: what cordon serve writes to its log")
struct LogHygieneTests {
    @Test(
        "a 5xx, a bad token and a normal admission at LOG_LEVEL=trace: the log names operations and error types, never a token, an ID number or a phone"
    )
    func noSecretsInTheLog() async throws {
        try await TestDatabase.withMigrated { db in
            let cli = CordonCLI(databaseURL: db.url)
            #expect(try await cli.run("seed").status == 0)
            let token = try await cli.token(for: "demo-admin")
            let server = try await ServedCordon(databaseURL: db.url, env: ["LOG_LEVEL": "trace"])
            let nationalId = testNationalID(sequence: 901)
            let phone = "13912345678"
            let beds = await server.request("GET", "/sites/1/beds?status=free&limit=2", token: token)
            let free =
                (try? JSONSerialization.jsonObject(with: Data((beds?.body ?? "").utf8)) as? [String: Any])
                .flatMap { ($0["items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } } ?? []
            let (bedId, otherBed) = (free.first ?? 0, free.last ?? 0)
            let admission = """
                {"name":"测试患者","sex":"female","dateOfBirth":"1969-09-02","nationalId":"\(nationalId)","severity":"mild","bedId":\(bedId),"phone":"\(phone)"}
                """
            let admitted = await server.request("POST", "/sites/1/patients", token: token, body: admission)
            #expect(admitted?.status == 201, "\(admitted?.body ?? "no answer")")
            #expect(await server.request("GET", "/me", token: "cdn_not-a-real-token")?.status == 401)

            // The patients table goes away behind the server's back: the next admission is a 500.
            try await db.asOwner("ALTER TABLE patients RENAME TO patients_elsewhere")
            let failed = await server.request(
                "POST", "/sites/1/patients", token: token,
                body: admission.replacingOccurrences(of: nationalId, with: testNationalID(sequence: 902))
                    .replacingOccurrences(of: "\"bedId\":\(bedId)", with: "\"bedId\":\(otherBed)"))
            #expect(failed?.status == 500, "\(failed?.body ?? "no answer")")
            #expect(failed?.body.contains("request id") == true || failed?.body.contains("requestId") == true)

            let log = server.log
            #expect(
                log.contains("request failed") && log.contains("operation=admitPatient")
                    && log.contains("error_type=PSQLError"), "\(log.suffix(2000))")
            for secret in [token, "cdn_not-a-real-token", nationalId, testNationalID(sequence: 902), phone] {
                #expect(!log.contains(secret), "the log holds \(secret)")
            }
            #expect(!log.lowercased().contains("authorization"), "the log holds a request's headers")
        }
    }
}
