import Domain
import Foundation
import TestSupport
import Testing

@Suite("HTTP: who may move a site into another district")
struct SiteDistrictTests {
    /// Site A as `PUT /sites/{id}` takes it, in `district`.
    static func body(district: String, capacity: Int = 10) -> String {
        #"{"code":"TA-01","name":"Test site A","district":"\#(district)","address":"1 Test Road","kind":"centralised_isolation","bedCapacity":\#(capacity),"openedOn":"2022-04-03"}"#
    }

    @Test("a site manager may edit the site but not move it out of its district; an admin may, audited")
    func onlyAdminMovesDistrict() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            let moved = try await api.call(
                .put, site, as: "managerA", body: Self.body(district: "Songjiang"), headers: ["If-Match": "\"1\""])
            #expect(moved.status == 403)
            #expect(moved.text.contains("district"), "\(moved.text)")
            #expect(try await api.call(.get, site).json["district"] as? String == "Jinshan")
            #expect(try await api.db.count("SELECT count(*)::int FROM districts WHERE name = 'Songjiang'") == 0)
            #expect(
                try await api.db.count(
                    "SELECT count(*)::int FROM sites s JOIN districts d ON d.id = s.district_id WHERE s.code = 'TA-01' AND d.name = 'Jinshan'"
                ) == 1)

            // The manager still edits everything else.
            let edited = try await api.call(
                .put, site, as: "managerA", body: Self.body(district: "Jinshan", capacity: 12),
                headers: ["If-Match": "\"1\""])
            #expect(edited.status == 200)

            let byAdmin = try await api.call(
                .put, site, body: Self.body(district: "Fengxian", capacity: 12), headers: ["If-Match": "\"2\""])
            #expect(byAdmin.status == 200)
            #expect(byAdmin.json["district"] as? String == "Fengxian")
            #expect(
                try await api.db.count(
                    "SELECT count(*)::int FROM audit_log WHERE action = 'change_district' AND before->>'district' = 'Jinshan' AND after->>'district' = 'Fengxian' AND actor_name = 'admin'"
                ) == 1)
        }
    }
}
