import Foundation
import TestSupport
import Testing

@Suite("HTTP: staff and rosters")
struct RosterAPITests {
    static let day = ISO8601DateFormatter.string(
        from: Date().addingTimeInterval(20 * 86_400), timeZone: TimeZone(identifier: "Asia/Shanghai")!,
        formatOptions: [.withFullDate])

    /// A team, two nurses with PPE records, and a contaminated-zone shift on `day`.
    func setUp(_ api: APIHarness) async throws -> (nurses: [Int], shift: Int) {
        let site = "/sites/\(api.siteA)"
        let team = try await api.call(
            .post, site + "/teams", as: "managerA",
            body: """
                {"name":"第一批医疗队","dispatchingHospital":"浦江第一人民医院","arrivesOn":"2022-04-03"}
                """)
        #expect(team.status == 201, "\(team.text)")
        var nurses: [Int] = []
        for (code, name) in [("N1", "许春梅"), ("N2", "陆晓燕")] {
            let nurse = try await api.call(
                .post, site + "/staff", as: "managerA",
                body: """
                    {"code":"\(code)","name":"\(name)","hospital":"浦江第一人民医院","profession":"nurse","teamId":\(team.json["id"] as! Int),
                     "partyMember":true,"phone":"13900000001"}
                    """)
            #expect(nurse.status == 201, "\(nurse.text)")
            let id = nurse.json["id"] as! Int
            let training = try await api.call(
                .post, site + "/staff/\(id)/trainings", as: "managerA",
                body: """
                    {"kind":"ppe_donning_doffing","gainedOn":"2022-04-03","certifiedBy":"护士长"}
                    """)
            #expect(training.status == 201, "\(training.text)")
            nurses.append(id)
        }
        let shift = try await api.call(
            .post, site + "/shifts", as: "managerA",
            body: """
                {"zoneId":\(api.fixture.zoneA.id),"requires":"nurse","startsAt":"\(Self.day)T00:00:00Z","endsAt":"\(Self.day)T04:00:00Z",
                 "minStaff":1,"maxStaff":2}
                """)
        #expect(shift.status == 201, "\(shift.text)")
        return (nurses, shift.json["id"] as! Int)
    }

