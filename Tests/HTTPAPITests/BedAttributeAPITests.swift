import Domain
import Foundation
import TestSupport
import Testing

@Suite("HTTP: bed attributes")
struct BedAttributeAPITests {
    @Test(
        "a bay imported with its beds, a room set by PUT with If-Match, a wrong-sex admission refused; missing If-Match, stale versions, bad fields, a clinician and another site are refused"
    )
    func attributes() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            let zone = api.fixture.zoneA.id
            let range = try await api.call(
                .post, site + "/bed-ranges", as: "managerA",
                body:
                    #"{"zoneId":\#(zone),"prefix":"B3-","first":1,"last":3,"width":2,"attributes":{"bay":"B3","singleSex":"male","oxygen":true}}"#
            )
            #expect(range.status == 201, "\(range.text)")
            let items = range.json["items"] as? [[String: Any]] ?? []
            let attributes = items.map { $0["attributes"] as? [String: Any] ?? [:] }
            #expect(attributes.count == 3 && attributes.allSatisfy { $0["bay"] as? String == "B3" })
            #expect(attributes.allSatisfy { $0["singleSex"] as? String == "male" && $0["oxygen"] as? Bool == true })
            #expect(attributes.allSatisfy { $0["nearStation"] as? Bool == false && $0["room"] == nil })

            let refusedAdmission = try await api.call(
                .post, site + "/patients", as: "clinicianA",
                body: api.admission(bed: Bed.ID(rawValue: Int64(items[0]["id"] as? Int ?? 0)), sequence: 1))
            #expect(refusedAdmission.status == 422 && refusedAdmission.problemFields == ["bedId"])
            #expect(refusedAdmission.text.contains("kept for men"), "\(refusedAdmission.text)")

            let bed = api.fixture.bedsA[0]
            let path = "\(site)/beds/\(bed.id)/attributes"
            let body = #"{"room":"301","nearStation":true,"singleSex":"female"}"#
            #expect(try await api.call(.put, path, as: "managerA", body: body).status == 428)
            let set = try await api.call(.put, path, as: "managerA", body: body, headers: ["If-Match": "\"1\""])
            #expect(set.status == 200 && set.header("ETag") == "\"2\"", "\(set.text)")
            let room = set.json["attributes"] as? [String: Any] ?? [:]
            #expect(room["room"] as? String == "301" && room["nearStation"] as? Bool == true)
            #expect(room["accessible"] as? Bool == false && room["singleSex"] as? String == "female")
            let stale = try await api.call(.put, path, as: "managerA", body: body, headers: ["If-Match": "\"1\""])
            #expect(stale.status == 412)

            for (bad, field) in [
                (#"{"room":"301","bay":"B3"}"#, "bay"), (#"{"singleSex":"female"}"#, "singleSex"),
                (#"{"room":""}"#, "room"), (#"{"room":"301","colour":"blue"}"#, "colour"),
                (#"{"oxygen":"yes"}"#, "oxygen"), (#"{"bay":"B3"}"#, "singleSex"),
            ] {
                let refused = try await api.call(.put, path, as: "managerA", body: bad, headers: ["If-Match": "\"2\""])
                #expect([400, 422].contains(refused.status), "\(bad): \(refused.text)")
                #expect(refused.problemFields.contains { $0.hasSuffix(field) }, "\(bad): \(refused.text)")
            }
            let after = try await api.call(.get, "\(site)/beds/\(bed.id)", as: "clinicianA")
            #expect(after.header("ETag") == "\"2\"", "nothing refused was written")

            let clinician = try await api.call(
                .put, path, as: "clinicianA", body: body, headers: ["If-Match": "\"2\""])
            #expect(clinician.status == 403)
            let other = try await api.call(
                .put, "/sites/\(api.siteB)/beds/\(api.fixture.bedsB[0].id)/attributes", as: "managerA", body: body,
                headers: ["If-Match": "\"1\""])
            #expect(other.status == 404)
        }
    }
}
