import Foundation
import Services
import TestSupport
import Testing

@Suite("HTTP: FHIR R4 read view")
struct FHIRAPITests {
    @Test(
        "a referral reads as ServiceRequest and Task field by field; search by owner and status; errors are OperationOutcome"
    )
    func fhirView() async throws {
        try await APIHarness.run { api in
            let hospital =
                try await api.call(
                    .post, "/hospitals", as: "admin",
                    body: """
                        {"code":"PJ1","name":"浦江第一人民医院","departments":[{"code":"ONC","name":"肿瘤科","services":["chemotherapy"]}]}
                        """
                ).json["hospital"] as! [String: Any]
            let hospitalId = hospital["id"] as! Int
            let token = try await api.db.services().hospitals.issueToken(
                hospitalCode: "PJ1", actor: DemoFixture.operatorActor
            ).token
            let patient = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 51)
            let patientId = patient["id"] as! Int
            let created = try await api.call(
                .post, "/sites/\(api.siteA)/referrals", as: "clinicianA",
                body: """
                    {"patientId":\(patientId),"hospitalId":\(hospitalId),"reason":"化疗周期到期","clinicalSummary":"乳腺癌术后辅助化疗",
                     "services":["chemotherapy"],"urgency":"emergency","fastLane":true}
                    """)
            let id = created.json["id"] as! Int
            _ = try await api.call(
                .post, "/hospital/referrals/\(id)/transitions", as: token, body: #"{"to":"accepted"}"#)
            _ = try await api.call(
                .post, "/hospital/referrals/\(id)/transitions", as: token,
                body: #"{"to":"scheduled","appointmentAt":"\#(Soon.instant(30, hour: 1))"}"#)

            let request = try await api.call(.get, "/fhir/ServiceRequest/\(id)", as: token)
            #expect(request.status == 200, "\(request.text)")
            #expect(request.header("Content-Type")?.hasPrefix("application/fhir+json") == true)
            let sr = request.json
            #expect(sr["resourceType"] as? String == "ServiceRequest")
            #expect(sr["id"] as? String == String(id))
            #expect(sr["status"] as? String == "active")
            #expect(sr["intent"] as? String == "order")
            #expect(sr["priority"] as? String == "stat")
            #expect((sr["subject"] as? [String: Any])?["reference"] as? String == "Patient/\(patientId)")
            #expect(
                (sr["performer"] as? [[String: Any]])?.first?["reference"] as? String == "Organization/\(hospitalId)")
            #expect((sr["reasonCode"] as? [[String: Any]])?.first?["text"] as? String == "化疗周期到期")
            #expect((sr["code"] as? [String: Any])?["text"] as? String == "chemotherapy")
            #expect(sr["occurrenceDateTime"] as? String == Soon.instant(30, hour: 1))
            #expect(
                (sr["note"] as? [[String: Any]])?.map { $0["text"] as? String } == [
                    "乳腺癌术后辅助化疗", "nucleic-acid fast lane needed",
                ])

            let task = try await api.call(.get, "/fhir/Task/\(id)", as: "clinicianA").json
            #expect(task["resourceType"] as? String == "Task")
            #expect(task["status"] as? String == "accepted")
            #expect((task["businessStatus"] as? [String: Any])?["text"] as? String == "scheduled")
            #expect((task["focus"] as? [String: Any])?["reference"] as? String == "ServiceRequest/\(id)")
            #expect((task["for"] as? [String: Any])?["reference"] as? String == "Patient/\(patientId)")
            #expect((task["owner"] as? [String: Any])?["reference"] as? String == "Organization/\(hospitalId)")

            let search = try await api.call(
                .get, "/fhir/Task?owner=Organization/\(hospitalId)&status=accepted", as: token
            ).json
            #expect(search["resourceType"] as? String == "Bundle")
            #expect(search["type"] as? String == "searchset")
            #expect(search["total"] as? Int == 1)
            #expect(try await api.call(.get, "/fhir/Task?status=requested", as: token).json["total"] as? Int == 0)

            let missing = try await api.call(.get, "/fhir/Task/99999", as: token)
            #expect(missing.status == 404)
            #expect(missing.header("Content-Type") == "application/fhir+json")
            #expect(missing.json["resourceType"] as? String == "OperationOutcome")
            #expect((missing.json["issue"] as? [[String: Any]])?.first?["code"] as? String == "not-found")
            let bad = try await api.call(.get, "/fhir/Task?status=sleeping", as: token)
            #expect(bad.status == 422)
            #expect((bad.json["issue"] as? [[String: Any]])?.first?["expression"] as? [String] == ["status"])
            #expect(
                try await api.call(.get, "/fhir/Task/\(id)", as: nil).json["resourceType"] as? String
                    == "OperationOutcome")
        }
    }
}
