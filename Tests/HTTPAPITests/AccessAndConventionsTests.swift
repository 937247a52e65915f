import Foundation
import TestSupport
import Testing

@Suite("HTTP: access, errors and conventions")
struct AccessAndConventionsTests {
    @Test("health needs no token; ready reports the database and migrations")
    func health() async throws {
        try await APIHarness.run { api in
            #expect(try await api.call(.get, "/health/live", as: nil).status == 200)
            // Readiness gives the database one second. On a machine starting every suite at once
            // a look can take longer, and readiness then rightly says 503; it must come to 200.
            var last = ""
            do {
                let ready = try await poll("ready says ok", within: 30) { () -> APIResponse? in
                    let response = try await api.call(.get, "/health/ready", as: nil)
                    last = response.text
                    return response.status == 200 ? response : nil
                }
                #expect(ready.json["status"] as? String == "ok")
            } catch let error as TimedOut {
                Issue.record("\(error); the last answer was: \(last)")
            }
        }
    }

    @Test("no token or a bad token gets 401 problem+json; every other endpoint needs one")
    func unauthenticated() async throws {
        try await APIHarness.run { api in
            for token in [nil, "cdn_not-a-real-token"] as [String?] {
                let response = try await api.call(.get, "/sites", as: token)
                #expect(response.status == 401)
                #expect(response.header("Content-Type") == "application/problem+json")
                #expect(response.header("WWW-Authenticate") == "Bearer")
            }
            #expect(try await api.call(.get, "/openapi.yaml", as: nil).status == 401)
        }
    }

