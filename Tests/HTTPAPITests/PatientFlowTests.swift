import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("HTTP: sites, beds and the patient journey")
struct PatientFlowTests {
    @Test("an admin opens a site; updates need a current If-Match (428 without, 412 when stale)")
    func siteLifecycle() async throws {
        try await APIHarness.run { api in
            let body =
                #"{"code":"JS-02","name":"Second site","district":"金山区","kind":"makeshift_hospital","bedCapacity":120,"openedOn":"2022-04-10"}"#
            #expect(try await api.call(.post, "/sites", as: "managerA", body: body).status == 403)
            let created = try await api.call(.post, "/sites", body: body)
            #expect(created.status == 201)
            let id = created.json["id"] as! Int
            #expect(created.header("Location") == "/sites/\(id)")
            #expect(created.header("ETag") == "\"1\"")
            #expect(created.json["timeZone"] as? String == "Asia/Shanghai")
            #expect(try await api.call(.post, "/sites", body: body).status == 409)

            let changed = body.replacingOccurrences(of: "120", with: "150")
            #expect(try await api.call(.put, "/sites/\(id)", body: changed).status == 428)
            let updated = try await api.call(.put, "/sites/\(id)", body: changed, headers: ["If-Match": "\"1\""])
            #expect(updated.status == 200)
            #expect(updated.json["bedCapacity"] as? Int == 150)
            #expect(updated.header("ETag") == "\"2\"")
            let stale = try await api.call(.put, "/sites/\(id)", body: body, headers: ["If-Match": "\"1\""])
            #expect(stale.status == 412)
            #expect(try await api.call(.get, "/sites/\(id)").json["bedCapacity"] as? Int == 150)
        }
    }

