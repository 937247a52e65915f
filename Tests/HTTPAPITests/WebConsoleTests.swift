import Domain
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Services
import TestSupport
import Testing

/// The web console through its routes, on a real database: sessions, CSRF, roles, escaping and
/// the admission form.
@Suite struct WebConsoleTests {
    static let password = "correct horse 42"

    /// A harness whose users `clinicianA`, `pharmacistA` and `managerA` have console passwords.
    static func run(_ body: @escaping @Sendable (APIHarness, CordonServices) async throws -> Void) async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let fixture = try await DemoFixture.make(services)
            for user in ["clinicianA", "pharmacistA", "managerA", "clinicianB"] {
                try await services.console.setPassword(
                    username: user.lowercased(), password: password, actor: DemoFixture.operatorActor)
            }
            let app = try APIHarness.application(services)
            try await app.test(.router) { client in
                try await body(APIHarness(client: client, fixture: fixture, db: db), services)
            }
        }
    }

    @Test(
        "sign-in: a wrong password and an unknown user get the same words; the cookie is HttpOnly and Lax; only its hash is stored"
    )
    func signIn() async throws {
        try await Self.run { api, _ in
            let browser = ConsoleClient(api.client)
            let wrong = try await browser.signIn("clinician_a", "not the password")
            let unknown = try await browser.signIn("nobody-here", "not the password")
            #expect(wrong.status == 401 && unknown.status == 401)
            #expect(wrong.html.contains("用户名或密码不正确") && unknown.html.contains("用户名或密码不正确"))
            #expect(browser.sessionSecret == nil)

            let page = try await browser.signIn("clinicianA", Self.password)
            #expect(page.status == 303 && page.location == "/console/")
            let cookie = page.headers[values: .setCookie].first { $0.hasPrefix("cordon_session=") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/console"))
            let secret = try #require(browser.sessionSecret)
            #expect(
                try await api.db.count("SELECT count(*)::int FROM console_sessions WHERE secret_hash = '\(secret)'")
                    == 0)
            #expect(
                try await api.db.count(
                    "SELECT count(*)::int FROM console_sessions WHERE secret_hash = encode(sha256('\(secret)'::bytea), 'hex')"
                )
                    == 1)
            #expect(try await api.db.count("SELECT count(*)::int FROM users WHERE password_hash LIKE '$2b$%'") == 4)
            // One site: the console goes straight to its board.
            let start = try await browser.get("/console/")
            #expect(start.status == 303 && start.location == "/console/sites/TA-01")
        }
    }

    @Test(
        "failed sign-ins are throttled per user, then even the right password waits; each is in the security log and the audit trail"
    )
    func throttle() async throws {
        try await Self.run { api, services in
            let browser = ConsoleClient(api.client)
            for _ in 0..<services.console.policy.failuresPerUser {
                #expect(try await browser.signIn("clinicianA", "wrong password!").status == 401)
            }
            let throttled = try await browser.signIn("clinicianA", Self.password)
            #expect(throttled.status == 429 && throttled.html.contains("15 分钟"))
            #expect(browser.sessionSecret == nil)
            #expect(
                try await api.db.count(
                    "SELECT count(*)::int FROM security_events WHERE kind = 'sign_in_failed' AND username = 'clinician_a'"
                )
                    == 0)
            #expect(
                try await api.db.count(
                    "SELECT count(*)::int FROM security_events WHERE kind = 'sign_in_failed' AND username = 'cliniciana'"
                )
                    == 5)
            #expect(try await api.db.count("SELECT count(*)::int FROM audit_log WHERE action = 'sign_in_failed'") == 5)
            // Another person at another desk is not held back by it.
            #expect(try await browser.signIn("pharmacistA", Self.password).status == 303)
        }
    }

    @Test("a session ends when idle for 30 minutes, at its absolute end, at sign-out, and when a grant is revoked")
    func sessionEnds() async throws {
        try await Self.run { api, services in
            let browser = ConsoleClient(api.client)
            let board = "/console/sites/TA-01"
            func signedIn() async throws -> Bool { try await browser.get(board).status == 200 }

            _ = try await browser.signIn("clinicianA", Self.password)
            #expect(try await signedIn())
            try await api.db.asOwner("UPDATE console_sessions SET last_seen_at = now() - interval '31 minutes'")
            let idle = try await browser.get(board)
            #expect(idle.status == 303 && idle.location?.hasPrefix("/console/sign-in?next=") == true)

            _ = try await browser.signIn("clinicianA", Self.password)
            try await api.db.asOwner(
                "UPDATE console_sessions SET created_at = now() - interval '13 hours', ends_at = now() - interval '1 hour'"
            )
            #expect(try await !signedIn())

            _ = try await browser.signIn("clinicianA", Self.password)
            let csrf = try #require(try await browser.get(board).csrf)
            #expect(try await browser.post("/console/sign-out", [("csrf", csrf)]).location == "/console/sign-in")
            #expect(try await !signedIn())

            _ = try await browser.signIn("clinicianA", Self.password)
            let other = ConsoleClient(api.client)
            _ = try await other.signIn("clinicianA", Self.password)
            _ = try await services.access.setGrant(
                username: "cliniciana", Grant(role: .clinician, siteId: api.siteA), revoke: true,
                actor: DemoFixture.operatorActor)
            #expect(try await !signedIn())
            #expect(try await other.get(board).status == 303)
            #expect(try await api.db.count("SELECT count(*)::int FROM console_sessions") == 0)
        }
    }

    @Test("sign out everywhere ends the person's sessions in every browser, and no one else's")
    func signOutEverywhere() async throws {
        try await Self.run { api, _ in
            let desk = ConsoleClient(api.client)
            let tablet = ConsoleClient(api.client)
            let colleague = ConsoleClient(api.client)
            for browser in [desk, tablet] { _ = try await browser.signIn("clinicianA", Self.password) }
            _ = try await colleague.signIn("managerA", Self.password)
            let csrf = try #require(try await desk.get("/console/sites/TA-01").csrf)
            #expect(try await desk.post("/console/sign-out-everywhere", [("csrf", csrf)]).status == 303)
            #expect(try await tablet.get("/console/sites/TA-01").status == 303)
            #expect(try await colleague.get("/console/sites/TA-01").status == 200)
        }
    }

    @Test("a POST without the session's CSRF token, or from another origin, is refused and writes nothing")
    func csrf() async throws {
        try await Self.run { api, _ in
            let browser = ConsoleClient(api.client)
            _ = try await browser.signIn("clinicianA", Self.password)
            let form = try await browser.get("/console/sites/TA-01/patients/new")
            let token = try #require(form.csrf)
            let fields = admission(bed: api.fixture.bedsA[0].id, name: "王秀英", id: testNationalID(sequence: 7))
            let patients = try await api.db.count("SELECT count(*)::int FROM patients")
            let missing = try await browser.post("/console/sites/TA-01/patients", fields)
            let wrong = try await browser.post(
                "/console/sites/TA-01/patients", fields + [("csrf", String(repeating: "0", count: 64))])
            let crossSite = try await browser.post(
                "/console/sites/TA-01/patients", fields + [("csrf", token)], headers: ["Origin": "https://evil.example"]
            )
            #expect(missing.status == 403 && wrong.status == 403 && crossSite.status == 403)
            #expect(missing.html.contains("表单已过期或来自其他网站"))
            #expect(try await api.db.count("SELECT count(*)::int FROM patients") == patients)
            let admitted = try await browser.post("/console/sites/TA-01/patients", fields + [("csrf", token)])
            #expect(admitted.status == 303)
            #expect(try await api.db.count("SELECT count(*)::int FROM patients") == patients + 1)
        }
    }

    @Test("a patient named <script>alert(1)</script> is shown as text on the list and the record")
    func escaping() async throws {
        try await Self.run { api, _ in
            let name = "<script>alert(1)</script>"
            let created = try await api.call(
                .post, "/sites/\(api.siteA)/patients", as: "clinicianA",
                body: api.admission(bed: api.fixture.bedsA[1].id, sequence: 3, name: name))
            let id = try #require(created.json["id"] as? Int)
            let browser = ConsoleClient(api.client)
            _ = try await browser.signIn("clinicianA", Self.password)
            for path in ["/console/sites/TA-01/patients", "/console/sites/TA-01/patients/\(id)"] {
                let page = try await browser.get(path)
                #expect(page.status == 200)
                #expect(!page.html.contains(name), "\(path) carries the name as markup")
                #expect(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(path) does not show the name")
                #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            }
        }
    }

    @Test("roles: a pharmacist sees no admit button and gets 403 on the admit page; another site's patient is 404")
    func roles() async throws {
        try await Self.run { api, _ in
            _ = try await api.call(
                .post, "/sites/\(api.siteB)/patients", as: "clinicianB",
                body: api.admission(bed: api.fixture.bedsB[0].id, sequence: 4))
            let pharmacist = ConsoleClient(api.client)
            _ = try await pharmacist.signIn("pharmacistA", Self.password)
            // The board's census is not the pharmacist's: they start at the patient list.
            #expect(try await pharmacist.get("/console/").location == "/console/sites/TA-01/patients")
            let list = try await pharmacist.get("/console/sites/TA-01/patients")
            #expect(list.status == 200)
            #expect(!list.html.contains("/patients/new"))
            let admitPage = try await pharmacist.get("/console/sites/TA-01/patients/new")
            #expect(admitPage.status == 403 && admitPage.html.contains("您的角色无权"))
            #expect(try await pharmacist.get("/console/sites/TB-01").status == 404)
            let clinicianB = ConsoleClient(api.client)
            _ = try await clinicianB.signIn("clinicianB", Self.password)
            let theirs = try await api.call(.get, "/sites/\(api.siteB)/patients", as: "clinicianB").items
            let patientB = try #require(theirs.first?["id"] as? Int)
            let clinician = ConsoleClient(api.client)
            _ = try await clinician.signIn("clinicianA", Self.password)
            #expect(try await clinician.get("/console/sites/TA-01/patients/\(patientB)").status == 404)
            #expect(try await clinician.get("/console/sites/TB-01/patients/\(patientB)").status == 404)
            #expect(try await clinicianB.get("/console/sites/TB-01/patients/\(patientB)").status == 200)
        }
    }

    @Test("the board's bed numbers equal GET /sites/{id}/census")
    func boardMatchesCensus() async throws {
        try await Self.run { api, _ in
            _ = try await api.admit(bed: api.fixture.bedsA[0].id, sequence: 1)
            _ = try await api.admit(bed: api.fixture.bedsA[1].id, sequence: 2)
            let census = try await api.call(.get, "/sites/\(api.siteA)/census", as: "managerA").json
            let totals = try #require(census["totals"] as? [String: Any])
            let browser = ConsoleClient(api.client)
            _ = try await browser.signIn("managerA", Self.password)
            let board = try await browser.get("/console/sites/TA-01")
            #expect(board.status == 200)
            for (key, field) in [("free", "free"), ("occupied", "occupied"), ("cleaning", "cleaning")] {
                let shown = #"data-total="\#(key)">\#(totals[field] as? Int ?? -1)<"#
                #expect(board.html.contains(shown), "board does not show \(key) = \(totals[field] ?? "nil")")
            }
            #expect(board.html.contains(#"data-total="admitted">\#(census["admittedPatients"] as? Int ?? -1)<"#))
            #expect(board.html.contains("<svg class=\"chart\""))
        }
    }

    @Test(
        "admit through the form: a wrong check digit is shown on its field with the input kept; fixed, the patient is admitted"
    )
    func admitForm() async throws {
        try await Self.run { api, _ in
            let browser = ConsoleClient(api.client)
            _ = try await browser.signIn("clinicianA", Self.password)
            let token = try #require(try await browser.get("/console/sites/TA-01/patients/new").csrf)
            let good = testNationalID(sequence: 9)
            let bad = String(good.dropLast()) + (good.last == "0" ? "1" : "0")
            let bed = api.fixture.bedsA[2].id
            let refused = try await browser.post(
                "/console/sites/TA-01/patients", admission(bed: bed, name: "陈美华", id: bad) + [("csrf", token)])
            #expect(refused.status == 422)
            #expect(refused.html.contains(#"id="nationalId" name="nationalId" value="\#(bad)""#))
            #expect(refused.html.contains(#"value="陈美华""#))
            // The service's sentence, in the page's language (Chinese by default).
            #expect(
                refused.html.range(of: #"id="nationalId-error"[^>]*>校验位不符"#, options: .regularExpression) != nil)
            let admitted = try await browser.post(
                "/console/sites/TA-01/patients", admission(bed: bed, name: "陈美华", id: good) + [("csrf", token)])
            #expect(admitted.status == 303)
            let record = try await browser.get(try #require(admitted.location))
            #expect(record.html.contains("陈美华") && record.html.contains(api.fixture.bedsA[2].code))
        }
    }

    @Test("a reset link sets the password once; the old password and the used link stop working")
    func resetLink() async throws {
        try await Self.run { api, services in
            let link = try await services.console.issueResetLink(
                username: "cliniciana", actor: DemoFixture.operatorActor)
            let browser = ConsoleClient(api.client)
            #expect(try await browser.get("/console/reset?link=\(link.secret)").status == 200)
            let short = try await browser.post(
                "/console/reset", [("link", link.secret), ("password", "short"), ("repeat", "short")])
            #expect(short.status == 422)
            let done = try await browser.post(
                "/console/reset",
                [("link", link.secret), ("password", "a new one, 2022"), ("repeat", "a new one, 2022")])
            #expect(done.status == 303)
            #expect(try await browser.get("/console/reset?link=\(link.secret)").status == 410)
            #expect(try await browser.signIn("clinicianA", Self.password).status == 401)
            #expect(try await browser.signIn("clinicianA", "a new one, 2022").status == 303)
        }
    }

    func admission(bed: Bed.ID, name: String, id: String) -> [(String, String)] {
        [
            ("name", name), ("nationalId", id), ("dateOfBirth", "1969-09-02"), ("sex", "female"),
            ("severity", "mild"), ("bedId", String(bed.rawValue)), ("phone", "13900000000"),
        ]
    }
}

/// The Chinese catalogue words every rule's explanation, with the same `{names}` as the English.
@Suite struct ExplanationCatalogueTests {
    @Test("every explanation Domain gives has a zh-CN template with the same placeholders")
    func everyExplanationIsTranslated() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/WebConsole/Catalogues/zh-CN.json")
        let chinese = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        func placeholders(_ text: String) -> Set<String> {
            Set(
                text.split(separator: "{", omittingEmptySubsequences: false).dropFirst().compactMap {
                    $0.split(separator: "}").first.map(String.init)
                })
        }
        for (key, english) in Explanation.english {
            let translated = try #require(
                chinese["why:" + key] ?? chinese[key], "zh-CN has no template for \(key)")
            #expect(placeholders(translated) == placeholders(english), "\(key) keeps its placeholders")
        }
        let nested = Explanation(
            "release.latest_fails",
            [
                "sampled": .text("{why}"),
                "why": .said(
                    Explanation(
                        "release.below",
                        [
                            "values": .all([
                                Explanation("release.n_gene_ct", ["ct": .text("30")]),
                                Explanation("release.ct_missing"),
                            ]),
                            "threshold": .text("35"),
                        ])),
            ])
        #expect(
            nested.english
                == "latest test (sampled {why}) does not qualify: N-gene Ct 30 and a missing Ct value below 35",
            "a value is shown as written, even one that looks like a placeholder")
        #expect(
            nested.worded { chinese["why:" + $0] ?? chinese[$0] }
                == "最近一次检测（采样于 {why}）不合格：N 基因 Ct 值 30、缺少 Ct 值，须均不低于 35")
    }
}
