import Domain
import Foundation
import TestSupport
import Testing

@Suite("HTTP: the district's board and the next bus")
struct DistrictAPITests {
    @Test(
        "a commander lists their district, reads its board and asks where the next bus goes; bad counts, another district, a write and a clinician are refused"
    )
    func commander() async throws {
        try await APIHarness.run { api in
            let services = api.db.services()
            let op = DemoFixture.operatorActor
            let jinshan = try await services.districts.district(named: "Jinshan", actor: op)
            let pudong = try await services.districts.district(named: "Pudong", actor: op)
            _ = try await services.access.createUser(username: "cmd-wu", displayName: "吴指挥", actor: op)
            _ = try await services.access.setGrant(
                username: "cmd-wu", Grant(role: .districtCommander, siteId: nil, districtId: jinshan.id), actor: op)
            let token = try await services.access.issueToken(username: "cmd-wu", actor: op).token

            let me = try await api.call(.get, "/me", as: token)
            let grants = me.json["grants"] as? [[String: Any]] ?? []
            #expect(grants.count == 1 && grants[0]["siteId"] as? Int == Int(api.siteA.rawValue))
            #expect(
                grants[0]["role"] as? String == "district_commander"
                    && grants[0]["districtId"] as? Int == Int(jinshan.id.rawValue))

            let districts = try await api.call(.get, "/districts", as: token)
            #expect(districts.status == 200 && (districts.json["items"] as? [[String: Any]])?.count == 1)
            let board = try await api.call(.get, "/districts/\(jinshan.id)/board", as: token)
            #expect(board.status == 200, "\(board.text)")
            let sites = board.json["sites"] as? [[String: Any]] ?? []
            #expect(sites.map { $0["code"] as? String } == ["TA-01"])
            #expect((sites.first?["beds"] as? [String: Any])?["free"] as? Int == 6)

            let advice = try await api.call(
                .post, "/districts/\(jinshan.id)/next-bus", as: token, body: #"{"counts":{"women":4,"men":3}}"#)
            #expect(advice.status == 200, "\(advice.text)")
            let ranking = advice.json["ranking"] as? [[String: Any]] ?? []
            #expect(ranking.first?["placed"] as? Int == 6 && advice.json["leftOver"] as? Int == 1)
            let byList = try await api.call(
                .post, "/districts/\(jinshan.id)/next-bus", as: token,
                body: """
                    {"persons":[{"name":"甲","sex":"female","dateOfBirth":"1944-01-01","nationalId":"\(testNationalID(born: "19440101", sequence: 1))"}]}
                    """)
            let listed = (byList.json["ranking"] as? [[String: Any]])?.first
            #expect(
                listed?["placed"] as? Int == 0, "an 82-year-old needs a bed near the nurses' station: \(byList.text)")

            for bad in [
                #"{"counts":{"women":-1,"men":3}}"#, #"{}"#, #"{"counts":{"women":1,"men":1,"nearStation":5}}"#,
            ] {
                let refused = try await api.call(.post, "/districts/\(jinshan.id)/next-bus", as: token, body: bad)
                #expect([400, 422].contains(refused.status), "\(bad): \(refused.text)")
            }
            #expect(try await api.call(.get, "/districts/\(pudong.id)/board", as: token).status == 404)
            let write = try await api.call(
                .post, "/sites/\(api.siteA)/patients", as: token,
                body: api.admission(bed: api.fixture.bedsA[0].id, sequence: 9))
            #expect(write.status == 403)
            #expect(try await api.call(.get, "/sites/\(api.siteA)/daily-report", as: token).status == 200)
            #expect(try await api.call(.get, "/sites/\(api.siteB)/daily-report", as: token).status == 404)
            #expect(try await api.call(.get, "/districts", as: "clinicianA").status == 403)
        }
    }
}
