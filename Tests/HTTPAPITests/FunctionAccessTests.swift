import Foundation
import TestSupport
import Testing

@Suite("HTTP: who may do what, and what is recorded when they may not")
struct FunctionAccessTests {
    @Test(
        "a clinician dispenses a dose of an order or from a ward cabinet to a patient; a pharmacy issue with no patient is a pharmacist's"
    )
    func clinicianDispenses() async throws {
        try await APIHarness.run { api in
            let site = "/sites/\(api.siteA)"
            let medication =
                try await api.call(
                    .post, "/medications", as: "admin",
                    body: """
                        {"code":"PCM-500","genericName":"paracetamol","strength":"500 mg","form":"tablet","unitOfIssue":"tablet","packSize":20}
                        """
                ).json["id"] as? Int ?? 0
            let pharmacy =
                try await api.call(
                    .post, site + "/stock/locations", as: "pharmacistA",
                    body: #"{"code":"PHARM","name":"Pharmacy","kind":"pharmacy"}"#
                ).json["id"] as? Int ?? 0
            let zone = api.fixture.zoneA.id
            let cabinet =
                try await api.call(
                    .post, site + "/stock/locations", as: "pharmacistA",
                    body: #"{"code":"CAB-A","name":"Ward A cabinet","kind":"cabinet","zoneId":\#(zone)}"#
                ).json["id"] as? Int ?? 0
            for location in [pharmacy, cabinet] {
                let received = try await api.call(
                    .post, site + "/stock/receipts", as: "pharmacistA",
                    body: """
                        {"locationId":\(location),"medicationId":\(medication),"lotNumber":"P1","expiresOn":"2030-12-31","packs":1,"reason":"delivery"}
                        """)
                #expect(received.status == 201, "\(received.text)")
            }
            let patient = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 71)["id"] as? Int ?? 0
            let ledger = try await api.db.count("SELECT count(*)::int FROM stock_ledger")
            let refused = try await api.call(
                .post, site + "/stock/dispenses", as: "clinicianA",
                body: """
                    {"locationId":\(pharmacy),"medicationId":\(medication),"quantity":20,"reason":"ward round"}
                    """)
            #expect(refused.status == 403, "\(refused.text)")
            let fromPharmacyToPatient = try await api.call(
                .post, site + "/stock/dispenses", as: "clinicianA",
                body: """
                    {"locationId":\(pharmacy),"medicationId":\(medication),"quantity":1,"patientId":\(patient),"reason":"fever"}
                    """)
            #expect(fromPharmacyToPatient.status == 403, "the pharmacy's shelf is the pharmacist's")
            #expect(try await api.db.count("SELECT count(*)::int FROM stock_ledger") == ledger)
            let fromCabinet = try await api.call(
                .post, site + "/stock/dispenses", as: "clinicianA",
                body: """
                    {"locationId":\(cabinet),"medicationId":\(medication),"quantity":1,"patientId":\(patient),"reason":"fever"}
                    """)
            #expect(fromCabinet.status == 201, "\(fromCabinet.text)")
            let writeOffLike = try await api.call(
                .post, site + "/stock/dispenses", as: "pharmacistA",
                body: """
                    {"locationId":\(pharmacy),"medicationId":\(medication),"quantity":2,"reason":"ward stock top-up"}
                    """)
            #expect(writeOffLike.status == 201, "a pharmacist issues as the pharmacy needs")
        }
    }

    @Test("the catalogue every site shares is edited by admins only")
    func catalogue() async throws {
        try await APIHarness.run { api in
            let body =
                #"{"code":"AMLO-5","genericName":"amlodipine","strength":"5 mg","form":"tablet","unitOfIssue":"tablet","packSize":28}"#
            let refused = try await api.call(.post, "/medications", as: "pharmacistA", body: body)
            #expect(refused.status == 403)
            #expect(try await api.db.count("SELECT count(*)::int FROM medications") == 0)
            #expect(try await api.call(.post, "/medications", as: "admin", body: body).status == 201)
        }
    }

    @Test("a hospital's token lists only its own hospital; only admins see webhook addresses")
    func hospitalsVisible() async throws {
        try await APIHarness.run { api in
            for code in ["PJ1", "SC"] {
                let created = try await api.call(
                    .post, "/hospitals",
                    body: """
                        {"code":"\(code)","name":"医院 \(code)","webhookUrl":"https://his.\(code.lowercased()).invalid/hook"}
                        """)
                #expect(created.status == 201, "\(created.text)")
                #expect(created.json["integrationUser"] as? String == "hospital-\(code.lowercased())")
            }
            let token = try await api.db.services().hospitals.issueToken(
                hospitalCode: "pj1", actor: DemoFixture.operatorActor
            ).token
            let own = try await api.call(.get, "/hospitals", as: token)
            #expect(own.items.map { $0["code"] as? String } == ["PJ1"])
            #expect(own.items.first?["webhookUrl"] == nil)
            let clinician = try await api.call(.get, "/hospitals", as: "clinicianA")
            #expect(clinician.items.count == 2 && clinician.items.allSatisfy { $0["webhookUrl"] == nil })
            #expect(try await api.call(.get, "/hospitals").items.allSatisfy { $0["webhookUrl"] != nil })
        }
    }

    @Test("PJ1, pj1 and PJ_1 are not three hospitals, and a hospital never takes over an existing user")
    func hospitalCodes() async throws {
        try await APIHarness.run { api in
            #expect(try await api.call(.post, "/hospitals", body: #"{"code":"PJ1","name":"浦江一院"}"#).status == 201)
            let lower = try await api.call(.post, "/hospitals", body: #"{"code":"pj1","name":"冒名医院"}"#)
            #expect(lower.status == 409 && lower.problemFields == ["code"], "\(lower.text)")
            let underscore = try await api.call(.post, "/hospitals", body: #"{"code":"PJ_1","name":"冒名医院"}"#)
            #expect(underscore.status == 422 && underscore.problemFields == ["code"], "\(underscore.text)")
            _ = try await api.db.services().access.createUser(
                username: "hospital-sc", displayName: "a person", actor: DemoFixture.operatorActor)
            let taken = try await api.call(.post, "/hospitals", body: #"{"code":"SC","name":"申城中医"}"#)
            #expect(taken.status == 409 && taken.text.contains("hospital-sc"), "\(taken.text)")
            #expect(try await api.db.count("SELECT count(*)::int FROM hospitals") == 1)
            #expect(try await api.db.count("SELECT count(*)::int FROM hospital_users") == 1)
            let audited = try await api.db.count(
                "SELECT count(*)::int FROM audit_log WHERE action = 'create_integration_user'")
            #expect(audited == 1)
        }
    }

    @Test(
        "a bad token, a 403 and a 429 each land in the security log with address and request id, never the token; admins read it"
    )
    func securityLog() async throws {
        try await APIHarness.run { api in
            let badToken = "cdn_" + String(repeating: "z", count: 40)
            let bad = try await api.call(.get, "/me", as: badToken, headers: ["X-Request-ID": "probe-1"])
            #expect(bad.status == 401)
            #expect(try await api.call(.get, "/me", as: nil).status == 401)  // no credential: nothing to record
            let forbidden = try await api.call(
                .post, "/sites/\(api.siteA)/zones", as: "pharmacistA",
                body: #"{"code":"Z","name":"Z","kind":"clean"}"#, headers: ["X-Request-ID": "probe-2"])
            #expect(forbidden.status == 403)
            let events = try await api.call(.get, "/security-events")
            #expect(events.status == 200, "\(events.text)")
            let kinds = events.items.map { "\($0["kind"] as? String ?? "") \($0["requestId"] as? String ?? "")" }
            #expect(kinds == ["bad_token probe-1", "forbidden probe-2"], "\(kinds)")
            #expect(events.items.last?["username"] as? String == "pharmacista")
            #expect(!events.text.contains(badToken))
            #expect(try await api.call(.get, "/security-events", as: "managerA").status == 403)
            #expect(
                try await api.call(.get, "/security-events?kind=forbidden").items.count == 2,
                "the manager's refusal is in it too")
            #expect(
                try await api.db.count(
                    "SELECT count(*)::int FROM security_events WHERE detail LIKE '%cdn_%' OR path LIKE '%cdn_%'") == 0)
        }
    }

    @Test("a referral note and a stock level's old value are in the audit trail")
    func auditGaps() async throws {
        try await APIHarness.run { api in
            let medication =
                try await api.call(
                    .post, "/medications", as: "admin",
                    body: """
                        {"code":"AMLO-5","genericName":"amlodipine","strength":"5 mg","form":"tablet","unitOfIssue":"tablet","packSize":28}
                        """
                ).json["id"] as? Int ?? 0
            let level = "/sites/\(api.siteA)/stock/levels/\(medication)"
            #expect(
                try await api.call(.put, level, as: "pharmacistA", body: #"{"minimum":28,"reorder":112}"#).status < 300)
            #expect(
                try await api.call(.put, level, as: "pharmacistA", body: #"{"minimum":56,"reorder":140}"#).status < 300)
            let trail = try await api.call(.get, "/audit?entity=stock_level").items
            let second = try #require(trail.last)
            #expect((second["before"] as? [String: Any])?["minimum"] as? Int == 28, "\(second)")

            let hospital = try await api.call(.post, "/hospitals", body: #"{"code":"PJ1","name":"浦江一院"}"#).json
            let hospitalId = (hospital["hospital"] as? [String: Any])?["id"] as? Int ?? 0
            let patient = try await api.admit(bed: api.fixture.bedsA[1].id, sequence: 72)["id"] as? Int ?? 0
            let referral =
                try await api.call(
                    .post, "/sites/\(api.siteA)/referrals", as: "clinicianA",
                    body: """
                        {"patientId":\(patient),"hospitalId":\(hospitalId),"reason":"化疗","clinicalSummary":"乳腺癌","services":["chemotherapy"],"urgency":"urgent"}
                        """
                ).json["id"] as? Int ?? 0
            let note = try await api.call(
                .post, "/sites/\(api.siteA)/referrals/\(referral)/notes", as: "clinicianA", body: #"{"note":"家属已通知"}"#)
            #expect(note.status == 201, "\(note.text)")
            let notes = try await api.call(.get, "/audit?entity=referral&action=add_note").items
            #expect(notes.count == 1 && (notes.first?["after"] as? [String: Any]) != nil)
        }
    }
}
