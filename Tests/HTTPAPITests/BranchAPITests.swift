import Foundation
import TestSupport
import Testing

@Suite("HTTP: the Party branch")
struct BranchAPITests {
    /// A secretary on the staff, a Party-member patient, and the branch.
    func setUp(_ api: APIHarness) async throws -> (patient: [String: Any], nationalId: String) {
        let site = "/sites/\(api.siteA)"
        let secretary = try await api.call(
            .post, site + "/staff", as: "managerA",
            body: """
                {"code":"A01","name":"邵振华","hospital":"浦江一院","profession":"administrator","partyMember":true}
                """)
        #expect(secretary.status == 201)
        let patient = try await api.call(
            .post, site + "/patients", as: "clinicianA",
            body: api.admission(bed: api.fixture.bedsA[0].id, sequence: 31, name: "何雅琴")
        ).json
        #expect(
            try await api.call(
                .post, site + "/branch", as: "managerA",
                body: """
                    {"name":"临时党支部","parentOrganisation":"浦江一院党委","establishedOn":"2022-04-03","secretaryStaffId":\(secretary.json["id"] as! Int)}
                    """
            ).status == 403, "site managers read; the secretary manages")
        let branch = try await api.call(
            .post, site + "/branch", as: "secretaryA",
            body: """
                {"name":"临时党支部","parentOrganisation":"浦江一院党委","establishedOn":"2022-04-03","secretaryStaffId":\(secretary.json["id"] as! Int)}
                """)
        #expect(branch.status == 201, "\(branch.text)")
        return (patient, testNationalID(sequence: 31))
    }

    @Test("a patient checks in with a code and no bearer token; the secretary sees it, the manager reads the dashboard")
    func checkInFlow() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            let (_, nationalId) = try await setUp(api)
            let code = try await api.call(.post, site + "/branch/codes", as: "secretaryA", body: #"{"days":3}"#)
            #expect(code.status == 201, "\(code.text)")
            let secret = code.json["code"] as! String
            let body = """
                {"code":"\(secret)","name":"何雅琴","idLast4":"\(nationalId.suffix(4))","dateOfBirth":"1969-09-02",
                 "homeOrganisation":"朱泾镇东林村党支部","phone":"13900001003"}
                """
            let page = try await api.call(.get, "/check-in?code=\(secret)", as: nil)
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.text.contains("fetch(\"/check-ins\""))
            let checkIn = try await api.call(.post, "/check-ins", as: nil, body: body)
            #expect(checkIn.status == 201, "\(checkIn.text)")
            #expect(
                checkIn.json["status"] as? String == "checked_in" && checkIn.json["bedCode"] == nil
                    && !checkIn.text.contains("A-001"))
            let again = try await api.call(.post, "/check-ins", as: nil, body: body)
            #expect(again.status == 201 && again.text == checkIn.text, "a repeat reads as the first")
            #expect(try await api.call(.get, site + "/branch/check-ins", as: "secretaryA").items.count == 1)
            let dashboard = try await api.call(.get, site + "/branch/dashboard", as: "managerA")
            #expect(dashboard.status == 200)
            #expect((dashboard.json["patientMembersByZone"] as? [[String: Any]])?.first?["key"] as? String == "A")
            let poster = try await api.call(
                .get, site + "/branch/codes/\(code.json["codeId"] as! Int)/poster?format=svg", as: "managerA")
            #expect(poster.status == 200)
            #expect(poster.header("Content-Type")?.hasPrefix("image/svg+xml") == true)
            #expect(try await api.call(.get, site + "/branch", as: "clinicianA").status == 403)
        }
    }

    @Test("check-ins are rate-limited per code and address, and bad input writes nothing")
    func limitsAndBadInput() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            _ = try await setUp(api)
            let code =
                try await api.call(.post, site + "/branch/codes", as: "secretaryA", body: "{}").json["code"] as! String
            let cases: [(String, Int, String)] = [
                (
                    #"{"code":"\#(code)","name":"何雅琴","idLast4":"12","dateOfBirth":"1969-09-02","homeOrganisation":"x","phone":"13900001003"}"#,
                    422, "idLast4"
                ),
                (
                    #"{"code":"\#(code)","name":"何雅琴","idLast4":"1234","dateOfBirth":"1969-09-02","homeOrganisation":"x"}"#,
                    400, "phone"
                ),
                (
                    #"{"code":"\#(code)","name":"何雅琴","idLast4":"1234","homeOrganisation":"x","phone":"13900001003"}"#,
                    400, "dateOfBirth"
                ),
                (
                    #"{"code":"\#(code)","name":"何雅琴","idLast4":"1234","dateOfBirth":"1969-09-02","homeOrganisation":"x","phone":"1","extra":1}"#,
                    400, "extra"
                ),
                (
                    #"{"code":"not-a-code","name":"何雅琴","idLast4":"1234","dateOfBirth":"1969-09-02","homeOrganisation":"x","phone":"13900001003"}"#,
                    403, "not a check-in code"
                ),
            ]
            for (body, status, mention) in cases {
                let response = try await api.call(.post, "/check-ins", as: nil, body: body)
                #expect(response.status == status, "\(body): \(response.text)")
                #expect(response.text.contains(mention), "\(body): \(response.text)")
            }
            var statuses: [Int] = []
            for _ in 0..<12 {
                statuses.append(
                    try await api.call(
                        .post, "/check-ins", as: nil,
                        body: """
                            {"code":"\(code)","name":"无此人","idLast4":"0000","dateOfBirth":"1969-09-02","homeOrganisation":"x","phone":"13900001003"}
                            """
                    ).status)
            }
            #expect(statuses.filter { $0 == 429 }.count >= 2, "\(statuses)")
            let limited = try await api.call(
                .post, "/check-ins", as: nil,
                body: """
                    {"code":"\(code)","name":"无此人","idLast4":"0000","dateOfBirth":"1969-09-02","homeOrganisation":"x","phone":"13900001003"}
                    """)
            #expect(limited.status == 429 && limited.header("Retry-After") != nil)
            #expect(try await api.db.count("SELECT count(*)::int FROM branch_checkins") == 0)
            let task = try await api.call(
                .post, site + "/branch/tasks", as: "secretaryA",
                body: """
                    {"title":"送餐","startsAt":"\(Soon.instant(10, hour: 8))","endsAt":"\(Soon.instant(10, hour: 7))"}
                    """)
            #expect(task.status == 422)
            #expect(task.problemFields == ["endsAt"])
            #expect(try await api.db.count("SELECT count(*)::int FROM branch_tasks") == 0)
        }
    }
}
