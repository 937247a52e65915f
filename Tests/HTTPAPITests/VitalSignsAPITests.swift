import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("HTTP: vital signs and NEWS2")
struct VitalSignsAPITests {
    @Test(
        "REST: a set recorded and scored, a partial one unscored, the list; the SpO2 scale set by a clinician; bad input refused naming the field and writing nothing"
    )
    func rest() async throws {
        try await WebConsoleTests.run { api, services in
            let patient = try #require(try await ReleaseAPITests.clear(api, services: services, count: 1).first)
            let path = "/sites/\(api.siteA)/patients/\(patient.id)/vital-signs"
            let taken = RFC3339.string(Date(timeIntervalSinceNow: -300))
            let full =
                #"{"takenAt":"\#(taken)","respirationRate":22,"spo2":95,"onOxygen":false,"systolic":105,"pulse":112,"consciousness":"alert","temperature":38.4}"#
            let made = try await api.call(.post, path, as: "clinicianA", body: full)
            #expect(made.status == 201, "\(made.text)")
            let news2 = try #require(made.json["news2"] as? [String: Any], "\(made.text)")
            #expect(
                news2["total"] as? Int == 7 && news2["response"] as? String == "high", "2 + 1 + 1 + 2 + 1: \(news2)")
            let partial = try await api.call(
                .post, path, as: "clinicianA", body: #"{"takenAt":"\#(taken)","pulse":80}"#)
            #expect(partial.status == 201 && partial.json["news2"] == nil, "\(partial.text)")

            for (body, field) in [
                (#"{"takenAt":"\#(taken)","spo2":101}"#, "spo2"), (#"{"takenAt":"\#(taken)","pulse":"fast"}"#, "pulse"),
                (#"{"takenAt":"\#(taken)","consciousness":"asleep"}"#, "consciousness"),
                (#"{"takenAt":"\#(taken)","temperature":73.5}"#, "temperature"),
                (#"{"takenAt":"\#(taken)","pulse":80,"bp":"120/80"}"#, "bp"), (#"{"pulse":80}"#, "takenAt"),
                (#"{"takenAt":"2099-01-01T00:00:00Z","pulse":80}"#, "takenAt"),
            ] {
                let refused = try await api.call(.post, path, as: "clinicianA", body: body)
                #expect(
                    (400..<500).contains(refused.status) && refused.problemFields.contains(field),
                    "\(body): \(refused.text)")
            }
            #expect(try await api.call(.post, path, as: "pharmacistA", body: full).status == 403)
            let list = try await api.call(.get, path, as: "managerA")
            let sets = (try? JSONSerialization.jsonObject(with: Data(list.text.utf8))) as? [[String: Any]] ?? []
            #expect(sets.count == 2, "only the two accepted sets were written: \(list.text)")

            let scale = "/sites/\(api.siteA)/patients/\(patient.id)/spo2-scale"
            #expect(try await api.call(.put, scale, as: "managerA", body: #"{"scale":2}"#).status == 403)
            let bad = try await api.call(.put, scale, as: "clinicianA", body: #"{"scale":3}"#)
            #expect((400..<500).contains(bad.status) && bad.problemFields.contains("scale"), "\(bad.text)")
            #expect(try await api.call(.put, scale, as: "clinicianA", body: #"{"scale":2}"#).status == 204)
            let onScale2 = try await api.call(.post, path, as: "clinicianA", body: full)
            #expect(onScale2.json["spo2Scale"] as? Int == 2, "\(onScale2.text)")
            let missing = try await api.call(
                .post, "/sites/\(api.siteA)/patients/999999/vital-signs", as: "clinicianA", body: full)
            #expect(missing.status == 404, "\(missing.text)")

            // The 7 raised one emergency alert; a clinician acknowledges it once.
            let alertsPath = "/sites/\(api.siteA)/deterioration-alerts"
            let listed = try await api.call(.get, alertsPath, as: "managerA")
            let alerts = (try? JSONSerialization.jsonObject(with: Data(listed.text.utf8))) as? [[String: Any]] ?? []
            #expect(alerts.count == 1 && alerts[0]["level"] as? String == "emergency", "\(listed.text)")
            let alertId = try #require(alerts.first?["id"] as? Int)
            // The site's board leads with it, linking to the patient.
            let office = ConsoleClient(api.client)
            _ = try await office.signIn("managerA", WebConsoleTests.password)
            let board = try await office.get("/console/sites/TA-01")
            #expect(
                board.html.contains("危重预警（NEWS2 7）") && board.html.contains("/patients/\(patient.id)"),
                "\(board.html)")
            let ack = "\(alertsPath)/\(alertId)/acknowledgement"
            for (body, field) in [(#"{"action":""}"#, "action"), (#"{"action":"x","by":"y"}"#, "by"), ("{", "body")] {
                let refused = try await api.call(.post, ack, as: "clinicianA", body: body)
                #expect(
                    (400..<500).contains(refused.status) && refused.problemFields.contains(field), "\(refused.text)")
            }
            #expect(try await api.call(.post, ack, as: "managerA", body: #"{"action":"看过"}"#).status == 403)
            let done = try await api.call(.post, ack, as: "clinicianA", body: #"{"action":"医生已到床旁"}"#)
            #expect(done.status == 200 && done.json["acknowledgedBy"] != nil, "\(done.text)")
            #expect(try await api.call(.post, ack, as: "clinicianA", body: #"{"action":"again"}"#).status == 409)
            #expect(
                try await api.call(
                    .post, "\(alertsPath)/999999/acknowledgement", as: "clinicianA", body: #"{"action":"x"}"#
                )
                .status == 404)
            let remaining = try await api.call(.get, alertsPath, as: "clinicianA")
            let left = (try? JSONSerialization.jsonObject(with: Data(remaining.text.utf8))) as? [Any]
            #expect(left?.isEmpty == true, "no alert is open once acknowledged: \(remaining.text)")
        }
    }
}
