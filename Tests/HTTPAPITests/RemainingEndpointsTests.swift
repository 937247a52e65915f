import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Services
import TestSupport
import Testing

@Suite("HTTP: the remaining endpoints")
struct RemainingEndpointsTests {
    @Test("GET /me names the caller and their grants")
    func me() async throws {
        try await APIHarness.run { api in
            let me = try await api.call(.get, "/me", as: "clinicianA").json
            #expect(me["username"] as? String == "cliniciana")
            #expect((me["grants"] as? [[String: Any]])?.first?["role"] as? String == "clinician")
            #expect((me["grants"] as? [[String: Any]])?.first?["siteId"] as? Int == Int(api.siteA.rawValue))
        }
    }

    @Test("a patient's phone, severity and Party membership change with If-Match; tests are listed in sampling order")
    func editPatientAndListTests() async throws {
        try await APIHarness.run { api in
            let patient = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 51)
            let path = "/sites/\(api.siteA)/patients/\(patient["id"] as! Int)"
            #expect(try await api.call(.patch, path, as: "clinicianA", body: #"{"severity":"severe"}"#).status == 428)
            let edited = try await api.call(
                .patch, path, as: "clinicianA", body: #"{"severity":"severe","phone":"021-5555 0101"}"#,
                headers: ["If-Match": "\"1\""])
            #expect(edited.status == 200, "\(edited.text)")
            #expect(edited.json["severity"] as? String == "severe")
            #expect(edited.json["phone"] as? String == "021-5555 0101")
            #expect(edited.json["partyMember"] as? Bool == true)
            let badPhone = try await api.call(
                .patch, path, as: "clinicianA", body: #"{"phone":"call me"}"#, headers: ["If-Match": "\"2\""])
            #expect(badPhone.status == 422)
            #expect(badPhone.problemFields == ["phone"])

            let iso = ISO8601DateFormatter()
            for hours in [-2.0, -30.0] {
                let added = try await api.call(
                    .post, path + "/test-results", as: "clinicianA",
                    body:
                        #"{"sampledAt":"\#(iso.string(from: Date().addingTimeInterval(hours * 3600)))","result":"positive","nGeneCt":28.5,"orf1abCt":30}"#
                )
                #expect(added.status == 201)
            }
            let tests = try await api.call(.get, path + "/test-results", as: "pharmacistA").items
            #expect(tests.count == 2)
            let sampled = tests.compactMap { ($0["sampledAt"] as? String).flatMap(iso.date(from:)) }
            #expect(sampled == sampled.sorted())
            let outOfRange = try await api.call(
                .post, path + "/test-results", as: "clinicianA",
                body: #"{"sampledAt":"\#(iso.string(from: Date()))","result":"positive","nGeneCt":75,"orf1abCt":30}"#)
            #expect(outOfRange.status == 422)
            #expect(outOfRange.problemFields == ["nGeneCt"])
            let verdict = try await api.call(.get, path + "/discharge-eligibility", as: "clinicianA").json
            #expect(verdict["eligible"] as? Bool == false)
            #expect(
                (verdict["reasons"] as? [String])?.first?.contains("N-gene Ct 28.5 and ORF1ab Ct 30 below 35") == true)
        }
    }

    @Test("ready answers 503 with the reason while migrations are pending")
    func readyWhilePending() async throws {
        try await TestDatabase.withEmpty { db in
            let services = db.services()
            // A first connection to a new database, on a machine running every suite (and a
            // browser) at once, can take longer than readiness's second; open it before asking.
            _ = try await services.schema.status()
            let app = try APIHarness.application(services)
            try await app.test(.router) { client in
                // Readiness gives the database one second; on a machine running every suite at
                // once a first look may take longer and say so instead, so look a few times.
                var last = ""
                do {
                    _ = try await poll("ready names the pending migrations", within: 30) { () -> Bool? in
                        let (status, body) = try await client.execute(uri: "/health/ready", method: .get) { response in
                            (response.status, String(buffer: response.body))
                        }
                        #expect(status == .serviceUnavailable)
                        last = body
                        return body.contains("run `cordon migrate`") ? true : nil
                    }
                } catch let error as TimedOut {
                    Issue.record("\(error); the last answer was: \(last)")
                }
            }
        }
    }
}
