import Foundation
import TestSupport
import Testing

@Suite("HTTP: dates nobody means, and sizes nobody needs")
struct DateWindowTests {
    @Test(
        "a day in 2 BC, a year 9999, or a lot of long ago is refused with 422 naming the field, and nothing is written")
    func dates() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            let zone = api.fixture.zoneA.id
            let template = try await api.call(
                .post, site + "/shift-templates", as: "managerA",
                body: """
                    {"name":"早班","zoneId":\(zone),"requires":"nurse","startTime":"08:00","minutes":240,"minStaff":1,"maxStaff":2}
                    """)
            #expect(template.status == 201, "\(template.text)")
            let cases: [(String, String, String)] = [
                (site + "/shifts/generate", #"{"from":"0000-01-01"}"#, "from"),
                (site + "/shifts/generate", #"{"from":"9999-12-31"}"#, "from"),
                (
                    site + "/shifts",
                    #"{"zoneId":\#(zone),"startsAt":"1999-01-01T08:00:00Z","endsAt":"1999-01-01T12:00:00Z","minStaff":1,"maxStaff":2}"#,
                    "startsAt"
                ),
                (
                    site + "/patients",
                    api.admission(bed: api.fixture.bedsA[0].id, sequence: 3)
                        .replacingOccurrences(
                            of: #""phone":"13900000000""#,
                            with: #""phone":"13900000000","admittedAt":"0001-01-01T00:00:00Z""#), "admittedAt"
                ),
                (
                    site + "/patients",
                    api.admission(bed: api.fixture.bedsA[0].id, sequence: 3)
                        .replacingOccurrences(
                            of: #""phone":"13900000000""#,
                            with: #""phone":"13900000000","admittedAt":"9999-01-01T00:00:00Z""#), "admittedAt"
                ),
                (
                    site + "/branch/tasks",
                    #"{"title":"送餐","startsAt":"0001-01-01T08:00:00Z","endsAt":"0001-01-01T09:00:00Z"}"#, "startsAt"
                ),
            ]
            for (path, body, field) in cases {
                let user =
                    path.hasSuffix("/patients") ? "clinicianA" : path.hasSuffix("/tasks") ? "secretaryA" : "managerA"
                let response = try await api.call(.post, path, as: user, body: body)
                // No branch in this fixture: refused before the dates.
                if path.hasSuffix("/tasks") && response.status == 404 { continue }
                #expect(
                    response.status == 422 && response.problemFields.contains(field),
                    "\(path) \(body): \(response.text)")
            }
            #expect(try await api.db.count("SELECT count(*)::int FROM shifts") == 0)
            #expect(try await api.db.count("SELECT count(*)::int FROM patients") == 0)
            let census = try await api.call(.get, site + "/census?until=0001-01-01", as: "managerA")
            #expect(census.status == 422 && census.problemFields == ["until"], "\(census.text)")
        }
    }

    @Test(
        "ten thousand services, a route of a megabyte, a body past the limit: refused naming the field, nothing written"
    )
    func sizes() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            let hospital =
                try await api.call(.post, "/hospitals", body: #"{"code":"PJ1","name":"浦江一院"}"#).json["hospital"]
                as? [String: Any]
            let patient = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 81)["id"] as? Int ?? 0
            let services = Array(repeating: #""chemotherapy""#, count: 10_000).joined(separator: ",")
            let referral = try await api.call(
                .post, site + "/referrals", as: "clinicianA",
                body: """
                    {"patientId":\(patient),"hospitalId":\(hospital?["id"] as? Int ?? 0),"reason":"r","clinicalSummary":"s","services":[\(services)],"urgency":"urgent"}
                    """)
            #expect(
                (400...422).contains(referral.status) && referral.problemFields == ["services"],
                "\(referral.text.prefix(300))")
            #expect(try await api.db.count("SELECT count(*)::int FROM referrals") == 0)

            let plan = try await api.call(
                .post, site + "/patients/\(patient)/care-plans", as: "clinicianA",
                body: #"{"conditions":["hypertension"],"goals":"g","reviewOn":"\#(Soon.day(30))"}"#)
            let planId = plan.json["id"] as? Int ?? 0
            let route = String(repeating: "o", count: 1_000_000)
            let activity = try await api.call(
                .post, site + "/care-plans/\(planId)/activities", as: "clinicianA",
                body: """
                    {"kind":"recovery","description":"walk","route":"\(route)","startsOn":"\(Soon.day(1))"}
                    """)
            #expect(
                (400...422).contains(activity.status) && activity.problemFields == ["route"],
                "\(activity.text.prefix(300))")
            let huge = try await api.call(
                .post, site + "/care-plans/\(planId)/activities", as: "clinicianA",
                body: """
                    {"kind":"recovery","description":"\(String(repeating: "x", count: 1_100_000))","startsOn":"\(Soon.day(1))"}
                    """)
            #expect(huge.status == 413 && huge.problemFields == ["body"], "\(huge.text.prefix(300))")
            #expect(try await api.db.count("SELECT count(*)::int FROM care_activities") == 0)
        }
    }
}