    @Test("zones and beds: a range is created all or none, codes unique per site")
    func bedsAndZones() async throws {
        try await APIHarness.run { api in
            let zones = try await api.call(.get, "/sites/\(api.siteA)/zones", as: "clinicianA")
            #expect(zones.items.map { $0["code"] as? String } == ["A", "CLN"])
            let zone = api.fixture.zoneA.id
            let range = try await api.call(
                .post, "/sites/\(api.siteA)/bed-ranges", as: "managerA",
                body: #"{"zoneId":\#(zone),"prefix":"A-","first":7,"last":9}"#)
            #expect(range.status == 201)
            #expect(range.items.map { $0["code"] as? String } == ["A-007", "A-008", "A-009"])
            // A-009 exists now, so this range would clash on one code: nothing of it is written.
            let clash = try await api.call(
                .post, "/sites/\(api.siteA)/bed-ranges", as: "managerA",
                body: #"{"zoneId":\#(zone),"prefix":"A-","first":9,"last":12}"#)
            #expect(clash.status == 409)
            #expect(clash.problemFields == ["code"])
            #expect(try await api.db.count("SELECT count(*)::int FROM beds WHERE code = 'A-010'") == 0)
            let single = try await api.call(
                .post, "/sites/\(api.siteA)/beds", as: "managerA", body: #"{"zoneId":\#(zone),"code":"A-100"}"#)
            #expect(single.status == 201)
            let other = try await api.call(
                .post, "/sites/\(api.siteA)/beds", as: "managerA", body: #"{"zoneId":999,"code":"A-101"}"#)
            #expect(other.status == 422)
            #expect(other.problemFields == ["zoneId"])
        }
    }

    @Test("admit, move and discharge keep a time-bounded bed history and bed statuses")
    func admitMoveDischarge() async throws {
        try await APIHarness.run { api in
            let (bed1, bed2) = (api.fixture.bedsA[0].id, api.fixture.bedsA[1].id)
            let patient = try await api.admit(bed: bed1, sequence: 11)
            let path = "/sites/\(api.siteA)/patients/\(patient["id"] as! Int)"
            #expect(patient["bedCode"] as? String == "A-001")
            #expect(
                try await api.call(.get, "/sites/\(api.siteA)/beds/\(bed1)").json["status"] as? String == "occupied")

            let occupied = try await api.call(
                .post, "/sites/\(api.siteA)/patients", as: "clinicianA", body: api.admission(bed: bed1, sequence: 12))
            #expect(occupied.status == 409)
            #expect(occupied.problemFields == ["bedId"])

            let moved = try await api.call(.post, path + "/move", as: "clinicianA", body: #"{"bedId":\#(bed2)}"#)
            #expect(moved.status == 200, "\(moved.text)")
            #expect(moved.json["bedCode"] as? String == "A-002")
            #expect(
                try await api.call(.get, "/sites/\(api.siteA)/beds/\(bed1)").json["status"] as? String == "cleaning")

            // Recovered needs eligibility: refused with the reasons, nothing changes.
            let early = try await api.call(
                .post, path + "/discharge", as: "clinicianA", body: #"{"reason":"recovered"}"#)
            #expect(early.status == 409)
            #expect((early.json["detail"] as? String)?.contains("no nucleic-acid test recorded") == true)

            let t0 = Date().addingTimeInterval(-50 * 3600)
            let iso = ISO8601DateFormatter()
            for (hours, body) in [
                (0.0, #""result":"positive","nGeneCt":36,"orf1abCt":37"#), (25.0, #""result":"negative""#),
            ] {
                let added = try await api.call(
                    .post, path + "/test-results", as: "clinicianA",
                    body: #"{"sampledAt":"\#(iso.string(from: t0.addingTimeInterval(hours * 3600)))",\#(body)}"#)
                #expect(added.status == 201, "\(added.text)")
            }
            let verdict = try await api.call(.get, path + "/discharge-eligibility", as: "clinicianA")
            #expect(verdict.json["eligible"] as? Bool == true)
            #expect(verdict.json["ctThreshold"] as? Double == 35)

            let etag = try await api.call(.get, path).header("ETag")!
            let staleDischarge = try await api.call(
                .post, path + "/discharge", as: "clinicianA", body: #"{"reason":"recovered"}"#,
                headers: ["If-Match": "\"1\""])
            #expect(staleDischarge.status == 412)
            let discharged = try await api.call(
                .post, path + "/discharge", as: "clinicianA", body: #"{"reason":"recovered"}"#,
                headers: ["If-Match": etag])
            #expect(discharged.status == 200)
            #expect(discharged.json["status"] as? String == "discharged")
            #expect(discharged.json["bedId"] == nil)
            let again = try await api.call(
                .post, path + "/discharge", as: "clinicianA", body: #"{"reason":"transferred"}"#)
            #expect(again.status == 409)

            let history = try await api.call(.get, path + "/bed-assignments", as: "clinicianA").items
            #expect(history.map { $0["bedCode"] as? String } == ["A-001", "A-002"])
            #expect(history.allSatisfy { $0["until"] != nil })
            #expect(history[0]["until"] as? String == history[1]["from"] as? String)

            let census = try await api.call(.get, "/sites/\(api.siteA)/census?days=3", as: "managerA").json
            let totals = census["totals"] as! [String: Int]
            #expect(totals["cleaning"] == 2 && totals["occupied"] == 0 && totals["free"] == 4)
            let days = census["days"] as! [[String: Any]]
            #expect(days.count == 3)
            #expect(days.last?["admissions"] as? Int == 1 && days.last?["discharges"] as? Int == 1)
        }
    }

    @Test("the census lists beds per zone and the patients eligible for release")
    func censusEligible() async throws {
        try await APIHarness.run { api in
            let ready = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 21)
            _ = try await api.admit(bed: api.fixture.bedsA[1].id, sequence: 22)
            let readyId = try #require(ready["id"] as? Int)
            let iso = ISO8601DateFormatter()
            for hours in [-30.0, -2.0] {
                let response = try await api.call(
                    .post, "/sites/\(api.siteA)/patients/\(readyId)/test-results", as: "clinicianA",
                    body:
                        #"{"sampledAt":"\#(iso.string(from: Date().addingTimeInterval(hours * 3600)))","result":"negative"}"#
                )
                #expect(response.status == 201)
            }
            let census = try await api.call(.get, "/sites/\(api.siteA)/census", as: "clinicianA").json
            #expect(census["admittedPatients"] as? Int == 2)
            #expect(census["eligibleForDischargeCount"] as? Int == 1)
            let listed = try await api.call(.get, "/sites/\(api.siteA)/patients?eligible=true", as: "clinicianA").json
            #expect((listed["items"] as! [[String: Any]]).map { $0["id"] as? Int } == [readyId])
            let waiting = try await api.call(.get, "/sites/\(api.siteA)/patients?eligible=false", as: "clinicianA").json
            #expect((waiting["items"] as! [[String: Any]]).count == 1)
            #expect(
                (census["eligibleForDischarge"] as! [[String: Any]]).map { $0["patientId"] as? Int } == [
                    ready["id"] as? Int
                ])
            let zones = census["bedsByZone"] as! [[String: Any]]
            #expect(zones.map { $0["zoneCode"] as? String } == ["A", "CLN"])
            #expect((zones[0]["beds"] as! [String: Int])["occupied"] == 2)
            #expect(try await api.call(.get, "/sites/\(api.siteA)/census", as: "pharmacistA").status == 403)
        }
    }

    @Test(
        "the stored release flag follows every test result, and is worked out again when the rule's numbers change"
    )
    func releaseFlags() async throws {
        try await APIHarness.run { api in
            let admitted = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 23)
            let id = try #require(admitted["id"] as? Int)
            func eligibleCount(_ rule: DischargeRule? = nil) async throws -> Int {
                var settings = ServiceSettings.forTests
                if let rule { settings.dischargeRule = rule }
                return try await api.db.services(settings: settings).census.census(
                    siteId: api.siteA, actor: DemoFixture.operatorActor
                ).eligibleForDischargeCount
            }
            let iso = ISO8601DateFormatter()
            func test(hoursAgo: Double, _ result: String, ct: Double? = nil) async throws {
                let cts = ct.map { #","nGeneCt":\#($0),"orf1abCt":\#($0)"# } ?? ""
                let response = try await api.call(
                    .post, "/sites/\(api.siteA)/patients/\(id)/test-results", as: "clinicianA",
                    body:
                        #"{"sampledAt":"\#(iso.string(from: Date().addingTimeInterval(-hoursAgo * 3600)))","result":"\#(result)"\#(cts)}"#
                )
                #expect(response.status == 201)
            }
            try await test(hoursAgo: 40, "negative")
            #expect(try await eligibleCount() == 0, "one clear test is not enough")
            try await test(hoursAgo: 10, "positive", ct: 36)
            #expect(try await eligibleCount() == 1, "Ct 36 on both genes counts as clear, 30 h after the first")
            try await test(hoursAgo: 5, "positive", ct: 30)
            #expect(try await eligibleCount() == 0, "a low Ct resets the run")
            try await test(hoursAgo: 4, "negative")
            try await test(hoursAgo: 1, "negative")
            #expect(try await eligibleCount() == 0, "two clear tests 3 h apart are too close")

            // A site that sets the interval to 2 h: the flags are worked out again once, at start.
            let shortRule = DischargeRule(ctThreshold: 35, minimumInterval: 2 * 3600)
            var settings = ServiceSettings.forTests
            settings.dischargeRule = shortRule
            let services = api.db.services(settings: settings)
            #expect(try await services.patients.reconcileReleaseFlags() == 1, "one flag changed")
            #expect(try await eligibleCount(shortRule) == 1)
            #expect(try await services.patients.reconcileReleaseFlags() == nil, "nothing to do the second time")
            let verdict = try await services.patients.eligibility(
                siteId: api.siteA, patientId: Patient.ID(Int64(id)), actor: DemoFixture.operatorActor)
            #expect(verdict.eligible, "the flag and the verdict on the record agree")
        }
    }

    @Test(
        "the census's kept counts equal a count of the rows: after concurrent admissions, a move and discharges, once folded, and after the site's time zone changes"
    )
    func censusCountsAreTrue() async throws {
        try await APIHarness.run { api in
            let services = api.db.services()
            let op = DemoFixture.operatorActor
            let site = api.fixture.siteA
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<5 {
                    group.addTask { _ = try await api.admit(bed: api.fixture.bedsA[n].id, sequence: 40 + n) }
                }
                try await group.waitForAll()
            }
            let admitted = try await services.patients.list(
                siteId: site.id, status: .admitted, page: PageRequest(limit: 10), actor: op
            ).items
            let moved = admitted[0]
            _ = try await services.patients.move(
                siteId: site.id, patientId: moved.id, toBed: api.fixture.bedsA[5].id, expectedVersion: moved.version,
                actor: op)
            for patient in admitted[1...2] {
                _ = try await services.patients.discharge(
                    siteId: site.id, patientId: patient.id, reason: .transferred, note: "to hospital",
                    expectedVersion: patient.version, actor: op)
            }
            func expectTrue(_ when: String, timeZone: String = "Asia/Shanghai") async throws {
                let census = try await services.census.census(siteId: site.id, actor: op)
                for status in ["free", "occupied", "cleaning", "out_of_service"] {
                    let rows = try await api.db.count(
                        "SELECT count(*)::int FROM beds WHERE site_id = \(site.id) AND status = '\(status)'")
                    let counted = [
                        "free": census.totals.free, "occupied": census.totals.occupied,
                        "cleaning": census.totals.cleaning, "out_of_service": census.totals.outOfService,
                    ][status]
                    #expect(counted == rows, "\(status) beds \(when)")
                }
                #expect(
                    census.admittedPatients
                        == (try await api.db.count(
                            "SELECT count(*)::int FROM patients WHERE site_id = \(site.id) AND status = 'admitted'")),
                    "admitted \(when)")
                for day in census.days {
                    let admissions = try await api.db.count(
                        """
                        SELECT count(*)::int FROM patients WHERE site_id = \(site.id)
                          AND (admitted_at AT TIME ZONE '\(timeZone)')::date = '\(day.date)'
                        """)
                    let discharges = try await api.db.count(
                        """
                        SELECT count(*)::int FROM patients WHERE site_id = \(site.id)
                          AND (discharged_at AT TIME ZONE '\(timeZone)')::date = '\(day.date)'
                        """)
                    #expect(
                        day.admissions == admissions && day.discharges == discharges, "\(day.date) \(when)")
                }
                #expect(
                    census.days.map(\.admissions).reduce(0, +) == 5 && census.days.map(\.discharges).reduce(0, +) == 2,
                    "today's five admissions and two discharges are in the window \(when)")
            }
            try await expectTrue("before folding")
            let folded = try #require(try await services.housekeeping().runOnce())
            #expect(folded.censusChanges > 0)
            #expect(try await api.db.count("SELECT count(*)::int FROM bed_status_changes") == 0)
            try await expectTrue("once folded")
            let current = try await services.sites.get(site.id, actor: op)
            let draft = SiteDraft(
                code: current.code, name: current.name, district: current.district, address: current.address,
                kind: current.kind, bedCapacity: current.bedCapacity, timeZone: "America/Los_Angeles",
                openedOn: current.openedOn, closedOn: current.closedOn, status: current.status)
            _ = try await services.sites.update(site.id, draft, expectedVersion: current.version, actor: op)
            try await expectTrue("in the new time zone", timeZone: "America/Los_Angeles")
        }
    }

    @Test("an Idempotency-Key replay returns the first answer and writes nothing new")
    func idempotentAdmission() async throws {
        try await APIHarness.run { api in
            let body = api.admission(bed: api.fixture.bedsA[0].id, sequence: 31)
            let first = try await api.call(
                .post, "/sites/\(api.siteA)/patients", as: "clinicianA", body: body,
                headers: ["Idempotency-Key": "his-123"])
            let replay = try await api.call(
                .post, "/sites/\(api.siteA)/patients", as: "clinicianA", body: body,
                headers: ["Idempotency-Key": "his-123"])
            #expect(first.status == 201 && replay.status == 201)
            #expect(replay.header("Idempotency-Replayed") == "true")
            #expect(first.header("Idempotency-Replayed") == nil)
            #expect(replay.json["id"] as? Int == first.json["id"] as? Int)
            #expect(replay.text == first.text)
            #expect(try await api.db.count("SELECT count(*)::int FROM patients") == 1)
            #expect(try await api.db.count("SELECT count(*)::int FROM audit_log WHERE action = 'admit'") == 1)
            let reused = try await api.call(
                .post, "/sites/\(api.siteA)/patients", as: "clinicianA",
                body: api.admission(bed: api.fixture.bedsA[1].id, sequence: 32), headers: ["Idempotency-Key": "his-123"]
            )
            #expect(reused.status == 422)
            #expect(reused.problemFields == ["Idempotency-Key"])
        }
    }

    @Test("20 concurrent admissions of different patients to one free bed: exactly one is admitted, the rest get 409")
    func concurrentAdmissions() async throws {
        try await APIHarness.run { api in
            let bed = api.fixture.bedsA[0].id
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        try await api.call(
                            .post, "/sites/\(api.siteA)/patients", as: "clinicianA",
                            body: api.admission(bed: bed, sequence: 100 + i)
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 19)
            #expect(try await api.db.count("SELECT count(*)::int FROM patients") == 1)
            #expect(try await api.db.count("SELECT count(*)::int FROM bed_assignments") == 1)
        }
    }

    @Test("bed status by hand: cleaning to free with If-Match; never to occupied")
    func bedStatus() async throws {
        try await APIHarness.run { api in
            let path = "/sites/\(api.siteA)/beds/\(api.fixture.bedsA[5].id)"
            let toCleaning = try await api.call(
                .patch, path, as: "clinicianA", body: #"{"status":"cleaning"}"#, headers: ["If-Match": "\"1\""])
            #expect(toCleaning.status == 200)
            let occupied = try await api.call(
                .patch, path, as: "clinicianA", body: #"{"status":"occupied"}"#, headers: ["If-Match": "\"2\""])
            #expect(occupied.status == 409)
            #expect(occupied.json["allowed"] as? [String] == ["free", "out_of_service"])
            #expect(
                try await api.call(
                    .patch, path, as: "pharmacistA", body: #"{"status":"free"}"#, headers: ["If-Match": "\"2\""]
                ).status == 403)
        }
    }

    @Test("the audit trail records who did what, before and after; managers read it, clinicians may not")
    func audit() async throws {
        try await APIHarness.run { api in
            let patient = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 41)
            let entries = try await api.call(
                .get, "/audit?entity=patient&action=admit", as: "managerA", headers: ["X-Request-ID": "trace-1"]
            ).items
            #expect(entries.count == 1)
            #expect(entries[0]["actorName"] as? String == "cliniciana")
            #expect(entries[0]["role"] as? String == "clinician")
            #expect(entries[0]["entityId"] as? String == String(patient["id"] as! Int))
            #expect(entries[0]["requestId"] as? String != nil)
            #expect((entries[0]["after"] as? [String: Any])?["bedCode"] as? String == "A-001")
            #expect(try await api.call(.get, "/audit", as: "clinicianA").status == 403)
            #expect(try await api.call(.get, "/audit?siteId=\(api.siteB)", as: "managerA").status == 404)
        }
    }
}
