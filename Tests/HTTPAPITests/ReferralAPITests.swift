import Foundation
import Services
import TestSupport
import Testing

@Suite("HTTP: referrals and the hospital integration")
struct ReferralAPITests {
    @Test(
        "a clinician refers, the hospital's system lists, accepts (retried with the same key) and schedules; another hospital gets 404"
    )
    func hospitalFlow() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            let hospital = try await api.call(
                .post, "/hospitals", as: "admin",
                body: """
                    {"code":"PJ1","name":"浦江第一人民医院","departments":[{"code":"ONC","name":"肿瘤科","services":["chemotherapy"]}]}
                    """)
            #expect(hospital.status == 201, "\(hospital.text)")
            _ = try await api.call(.post, "/hospitals", as: "admin", body: #"{"code":"SC","name":"申城中医医院"}"#)
            let services = api.db.services()
            let op = DemoFixture.operatorActor
            let pj1 = try await services.hospitals.issueToken(hospitalCode: "PJ1", actor: op).token
            let sc = try await services.hospitals.issueToken(hospitalCode: "SC", actor: op).token
            let patient = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 41)
            let hospitalJSON = hospital.json["hospital"] as! [String: Any]
            let body = """
                {"patientId":\(patient["id"] as! Int),"hospitalId":\(hospitalJSON["id"] as! Int),
                 "departmentId":\(((hospitalJSON["departments"] as! [[String: Any]])[0]["id"]) as! Int),
                 "reason":"化疗周期到期","clinicalSummary":"乳腺癌术后辅助化疗","services":["chemotherapy"],"urgency":"urgent","fastLane":true}
                """
            let created = try await api.call(.post, site + "/referrals", as: "clinicianA", body: body)
            #expect(created.status == 201, "\(created.text)")
            let id = created.json["id"] as! Int
            let listed = try await api.call(.get, "/hospital/referrals?since=2020-01-01T00:00:00Z", as: pj1)
            #expect(listed.items.map { $0["id"] as? Int } == [id])
            #expect(try await api.call(.get, "/hospital/referrals", as: sc).items.isEmpty)
            #expect(
                try await api.call(.post, "/hospital/referrals/\(id)/transitions", as: sc, body: #"{"to":"accepted"}"#)
                    .status == 404)
            let accept = #"{"to":"accepted","note":"床位已留"}"#
            let first = try await api.call(
                .post, "/hospital/referrals/\(id)/transitions", as: pj1, body: accept,
                headers: ["Idempotency-Key": "a-1"])
            #expect(first.status == 200, "\(first.text)")
            let retry = try await api.call(
                .post, "/hospital/referrals/\(id)/transitions", as: pj1, body: accept,
                headers: ["Idempotency-Key": "a-1"])
            #expect(retry.header("Idempotency-Replayed") == "true")
            let noTime = try await api.call(
                .post, "/hospital/referrals/\(id)/transitions", as: pj1, body: #"{"to":"scheduled"}"#)
            #expect(noTime.status == 422)
            #expect(noTime.problemFields == ["appointmentAt"])
            let illegal = try await api.call(
                .post, "/hospital/referrals/\(id)/transitions", as: pj1,
                body: #"{"to":"completed","outcome":"admitted"}"#)
            #expect(illegal.status == 409)
            #expect(illegal.json["allowed"] as? [String] == ["scheduled", "cancelled", "failed"])
            let scheduled = try await api.call(
                .post, "/hospital/referrals/\(id)/transitions", as: pj1,
                body: #"{"to":"scheduled","appointmentAt":"\#(Soon.instant(30, hour: 1))"}"#)
            #expect(scheduled.status == 200)
            let shown = try await api.call(.get, site + "/referrals/\(id)", as: "managerA")
            #expect(
                (shown.json["events"] as? [[String: Any]])?.map { $0["toStatus"] as? String } == [
                    "requested", "accepted", "scheduled",
                ])
            #expect(
                try await api.db.count("SELECT count(*)::int FROM referral_events WHERE to_status = 'accepted'") == 1)
            #expect(try await api.call(.get, "/referrals/overdue", as: "managerA").status == 200)
            let unknown = try await api.call(
                .post, site + "/referrals", as: "clinicianA",
                body: body.replacingOccurrences(
                    of: "\"hospitalId\":\(hospitalJSON["id"] as! Int)", with: "\"hospitalId\":999"))
            #expect(unknown.status == 422)
            #expect(unknown.problemFields.contains("hospitalId"))
        }
    }
}
