import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("HTTP and console: the release list, sign-off and batch release")
struct ReleaseAPITests {
    /// Admits `count` patients to site A two days ago, each with two clear tests a day apart.
    static func clear(_ api: APIHarness, services: CordonServices, count: Int) async throws -> [Patient] {
        let op = DemoFixture.operatorActor
        var out: [Patient] = []
        for n in 1...count {
            let patient = try await services.patients.admit(
                siteId: api.fixture.siteA.id,
                Admission(
                    name: ["张三", "李四", "王五"][n - 1], sex: .male,
                    dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2), phone: nil,
                    nationalId: testNationalID(sequence: n), severity: .mild, partyMember: false,
                    bedId: api.fixture.bedsA[n - 1].id, admittedAt: Date(timeIntervalSinceNow: -2 * 86_400)),
                actor: op
            ).value
            for hoursAgo in [30.0, 2.0] {
                _ = try await services.patients.addTest(
                    siteId: api.fixture.siteA.id, patientId: patient.id,
                    NucleicAcidTestEntry(
                        sampledAt: Date(timeIntervalSinceNow: -hoursAgo * 3600), result: .negative, nGeneCt: nil,
                        orf1abCt: nil), actor: op)
            }
            out.append(patient)
        }
        return out
    }

    @Test("REST: the list, a ward's sign-off, the batch release and its repeat; bad input is refused naming the field")
    func rest() async throws {
        try await WebConsoleTests.run { api, services in
            let patients = try await Self.clear(api, services: services, count: 2)
            let site = "/sites/\(api.siteA)"
            let ids = patients.map { String($0.id) }.joined(separator: ",")
            let list = try await api.call(.get, site + "/release-list", as: "clinicianA")
            #expect(list.status == 200, "\(list.text)")
            let rows = list.json["patients"] as? [[String: Any]] ?? []
            #expect(rows.count == 2 && rows.allSatisfy { $0["ready"] as? Bool == false })
            #expect(
                ((rows.first?["reasons"] as? [[String: Any]])?.first?["code"] as? String) == "release.not_signed_off")
            #expect(try await api.call(.get, site + "/release-list", as: "pharmacistA").status == 403)

            for (body, field) in [
                (#"{"patientIds":[],"symptomsImproved":true}"#, "patientIds"),
                (#"{"patientIds":[0],"symptomsImproved":true}"#, "patientIds[0]"),
                (#"{"patientIds":[\#(ids)],"symptomsImproved":true,"signedBy":"x"}"#, "signedBy"),
                (#"{"patientIds":"all","symptomsImproved":true}"#, "patientIds"),
            ] {
                let refused = try await api.call(.post, site + "/release-sign-offs", as: "clinicianA", body: body)
                #expect(
                    (400..<500).contains(refused.status) && refused.problemFields.contains(field),
                    "\(body): \(refused.text)")
            }
            #expect(try await api.db.count("SELECT count(*)::int FROM release_sign_offs") == 0)
            let byManager = try await api.call(
                .post, site + "/release-sign-offs", as: "managerA",
                body: #"{"patientIds":[\#(ids)],"symptomsImproved":true}"#)
            #expect(byManager.status == 403, "\(byManager.text)")
            let signed = try await api.call(
                .post, site + "/release-sign-offs", as: "clinicianA",
                body: #"{"patientIds":[\#(ids)],"symptomsImproved":true,"note":"平稳"}"#)
            #expect(signed.status == 201, "\(signed.text)")
            #expect((signed.json["patients"] as? [[String: Any]])?.allSatisfy { $0["ready"] as? Bool == true } == true)

            let typo = try await api.call(
                .post, site + "/releases", as: "managerA", body: #"{"patientIds":[\#(ids),999999]}"#)
            #expect(typo.status == 422 && typo.problemFields == ["patientIds[2]"], "\(typo.text)")
            let released = try await api.call(
                .post, site + "/releases", as: "managerA", body: #"{"patientIds":[\#(ids)]}"#)
            #expect(released.status == 200 && released.json["released"] as? Int == 2, "\(released.text)")
            let outcomes = (released.json["outcomes"] as? [[String: Any]] ?? []).compactMap { $0["outcome"] as? String }
            #expect(outcomes == ["released", "released"])
            let again = try await api.call(
                .post, site + "/releases", as: "managerA", body: #"{"patientIds":[\#(ids)]}"#)
            let repeated = (again.json["outcomes"] as? [[String: Any]] ?? [])
            #expect(repeated.allSatisfy { $0["outcome"] as? String == "already_released" && $0["releasedAt"] != nil })
            let twice = try await api.call(
                .post, site + "/releases", as: "managerA", body: #"{"patientIds":[\#(ids),\#(ids)]}"#)
            #expect(twice.status == 422 && twice.problemFields == ["patientIds"], "\(twice.text)")

            let criteria = try await api.call(
                .put, site + "/release-criteria", as: "managerA",
                body: #"{"noFeverHours":72,"feverCelsius":37.3,"symptomsImproved":true}"#)
            #expect(criteria.status == 200 && criteria.json["noFeverHours"] as? Int == 72, "\(criteria.text)")
            let hot = try await api.call(
                .put, site + "/release-criteria", as: "managerA",
                body: #"{"noFeverHours":12,"feverCelsius":37.3,"symptomsImproved":true}"#)
            #expect((400..<500).contains(hot.status) && hot.problemFields == ["noFeverHours"], "\(hot.text)")
            #expect(
                try await api.call(
                    .put, site + "/release-criteria", as: "clinicianA",
                    body: #"{"feverCelsius":37.3,"symptomsImproved":false}"#
                ).status == 403)
        }
    }

    @Test(
        "console: a clinician signs a ward's list off with the names shown, the office releases them with a confirmation"
    )
    func console() async throws {
        try await WebConsoleTests.run { api, services in
            let patients = try await Self.clear(api, services: services, count: 3)
            // The site asks for 72 h without a fever; the third has one after the sign-off.
            _ = try await services.releases.setCriteria(
                siteId: api.fixture.siteA.id, ReleaseCriteria(noFeverHours: 72), actor: DemoFixture.operatorActor)
            let doctor = ConsoleClient(api.client)
            _ = try await doctor.signIn("clinicianA", WebConsoleTests.password)
            let page = try await doctor.get("/console/sites/TA-01/release")
            #expect(page.status == 200 && page.html.contains("待医生签字确认 (3)"), "\(page.html)")
            #expect(page.html.contains("href=\"/console/sites/TA-01/release\">出舱</a>"), "the site's navigation")
            #expect(page.html.contains("72 小时内无发热"), "the site's criteria, in words")
            #expect(page.html.contains("data-confirm=\"确认为至多 3 人签字同意出舱？\""), "\(page.html)")
            let none = try await doctor.post(
                "/console/sites/TA-01/release/sign-off", [("csrf", try #require(page.csrf))])
            #expect(none.status == 422 && none.html.contains("请至少选中一名患者"), "\(none.html)")
            let signed = try await doctor.post(
                "/console/sites/TA-01/release/sign-off",
                [("csrf", try #require(page.csrf)), ("symptoms", "on")]
                    + patients.map { ("p-\($0.id)", "on") })
            #expect(signed.status == 200 && signed.html.contains("已签字 3 人"), "\(signed.html)")
            #expect(signed.html.contains("可出舱 (3)"), "\(signed.html)")
            let op = DemoFixture.operatorActor
            let draft = try await services.care.createPlan(
                siteId: api.fixture.siteA.id, patientId: patients[2].id,
                CarePlanDraft(
                    conditions: [.hypertension], goals: "", reviewOn: api.fixture.siteA.today.adding(days: 7)),
                actor: op)
            let plan = try await services.care.setStatus(
                siteId: api.fixture.siteA.id, planId: draft.id, to: .active, expectedVersion: draft.version, actor: op)
            _ = try await services.care.recordObservation(
                siteId: api.fixture.siteA.id, planId: plan.id,
                ObservationEntry(measure: .temperature, observedAt: Date(), value: 38.2), actor: op)

            let office = ConsoleClient(api.client)
            _ = try await office.signIn("managerA", WebConsoleTests.password)
            let list = try await office.get("/console/sites/TA-01/release")
            #expect(list.html.contains("可出舱 (2)") && list.html.contains("暂缓出舱 (1)"), "\(list.html)")
            #expect(
                list.html.contains(#"之后测得体温 <span translate="no">38.2</span> °C"#),
                "the withdrawal, in words: \(list.html)")
            #expect(!list.html.contains("为选中的患者签字确认"), "a manager does not sign off")
            let run = try await office.post(
                "/console/sites/TA-01/release/run",
                [("csrf", try #require(list.csrf))] + patients.map { ("p-\($0.id)", "on") })
            #expect(run.status == 200 && run.html.contains("已办理出舱 2 人"), "\(run.html)")
            #expect(run.html.contains("患者 \(patients[2].id) 暂不出舱"), "\(run.html)")
            #expect(try await api.db.count("SELECT count(*)::int FROM beds WHERE status = 'cleaning'") == 2)
        }
    }
}
