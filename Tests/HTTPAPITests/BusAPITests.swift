import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("HTTP and console: residential committees and buses home")
struct BusAPITests {
    @Test(
        "REST: a committee added, a plan made, the manifest as CSV and PDF, the departure; bad input refused naming the field"
    )
    func rest() async throws {
        try await WebConsoleTests.run { api, services in
            let district = try await services.districts.district(
                named: api.fixture.siteA.district, actor: DemoFixture.operatorActor)
            let committees = "/districts/\(district.id)/residential-committees"
            let made = try await api.call(
                .post, committees, as: "admin", body: #"{"name":"卫零居委会","street":"石化街道","contactPhone":"021-57940000"}"#
            )
            #expect(made.status == 201 && made.json["street"] as? String == "石化街道", "\(made.text)")
            let again = try await api.call(
                .post, committees, as: "admin", body: #"{"name":"卫零居委会","street":"别处"}"#)
            #expect(again.status == 409, "\(again.text)")
            let blank = try await api.call(.post, committees, as: "admin", body: #"{"name":"","street":"x"}"#)
            #expect((400..<500).contains(blank.status) && blank.problemFields.contains("name"), "\(blank.text)")
            #expect(try await api.call(.get, committees, as: "clinicianA").status == 403)
            let hook = "/residential-committees/\(try #require(made.json["id"] as? Int))/webhook"
            let set = try await api.call(.put, hook, as: "admin", body: #"{"url":"https://committee.example/hook"}"#)
            #expect(
                set.status == 200 && (set.json["webhookSecret"] as? String)?.hasPrefix("whsec_") == true, "\(set.text)")
            #expect(
                (set.json["committee"] as? [String: Any])?["webhookUrl"] as? String == "https://committee.example/hook")
            for (body, field) in [
                (#"{"url":"ftp://x"}"#, "url"), (#"{"url":"https://x.example","secret":"s"}"#, "secret"),
            ] {
                let refused = try await api.call(.put, hook, as: "admin", body: body)
                #expect(
                    (400..<500).contains(refused.status) && refused.problemFields.contains(field), "\(refused.text)")
            }
            #expect(
                try await api.call(.put, hook, as: "clinicianA", body: #"{"url":"https://x.example"}"#).status == 403)
            let unknown = try await api.call(
                .put, "/residential-committees/999999/webhook", as: "admin", body: #"{"url":"https://x.example"}"#)
            #expect(unknown.status == 404, "\(unknown.text)")
            let removed = try await api.call(.delete, hook, as: "admin")
            #expect(removed.status == 200 && removed.json["webhookSecret"] == nil, "\(removed.text)")

            let patients = try await ReleaseCertificateAPITests.released(api, services, count: 2)
            // Their homes were not recorded at admission: the plan says so rather than guessing.
            let site = "/sites/\(api.siteA)"
            let departs = RFC3339.string(Date(timeIntervalSinceNow: 3600))
            let unplaced = try await api.call(
                .post, site + "/release-buses", as: "managerA", body: #"{"seats":40,"departsAt":"\#(departs)"}"#)
            #expect(unplaced.status == 201, "\(unplaced.text)")
            #expect(
                (unplaced.json["unplaced"] as? [Any])?.count == 2 && (unplaced.json["buses"] as? [Any])?.isEmpty == true
            )
            try await api.db.asOwner(
                "UPDATE patients SET committee = '卫零居委会', committee_id = (SELECT id FROM residential_committees) WHERE id IN (\(patients.map { String($0.id) }.joined(separator: ",")))"
            )
            for (body, field) in [
                (#"{"seats":2,"departsAt":"\#(departs)"}"#, "seats"), (#"{"seats":40}"#, "departsAt"),
                (#"{"seats":40,"departsAt":"\#(departs)","bus":1}"#, "bus"),
            ] {
                let refused = try await api.call(.post, site + "/release-buses", as: "managerA", body: body)
                #expect(
                    (400..<500).contains(refused.status) && refused.problemFields.contains(field),
                    "\(body): \(refused.text)")
            }
            let plan = try await api.call(
                .post, site + "/release-buses", as: "managerA", body: #"{"seats":40,"departsAt":"\#(departs)"}"#)
            let bus = try #require((plan.json["buses"] as? [[String: Any]])?.first)
            #expect((bus["passengers"] as? [Any])?.count == 2 && bus["destination"] as? String == "石化街道")
            let busId = try #require(bus["id"] as? Int)
            let csv = try await api.call(.get, site + "/release-buses/\(busId)/manifest", as: "clinicianA")
            #expect(csv.status == 200 && csv.text.split(whereSeparator: \.isNewline).count == 3, "\(csv.text)")
            let pdf = try await api.call(.get, site + "/release-buses/\(busId)/manifest?format=pdf", as: "clinicianA")
            #expect(pdf.status == 200 && pdf.text.hasPrefix("%PDF"))
            let gone = try await api.call(.post, site + "/release-buses/\(busId)/departure", as: "managerA")
            #expect(gone.status == 200 && gone.json["departedAt"] != nil, "\(gone.text)")
            #expect(try await api.call(.post, site + "/release-buses/999999/departure", as: "managerA").status == 404)
            let list = try await api.call(.get, site + "/release-buses", as: "managerA")
            #expect((list.json["buses"] as? [Any])?.count == 1)

            // The console lists the bus with its manifest and plans from a form.
            let office = ConsoleClient(api.client)
            _ = try await office.signIn("managerA", WebConsoleTests.password)
            let page = try await office.get("/console/sites/TA-01/release")
            #expect(page.html.contains("返家车辆 (1)") && page.html.contains("石化街道"), "\(page.html)")
            #expect(page.html.contains("/release/buses/\(busId)/manifest.pdf"))
            // The committee's public page, and its answer from a phone without signing in.
            let notices = try await api.call(.get, site + "/committee-notices", as: "managerA")
            let notice = try #require(
                ((try? JSONSerialization.jsonObject(with: Data(notices.text.utf8))) as? [[String: Any]])?.first,
                "\(notices.text)")
            let link = try #require(notice["link"] as? String)
            let path = URL(string: link)!.path
            let committee = ConsoleClient(api.client)
            let open = try await committee.get(path)
            #expect(open.status == 200 && open.html.contains("本车有 2 人返回贵居委会"), "\(open.html)")
            let acknowledged = try await committee.post(path, [("name", "王主任")])
            #expect(acknowledged.status == 200 && acknowledged.html.contains("已由 王主任"), "\(acknowledged.html)")
            try await api.db.asOwner(
                "UPDATE committee_notices SET sent_at = now() - interval '3 hours', acknowledged_at = NULL, acknowledged_by = NULL"
            )
            let board = try await office.get("/console/sites/TA-01")
            #expect(board.html.contains("1 个居委会尚未确认返家车辆"), "the board escalates: \(board.html)")
            // So does the district's, in JSON and in the console.
            let districtBoard = try await api.call(.get, "/districts/\(district.id)/board", as: "admin")
            let line = try #require(
                (districtBoard.json["sites"] as? [[String: Any]])?.first { $0["code"] as? String == "TA-01" })
            let release = try #require(line["release"] as? [String: Any])
            #expect(release["releasedToday"] as? Int == 2 && release["busesLeftToday"] as? Int == 1, "\(release)")
            #expect(release["committeesUnanswered"] as? Int == 1 && release["committeesOverdue"] as? Int == 1)
            let op = DemoFixture.operatorActor
            _ = try await services.access.createUser(username: "cmd-wu", displayName: "吴指挥", actor: op)
            _ = try await services.access.setGrant(
                username: "cmd-wu", Grant(role: .districtCommander, siteId: nil, districtId: district.id), actor: op)
            try await services.console.setPassword(username: "cmd-wu", password: WebConsoleTests.password, actor: op)
            let command = ConsoleClient(api.client)
            _ = try await command.signIn("cmd-wu", WebConsoleTests.password)
            let districtPage = try await command.get("/console/districts/\(district.id)")
            #expect(
                districtPage.html.contains(#"data-fact="committees-overdue">1<"#)
                    && districtPage.html.contains(#"data-total="released">2<"#), "\(districtPage.html)")
            let replanned = try await office.post(
                "/console/sites/TA-01/release/buses",
                [("csrf", try #require(page.csrf)), ("seats", "40"), ("departsAt", "2099-01-01T08:00")])
            #expect(replanned.status == 422 && replanned.html.contains("seven days"), "\(replanned.html)")
        }
    }
}
