import Foundation
import TestSupport
import Testing

@Suite("HTTP: medication stock and care plans")
struct StockAndCareAPITests {
    /// A pharmacy with 2 packs of a 28-tablet medicine, and a patient with an active plan ordering it.
    func setUp(_ api: APIHarness) async throws -> (medication: Int, pharmacy: Int, plan: [String: Any]) {
        let medication = try await api.call(
            .post, "/medications", as: "admin",
            body: """
                {"code":"AMLO-5","genericName":"amlodipine","strength":"5 mg","form":"tablet","unitOfIssue":"tablet","packSize":28}
                """)
        #expect(medication.status == 201, "\(medication.text)")
        let medicationId = medication.json["id"] as! Int
        let pharmacy = try await api.call(
            .post, "/sites/\(api.siteA)/stock/locations", as: "pharmacistA",
            body: #"{"code":"PHARM","name":"Site pharmacy","kind":"pharmacy"}"#)
        #expect(pharmacy.status == 201)
        let pharmacyId = pharmacy.json["id"] as! Int
        let receipt = try await api.call(
            .post, "/sites/\(api.siteA)/stock/receipts", as: "pharmacistA",
            body: """
                {"locationId":\(pharmacyId),"medicationId":\(medicationId),"lotNumber":"L2201","expiresOn":"2030-12-31","packs":2,
                 "reason":"delivery","documentNumber":"DN-1"}
                """)
        #expect(receipt.status == 201, "\(receipt.text)")
        #expect((receipt.json["lines"] as? [[String: Any]])?.first?["balanceAfter"] as? Int == 56)

        let patient = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 61)
        let today = ISO8601DateFormatter.string(
            from: Date(), timeZone: TimeZone(identifier: "Asia/Shanghai")!, formatOptions: [.withFullDate])
        var plan = try await api.call(
            .post, "/sites/\(api.siteA)/patients/\(patient["id"] as! Int)/care-plans", as: "clinicianA",
            body: #"{"conditions":["hypertension"],"goals":"BP < 150/90","reviewOn":"\#(Soon.day(60))"}"#)
        #expect(plan.status == 201, "\(plan.text)")
        let planPath = "/sites/\(api.siteA)/care-plans/\(plan.json["id"] as! Int)"
        plan = try await api.call(
            .post, planPath + "/activities", as: "clinicianA",
            body: """
                {"kind":"medication","medicationId":\(medicationId),"doseUnits":1,"route":"oral","timesOfDay":["08:00"],"startsOn":"\(today)"}
                """)
        #expect(plan.status == 201, "\(plan.text)")
        plan = try await api.call(.post, planPath + "/status", as: "clinicianA", body: #"{"status":"active"}"#)
        #expect(plan.status == 200)
        return (medicationId, pharmacyId, plan.json)
    }

    @Test("receive by packs, dispense a single tablet, and read on-hand, ledger, cover and alerts")
    func stockFlow() async throws {
        try await APIHarness.run { api in
            let (medication, pharmacy, _) = try await setUp(api)
            let dispense = try await api.call(
                .post, "/sites/\(api.siteA)/stock/dispenses", as: "pharmacistA",
                body: """
                    {"locationId":\(pharmacy),"medicationId":\(medication),"quantity":1,"reason":"ward round"}
                    """, headers: ["Idempotency-Key": "round-1"])
            #expect(dispense.status == 201)
            let replay = try await api.call(
                .post, "/sites/\(api.siteA)/stock/dispenses", as: "pharmacistA",
                body: """
                    {"locationId":\(pharmacy),"medicationId":\(medication),"quantity":1,"reason":"ward round"}
                    """, headers: ["Idempotency-Key": "round-1"])
            #expect(replay.header("Idempotency-Replayed") == "true")
            let onHand = try await api.call(
                .get, "/sites/\(api.siteA)/stock/on-hand?medicationId=\(medication)", as: "managerA"
            ).items
            #expect(onHand.first?["quantity"] as? Int == 55)
            let ledger = try await api.call(.get, "/sites/\(api.siteA)/stock/ledger", as: "managerA").items
            #expect(ledger.map { $0["kind"] as? String } == ["receipt", "dispense"])
            let cover = try await api.call(.get, "/sites/\(api.siteA)/stock/cover", as: "pharmacistA").items
            #expect(cover.first?["daysOfCover"] as? Double == 55)
            #expect(try await api.call(.get, "/sites/\(api.siteA)/stock/alerts", as: "pharmacistA").items.isEmpty)
            #expect(
                try await api.call(
                    .post, "/sites/\(api.siteA)/stock/receipts", as: "managerA",
                    body: """
                        {"locationId":\(pharmacy),"medicationId":\(medication),"lotNumber":"X","expiresOn":"2030-01-01","quantity":1,"reason":"r"}
                        """
                ).status == 403)
        }
    }

    @Test("bad stock input is a 4xx naming the field, and writes nothing")
    func badStockInput() async throws {
        try await APIHarness.run { api in
            let (medication, pharmacy, _) = try await setUp(api)
            let before = try await api.db.count("SELECT count(*)::int FROM stock_ledger")
            let cases: [(String, Int, String)] = [
                (
                    #"{"locationId":\#(pharmacy),"medicationId":\#(medication),"quantity":"one","reason":"r"}"#, 400,
                    "quantity"
                ),
                (
                    #"{"locationId":\#(pharmacy),"medicationId":\#(medication),"quantity":1,"reason":"r","colour":"red"}"#,
                    400, "colour"
                ),
                (
                    #"{"locationId":\#(pharmacy),"medicationId":\#(medication),"quantity":0,"reason":"r"}"#, 422,
                    "quantity"
                ),
                (
                    #"{"locationId":\#(pharmacy),"medicationId":\#(medication),"quantity":57,"reason":"r"}"#, 409,
                    "quantity"
                ),
                (#"{"locationId":999,"medicationId":\#(medication),"quantity":1,"reason":"r"}"#, 422, "locationId"),
                (
                    #"{"locationId":\#(pharmacy),"medicationId":\#(medication),"quantity":1,"reason":" "}"#, 422,
                    "reason"
                ),
            ]
            for (body, status, field) in cases {
                let response = try await api.call(
                    .post, "/sites/\(api.siteA)/stock/dispenses", as: "pharmacistA", body: body)
                #expect(response.status == status, "\(body) -> \(response.text)")
                #expect(response.problemFields.contains(field), "\(field) not named in \(response.text)")
            }
            #expect(try await api.db.count("SELECT count(*)::int FROM stock_ledger") == before)
        }
    }

    @Test("care plans: 412 on a stale version, dispensing a dose shows on the dose list and worklist")
    func careFlow() async throws {
        try await APIHarness.run { api in
            let (_, pharmacy, plan) = try await setUp(api)
            let planPath = "/sites/\(api.siteA)/care-plans/\(plan["id"] as! Int)"
            let version = plan["version"] as! Int
            let body =
                #"{"conditions":["hypertension","elderly_living_alone"],"goals":"BP < 140/90","reviewOn":"\#(Soon.day(60))"}"#
            #expect(
                try await api.call(
                    .put, planPath, as: "clinicianA", body: body, headers: ["If-Match": "\"\(version - 1)\""]
                ).status == 412)
            #expect(try await api.call(.put, planPath, as: "clinicianA", body: body).status == 428)
            let updated = try await api.call(
                .put, planPath, as: "clinicianA", body: body, headers: ["If-Match": "\"\(version)\""])
            #expect(updated.status == 200)
            #expect(updated.header("ETag") == "\"\(version + 1)\"")

            let order = (plan["activities"] as! [[String: Any]])[0]["id"] as! Int
            let dose = try await api.call(
                .post, "/sites/\(api.siteA)/care-activities/\(order)/dispenses", as: "clinicianA",
                body: #"{"locationId":\#(pharmacy)}"#)
            #expect(dose.status == 201, "\(dose.text)")
            let doses = try await api.call(.get, "/sites/\(api.siteA)/dose-list", as: "clinicianA").items
            #expect(doses.map { $0["given"] as? Bool } == [true])
            let observation = try await api.call(
                .post, planPath + "/observations", as: "clinicianA",
                body: """
                    {"measure":"blood_pressure","observedAt":"\(ISO8601DateFormatter().string(from: Date()))","systolic":182,"diastolic":95}
                    """)
            #expect(observation.status == 201)
            #expect(observation.json["flag"] as? String == "systolic 182 mmHg (>= 180)")
            let worklist = try await api.call(.get, "/sites/\(api.siteA)/worklist", as: "managerA").json
            #expect((worklist["dosesDue"] as? [[String: Any]])?.count == 1)
            #expect((worklist["flaggedObservations"] as? [[String: Any]])?.count == 1)
            let wrongStatus = try await api.call(
                .post, planPath + "/status", as: "clinicianA", body: #"{"status":"draft"}"#)
            #expect(wrongStatus.status == 409)
            #expect(wrongStatus.json["allowed"] as? [String] == ["completed", "revoked"])
        }
    }

    @Test("a dose not given is recorded with its reason and shows on the dose list; twice is 409, bad input 4xx")
    func doseNotGiven() async throws {
        try await APIHarness.run { api in
            _ = try await setUp(api)
            let due = try #require(
                try await api.call(.get, "/sites/\(api.siteA)/dose-list", as: "clinicianA").items.first)
            let path = "/sites/\(api.siteA)/dose-list/not-given"
            // The dose list is the site's day (Shanghai), which is not UTC's from 16:00 to midnight UTC.
            let today = ISO8601DateFormatter.string(
                from: Date(), timeZone: TimeZone(identifier: "Asia/Shanghai")!, formatOptions: [.withFullDate])
            let body =
                #"{"activityId":\#(due["activityId"] as! Int),"date":"\#(today)","time":"\#(due["time"] as! String)","reason":"患者拒服"}"#
            #expect(try await api.call(.post, path, as: "pharmacistA", body: body).status == 403)
            let recorded = try await api.call(.post, path, as: "clinicianA", body: body)
            #expect(recorded.status == 201, "\(recorded.text)")
            #expect(recorded.json["notGivenReason"] as? String == "患者拒服")
            let again = try await api.call(.post, path, as: "clinicianA", body: body)
            #expect(again.status == 409 && again.text.contains("time"))
            let listed = try await api.call(.get, "/sites/\(api.siteA)/dose-list", as: "clinicianA").items
            #expect(listed.first?["notGivenReason"] as? String == "患者拒服")
            let badTime = try await api.call(
                .post, path, as: "clinicianA",
                body: body.replacingOccurrences(of: due["time"] as! String, with: "25:00"))
            #expect((400..<500).contains(badTime.status) && badTime.text.contains("time"))
            let unknownField = try await api.call(
                .post, path, as: "clinicianA", body: body.replacingOccurrences(of: "\"reason\"", with: "\"why\""))
            #expect((400..<500).contains(unknownField.status))
            #expect(try await api.db.count("SELECT count(*)::int FROM dose_omissions") == 1)
        }
    }
}