    @Test("a manager assigns, checks, publishes and swaps; clinicians read; the feeds come back as CSV and iCalendar")
    func rosterFlow() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            let (nurses, shift) = try await setUp(api)
            let assigned = try await api.call(
                .post, site + "/shifts/\(shift)/assignments", as: "managerA", body: #"{"staffId":\#(nurses[0])}"#)
            #expect(assigned.status == 201, "\(assigned.text)")
            let assignment = (assigned.json["assignments"] as! [[String: Any]])[0]
            #expect(assignment["state"] as? String == "draft")
            #expect(
                try await api.call(
                    .post, site + "/shifts/\(shift)/assignments", as: "clinicianA",
                    body: #"{"staffId":\#(nurses[1])}"#
                ).status == 403)
            #expect(
                try await api.call(.get, site + "/roster?from=\(Self.day)&through=\(Self.day)", as: "clinicianB").status
                    == 404)

            let check = try await api.call(
                .get, site + "/roster/check?from=\(Self.day)&through=\(Self.day)", as: "clinicianA")
            #expect(check.status == 200)
            #expect(check.json["hard"] as? Int == 0)
            let published = try await api.call(
                .post, site + "/roster/publish", as: "managerA",
                body: #"{"from":"\#(Self.day)","through":"\#(Self.day)"}"#)
            #expect(published.status == 200, "\(published.text)")
            #expect(published.json["published"] as? Int == 1)

            let path = site + "/assignments/\(assignment["id"] as! Int)"
            let read = try await api.call(.get, path, as: "clinicianA")
            let etag = read.header("ETag")!
            #expect(
                try await api.call(.post, path + "/replace", as: "managerA", body: #"{"staffId":\#(nurses[1])}"#).status
                    == 428)
            #expect(
                try await api.call(
                    .post, path + "/replace", as: "managerA", body: #"{"staffId":\#(nurses[1])}"#,
                    headers: ["If-Match": "\"999\""]
                ).status == 412)
            let replaced = try await api.call(
                .post, path + "/replace", as: "managerA", body: #"{"staffId":\#(nurses[1])}"#,
                headers: ["If-Match": etag])
            #expect(replaced.status == 200, "\(replaced.text)")
            #expect((replaced.json["assignments"] as! [[String: Any]])[0]["staffCode"] as? String == "N2")

            let roster = try await api.call(
                .get, site + "/staff/\(nurses[1])/roster?from=\(Self.day)&through=\(Self.day)", as: "clinicianA")
            #expect(roster.items.count == 1)
            let coverage = try await api.call(.get, site + "/roster/coverage?from=\(Self.day)&days=1", as: "managerA")
            #expect(coverage.items.first?["published"] as? Int == 1)

            let ics = try await api.call(
                .get, site + "/staff/\(nurses[1])/roster.ics?from=\(Self.day)&through=\(Self.day)", as: "clinicianA")
            #expect(ics.status == 200)
            #expect(ics.header("Content-Type")?.hasPrefix("text/calendar") == true)
            #expect(ics.text.contains("BEGIN:VEVENT\r\n"))
            let csv = try await api.call(
                .get, site + "/roster.csv?from=\(Self.day)&through=\(Self.day)", as: "managerA")
            #expect(csv.header("Content-Type")?.hasPrefix("text/csv") == true)
            #expect(csv.text.hasSuffix(",A,nurse,1,2,N2\n"))
            #expect(
                try await api.db.count("SELECT count(*)::int FROM audit_log WHERE entity = 'shift_assignment'") == 2)
        }
    }

    @Test("a CSV posted to the import endpoint is all or nothing, with each bad line named")
    func importEndpoint() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            _ = try await setUp(api)
            let bad =
                "date,start,end,zone,requires,min_staff,max_staff,staff_code\n\(Self.day),08:00,12:00,A,nurse,1,2,N1\n\(Self.day),08:00,12:00,A,nurse,x,2,N2\n"
            let refused = try await api.call(
                .post, site + "/roster/import", as: "managerA", body: bad, headers: ["Content-Type": "text/csv"])
            #expect(refused.status == 422, "\(refused.text)")
            #expect(refused.problemFields == ["line 3"])
            #expect(try await api.db.count("SELECT count(*)::int FROM shift_assignments") == 0)
            let good = bad.replacingOccurrences(of: ",x,", with: ",1,")
            let loaded = try await api.call(
                .post, site + "/roster/import", as: "managerA", body: good, headers: ["Content-Type": "text/csv"])
            #expect(loaded.status == 200, "\(loaded.text)")
            #expect(loaded.json["assignmentsCreated"] as? Int == 2)
        }
    }

    @Test("bad input gets a 4xx naming the field, and nothing is written")
    func badInput() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            let (nurses, shift) = try await setUp(api)
            let before =
                try await api.db.count("SELECT count(*)::int FROM staff")
                + (try await api.db.count("SELECT count(*)::int FROM shift_assignments"))
            let cases: [(String, String, Int, String)] = [
                (
                    site + "/staff", #"{"code":"N9","name":"x","hospital":"h","profession":"surgeon"}"#, 400,
                    "profession"
                ),
                (
                    site + "/staff", #"{"code":"N9","name":"x","hospital":"h","profession":"nurse","shoeSize":42}"#,
                    400, "shoeSize"
                ),
                (
                    site + "/staff",
                    #"{"code":"N 9!","name":"x","hospital":"h","profession":"nurse","phone":"call me"}"#, 422, "code"
                ),
                (site + "/staff", #"{"code":"N1","name":"x","hospital":"h","profession":"nurse"}"#, 409, "code"),
                (
                    site + "/shifts",
                    #"{"zoneId":\#(api.fixture.zoneA.id),"startsAt":"\#(Soon.instant(10, hour: 8))","endsAt":"\#(Soon.instant(10, hour: 7))","minStaff":3,"maxStaff":2}"#,
                    422, "endsAt"
                ),
                (site + "/shifts/\(shift)/assignments", #"{"staffId":"one"}"#, 400, "staffId"),
                (site + "/shifts/\(shift)/assignments", #"{"staffId":0}"#, 422, "staffId"),
                (site + "/shifts/\(shift)/assignments", #"{"staffId":99999}"#, 422, "staffId"),
                (
                    site + "/roster/publish", #"{"from":"\#(Soon.day(40))","through":"\#(Soon.day(10))"}"#, 422,
                    "through"
                ),
                (site + "/roster/publish", #"{"from":"2030-02-30","through":"2030-03-01"}"#, 422, "from"),
            ]
            for (path, body, status, field) in cases {
                let response = try await api.call(.post, path, as: "managerA", body: body)
                #expect(response.status == status, "\(path) \(body): \(response.text)")
                #expect(
                    response.problemFields.contains(field) || response.text.contains(field), "\(body): \(response.text)"
                )
                #expect(response.header("Content-Type") == "application/problem+json")
            }
            #expect(
                try await api.call(
                    .post, site + "/shifts/999999/assignments", as: "managerA", body: #"{"staffId":\#(nurses[0])}"#
                ).status == 404)
            #expect(try await api.call(.get, site + "/roster/check?from=2030-01-01", as: "managerA").status == 400)
            let after =
                try await api.db.count("SELECT count(*)::int FROM staff")
                + (try await api.db.count("SELECT count(*)::int FROM shift_assignments"))
            #expect(after == before)
        }
    }
}

@Suite("HTTP: calendar subscriptions")
struct CalendarFeedAPITests {
    @Test("a secret calendar address serves one person's published shifts without a token until it is revoked")
    func subscription() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            let (nurses, shift) = try await RosterAPITests().setUp(api)
            _ = try await api.call(
                .post, site + "/shifts/\(shift)/assignments", as: "managerA", body: #"{"staffId":\#(nurses[0])}"#)
            _ = try await api.call(
                .post, site + "/roster/publish", as: "managerA",
                body: #"{"from":"\#(RosterAPITests.day)","through":"\#(RosterAPITests.day)"}"#)
            #expect(
                try await api.call(
                    .post, site + "/calendar-feeds", as: "clinicianA", body: #"{"staffId":\#(nurses[0])}"#
                ).status == 403)
            let issued = try await api.call(
                .post, site + "/calendar-feeds", as: "managerA", body: #"{"staffId":\#(nurses[0])}"#)
            #expect(issued.status == 201, "\(issued.text)")
            let path = issued.json["path"] as! String
            #expect(path.hasPrefix("/calendar-feeds/cal_"))
            let feed = try await api.call(.get, path, as: nil)
            #expect(feed.status == 200, "\(feed.text)")
            #expect(feed.text.contains("X-WR-CALNAME:许春梅 — Test site A"))
            #expect(feed.text.components(separatedBy: "BEGIN:VEVENT").count == 2)
            #expect(try await api.call(.get, "/calendar-feeds/cal_guessed", as: nil).status == 404)
            #expect(
                try await api.call(.delete, site + "/calendar-feeds/\(issued.json["id"] as! Int)", as: "managerA")
                    .status == 204)
            #expect(try await api.call(.get, path, as: nil).status == 404)
        }
    }
}
