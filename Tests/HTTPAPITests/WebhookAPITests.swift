import Foundation
import Services
import TestSupport
import Testing

@Suite("HTTP: webhook endpoints and the outbox")
struct WebhookAPITests {
    @Test(
        "an admin sets a hospital's endpoint (secret shown once), lists the outbox and retries a dead event; bad input writes nothing"
    )
    func operatorFlow() async throws {
        try await APIHarness.run { api in
            let hospital = try await api.call(
                .post, "/hospitals", as: "admin", body: #"{"code":"PJ1","name":"浦江第一人民医院"}"#)
            let hospitalId = (hospital.json["hospital"] as! [String: Any])["id"] as! Int
            let path = "/hospitals/\(hospitalId)/webhook"

            for (body, status, field) in [
                (#"{"url":"ftp://his.example/hook"}"#, 422, "url"), (#"{"url":5}"#, 400, "url"),
                ("{}", 400, "url"), (#"{"url":"http://his.example/hook","secret":"x"}"#, 400, "secret"),
                (#"{"url":"http://his"#, 400, "body"),
            ] {
                let refused = try await api.call(.put, path, body: body)
                #expect(refused.status == status, "\(body): \(refused.text)")
                #expect(refused.problemFields.contains(field), "\(body): \(refused.text)")
            }
            #expect(
                try await api.call(.put, path, as: "clinicianA", body: #"{"url":"http://his.example/hook"}"#).status
                    == 403)
            #expect(
                try await api.call(.put, "/hospitals/999/webhook", body: #"{"url":"http://127.0.0.1:9/hook"}"#).status
                    == 404)
            #expect(try await api.db.count("SELECT count(*)::int FROM hospitals WHERE webhook_url IS NOT NULL") == 0)

            let set = try await api.call(.put, path, body: #"{"url":"http://127.0.0.1:9/cordon-webhooks"}"#)
            #expect(set.status == 200, "\(set.text)")
            #expect((set.json["webhookSecret"] as? String)?.hasPrefix("whsec_") == true)
            #expect(
                (set.json["hospital"] as? [String: Any])?["webhookUrl"] as? String
                    == "http://127.0.0.1:9/cordon-webhooks")
            #expect(
                try await api.call(.get, "/hospitals").text.contains("whsec_") == false, "the secret is shown once only"
            )

            let patient = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 51)
            let referral = try await api.call(
                .post, "/sites/\(api.siteA)/referrals", as: "clinicianA",
                body: """
                    {"patientId":\(patient["id"] as! Int),"hospitalId":\(hospitalId),"reason":"血透","clinicalSummary":"尿毒症规律透析",
                     "services":["dialysis"],"urgency":"urgent"}
                    """)
            #expect(referral.status == 201)
            let listed = try await api.call(.get, "/webhook-events?status=pending&hospitalId=\(hospitalId)")
            #expect(listed.status == 200)
            let event = try #require(listed.items.first)
            let id = event["id"] as! String
            #expect(id == id.lowercased() && UUID(uuidString: id) != nil)
            #expect(
                event["type"] as? String == "referral.created"
                    && event["referralId"] as? Int == referral.json["id"] as? Int)
            #expect(try await api.call(.get, "/webhook-events", as: "managerA").status == 403)
            #expect(try await api.call(.get, "/webhook-events?status=lost").status == 400)

            #expect(
                try await api.call(.post, "/webhook-events/\(id)/retry").status == 409,
                "a pending event is on its way already")
            try await api.db.client.query(
                "UPDATE webhook_events SET status = 'dead', attempts = 12, last_error = 'HTTP 503'")
            #expect(try await api.call(.get, "/webhook-events?status=dead").items.count == 1)
            #expect(try await api.call(.post, "/webhook-events/\(id)/retry", as: "clinicianA").status == 403)
            let retried = try await api.call(.post, "/webhook-events/\(id)/retry")
            #expect(retried.status == 200, "\(retried.text)")
            #expect(retried.json["status"] as? String == "pending" && retried.json["attempts"] as? Int == 12)
            let malformed = try await api.call(.post, "/webhook-events/not-a-uuid/retry")
            #expect(
                malformed.status == 400 && malformed.problemFields == ["eventId"],
                "\(malformed.status) \(malformed.text)")
            #expect(try await api.call(.get, "/webhook-events/\(UUID().uuidString)").status == 404)
            #expect(try await api.call(.get, "/webhook-events/\(id)").json["status"] as? String == "pending")

            let removed = try await api.call(.delete, path)
            #expect(removed.status == 200 && (removed.json["hospital"] as? [String: Any])?["webhookUrl"] == nil)
            #expect(try await api.db.count("SELECT count(*)::int FROM hospitals WHERE webhook_secret IS NOT NULL") == 0)
        }
    }
}