    @Test("a role that may not act gets 403; another site's records are 404 and never listed")
    func forbiddenAndInvisible() async throws {
        try await APIHarness.run { api in
            let refused = try await api.call(
                .post, "/sites/\(api.siteA)/patients", as: "pharmacistA",
                body: api.admission(bed: api.fixture.bedsA[0].id, sequence: 1))
            #expect(refused.status == 403)
            let patient = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 1)
            let id = patient["id"] as! Int
            #expect(try await api.call(.get, "/sites/\(api.siteA)", as: "clinicianB").status == 404)
            #expect(try await api.call(.get, "/sites/\(api.siteA)/patients/\(id)", as: "clinicianB").status == 404)
            #expect(try await api.call(.get, "/sites/\(api.siteA)/census", as: "clinicianB").status == 404)
            let listed = try await api.call(.get, "/sites", as: "clinicianB")
            #expect(listed.items.map { $0["code"] as? String } == ["TB-01"])
            #expect(try await api.call(.get, "/sites", as: "admin").items.count == 2)
        }
    }

    @Test(
        "identity by role: managers and admins see it all; clinicians the last 4 and the birth date; pharmacists the last 4 and the age"
    )
    func masking() async throws {
        try await APIHarness.run { api in
            let patient = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 7)
            let path = "/sites/\(api.siteA)/patients/\(patient["id"] as! Int)"
            let full = testNationalID(sequence: 7)
            let masked = String(repeating: "*", count: 14) + full.suffix(4)
            #expect(patient["nationalId"] as? String == masked)
            #expect(patient["dateOfBirth"] as? String == "1969-09-02")
            #expect(patient["disclosure"] as? String == "bedside")
            let manager = try await api.call(.get, path, as: "managerA").json
            #expect(manager["nationalId"] as? String == full)
            #expect(manager["phone"] as? String == "13900000000")
            #expect(try await api.call(.get, path, as: "admin").json["nationalIdMasked"] as? Bool == false)
            let pharmacist = try await api.call(.get, path, as: "pharmacistA")
            #expect(pharmacist.json["nationalIdMasked"] as? Bool == true)
            #expect(pharmacist.json["nationalId"] as? String == masked)
            #expect(pharmacist.json["dateOfBirth"] == nil)
            #expect(pharmacist.json["phone"] == nil)
            #expect(pharmacist.json["ageYears"] as? Int != nil)
            // Neither masked view holds the region or the birth date as digits: the number cannot be rebuilt.
            for user in ["clinicianA", "pharmacistA"] {
                for body in [
                    try await api.call(.get, path, as: user).text,
                    try await api.call(.get, "/sites/\(api.siteA)/patients", as: user).text,
                ] {
                    #expect(!body.contains(full.prefix(6)), "\(user): \(body)")
                    #expect(!body.contains(full.dropFirst(6).prefix(8)), "\(user): \(body)")
                }
            }
        }
    }

    @Test(
        "malformed JSON, unknown fields, wrong types, missing fields and bad values: 4xx naming the field, nothing written"
    )
    func badInputWritesNothing() async throws {
        try await APIHarness.run { api in
            let bed = api.fixture.bedsA[0].id
            let good = api.admission(bed: bed, sequence: 3)
            let cases: [(String, Int, String)] = [
                ("{\"name\": ", 400, "body"),
                (good.replacingOccurrences(of: "\"severity\"", with: "\"colour\":\"red\",\"severity\""), 400, "colour"),
                (good.replacingOccurrences(of: "\"bedId\":\(bed)", with: "\"bedId\":\"one\""), 400, "bedId"),
                (good.replacingOccurrences(of: "\"sex\":\"female\",", with: ""), 400, "sex"),
                (
                    good.replacingOccurrences(of: "\"severity\":\"mild\"", with: "\"severity\":\"grave\""), 400,
                    "severity"
                ),
                (
                    good.replacingOccurrences(
                        of: testNationalID(sequence: 3), with: String(testNationalID(sequence: 3).dropLast()) + "0"),
                    422, "nationalId"
                ),
                (good.replacingOccurrences(of: "1969-09-02", with: "1969-02-30"), 422, "dateOfBirth"),
                (good.replacingOccurrences(of: "\"bedId\":\(bed)", with: "\"bedId\":999999"), 422, "bedId"),
            ]
            let auditBefore = try await api.db.count("SELECT count(*)::int FROM audit_log")
            for (body, status, field) in cases {
                let response = try await api.call(.post, "/sites/\(api.siteA)/patients", as: "clinicianA", body: body)
                #expect(response.status == status, "\(body) -> \(response.text)")
                #expect(response.header("Content-Type") == "application/problem+json")
                #expect(response.problemFields.contains(field), "\(field) not named in \(response.text)")
            }
            #expect(try await api.db.count("SELECT count(*)::int FROM patients") == 0)
            #expect(try await api.db.count("SELECT count(*)::int FROM audit_log") == auditBefore)
            #expect(try await api.db.count("SELECT count(*)::int FROM beds WHERE status <> 'free'") == 0)
        }
    }

    @Test("a parameter that does not match its declared schema is 400 naming it, never a 500")
    func badPathIds() async throws {
        try await APIHarness.run { api in
            let words = try await api.call(.get, "/sites/abc")
            #expect(words.status == 400, "\(words.text)")
            let zero = try await api.call(.get, "/sites/0")
            #expect(zero.status == 400)
            #expect(zero.problemFields == ["siteId"])
            for (query, field) in [("limit=0", "limit"), ("limit=501", "limit"), ("cursor=forged", "cursor")] {
                let response = try await api.call(.get, "/sites/\(api.siteA)/beds?\(query)")
                #expect(response.status == 400 && response.problemFields == [field], "\(query): \(response.text)")
            }
            let huge = try await api.call(.get, "/sites/9223372036854775808")
            #expect(huge.status == 400, "\(huge.text)")
            let badDate = try await api.call(.get, "/sites/\(api.siteA)/census?until=")
            #expect(badDate.status == 400 && badDate.problemFields == ["until"], "\(badDate.text)")
            let badDays = try await api.call(.get, "/sites/\(api.siteA)/census?days=0")
            #expect(badDays.status == 400 && badDays.problemFields == ["days"], "\(badDays.text)")
        }
    }

    @Test("a known path with the wrong method gets 405 and Allow; an unknown path 404")
    func methodNotAllowed() async throws {
        try await APIHarness.run { api in
            let response = try await api.call(.delete, "/sites/\(api.siteA)")
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, PUT")
            #expect(try await api.call(.get, "/no/such/thing").status == 404)
        }
    }

    @Test("every response echoes a request id; a client's own id is kept")
    func requestIds() async throws {
        try await APIHarness.run { api in
            let mine = try await api.call(.get, "/sites", headers: ["X-Request-ID": "hospital-42"])
            #expect(mine.header("X-Request-ID") == "hospital-42")
            let generated = try await api.call(.get, "/sites/0")
            #expect(generated.header("X-Request-ID")?.count == 36)
            #expect(generated.json["requestId"] as? String == generated.header("X-Request-ID"))
        }
    }

    @Test("the spec is served as YAML")
    func spec() async throws {
        try await APIHarness.run { api in
            let response = try await api.call(.get, "/openapi.yaml")
            #expect(response.status == 200)
            #expect(response.text.hasPrefix("openapi: 3.1.0"))
        }
    }

    @Test("lists page with a next link until the end")
    func pagination() async throws {
        try await APIHarness.run { api in
            var codes: [String] = []
            var next: String? = "/sites/\(api.siteA)/beds?limit=4"
            var pages = 0
            while let link = next {
                let page = try await api.call(.get, link)
                codes += page.items.compactMap { $0["code"] as? String }
                next = page.json["next"] as? String
                pages += 1
            }
            #expect(pages == 2)
            #expect(codes == ["A-001", "A-002", "A-003", "A-004", "A-005", "A-006"])
        }
    }
}
