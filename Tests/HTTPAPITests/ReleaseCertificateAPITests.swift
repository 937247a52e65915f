import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("HTTP and console: release certificates, their public check and the holder's phone view")
struct ReleaseCertificateAPITests {
    /// Releases `count` clear, signed-off patients of site A.
    static func released(_ api: APIHarness, _ services: CordonServices, count: Int) async throws -> [Patient] {
        let patients = try await ReleaseAPITests.clear(api, services: services, count: count)
        let clinician = try await services.access.authenticate(token: api.fixture.tokens["clinicianA"]!, origin: .seed)
        _ = try await services.releases.signOff(
            siteId: api.fixture.siteA.id, patientIds: patients.map(\.id), symptomsImproved: true, note: nil,
            actor: clinician)
        _ = try await services.releases.release(
            siteId: api.fixture.siteA.id, patientIds: patients.map(\.id), actor: clinician)
        return patients
    }

    /// The path of an absolute link Cordon made.
    static func path(_ url: String) -> String {
        URL(string: url).map { $0.path } ?? url
    }

    @Test("REST: the certificate, its PDF, a bus's file and revocation; bad input is refused naming the field")
    func rest() async throws {
        try await WebConsoleTests.run { api, services in
            let patients = try await Self.released(api, services, count: 2)
            let site = "/sites/\(api.siteA)"
            let one = try await api.call(.get, site + "/patients/\(patients[0].id)/release-certificate", as: "managerA")
            #expect(one.status == 200 && one.json["status"] as? String == "valid", "\(one.text)")
            #expect((one.json["qualifyingTests"] as? [Any])?.count == 2)
            #expect((one.json["maskedNationalId"] as? String)?.hasPrefix("****") == true)
            #expect(
                try await api.call(.get, site + "/patients/\(patients[0].id)/release-certificate", as: "pharmacistA")
                    .status == 403)
            let pdf = try await api.call(
                .get, site + "/patients/\(patients[0].id)/release-certificate/pdf", as: "clinicianA")
            #expect(pdf.status == 200 && pdf.header("Content-Type") == "application/pdf" && pdf.text.hasPrefix("%PDF"))
            let bus = try await api.call(
                .post, site + "/release-certificate-prints", as: "managerA",
                body: #"{"patientIds":[\#(patients[1].id),\#(patients[0].id)]}"#)
            #expect(bus.status == 200 && bus.text.hasPrefix("%PDF"))
            for (body, field) in [
                (#"{"patientIds":[]}"#, "patientIds"),
                (#"{"patientIds":[\#(patients[0].id),999999]}"#, "patientIds[1]"),
                (#"{"patientIds":[9223372036854775807]}"#, "patientIds[0]"), (#"{"patientIds":[1],"x":1}"#, "x"),
            ] {
                let refused = try await api.call(
                    .post, site + "/release-certificate-prints", as: "managerA", body: body)
                #expect(
                    (400..<500).contains(refused.status) && refused.problemFields.contains(field),
                    "\(body): \(refused.text)")
            }
            let noReason = try await api.call(
                .post, site + "/patients/\(patients[0].id)/release-certificate/revocation", as: "managerA",
                body: #"{"reason":""}"#)
            #expect((400..<500).contains(noReason.status) && noReason.problemFields == ["reason"], "\(noReason.text)")
            let revoked = try await api.call(
                .post, site + "/patients/\(patients[0].id)/release-certificate/revocation", as: "managerA",
                body: #"{"reason":"issued to the wrong person"}"#)
            #expect(revoked.status == 200 && revoked.json["status"] as? String == "revoked", "\(revoked.text)")
            #expect(revoked.json["revocationReason"] as? String == "issued to the wrong person")
            let missing = try await api.call(
                .get, site + "/patients/999999/release-certificate", as: "managerA")
            #expect(missing.status == 404, "\(missing.text)")
        }
    }

    @Test(
        "public pages: the QR link says valid without sign-in and shows only the masked identity; revoked after revocation; a forged code is not found; the holder's view fits a phone"
    )
    func publicPages() async throws {
        try await WebConsoleTests.run { api, services in
            let patients = try await Self.released(api, services, count: 1)
            let manager = try await services.access.authenticate(token: api.fixture.tokens["managerA"]!, origin: .seed)
            let issued = try await services.certificates.certificate(
                siteId: api.fixture.siteA.id, patientId: patients[0].id, actor: manager)
            let visitor = ConsoleClient(api.client)
            let check = try await visitor.get(Self.path(issued.verifyURL))
            #expect(check.status == 200 && check.html.contains("此证明真实有效"), "\(check.html)")
            #expect(check.html.contains("张*") && !check.html.contains("张三"), "the masked name only")
            #expect(
                !check.html.contains(patients[0].nationalId) && check.html.contains(issued.certificate.maskedNationalId)
            )
            #expect(!check.html.contains("阴性"), "no test result on the public page")

            let holder = try await visitor.get(Self.path(issued.holderURL))
            #expect(
                holder.status == 200 && holder.html.contains("张三") && holder.html.contains("<svg"), "\(holder.html)")
            #expect(holder.html.contains("阴性"), "the holder sees their tests")

            let forged = try await visitor.get("/verify/" + String(repeating: "A", count: 44))
            #expect(forged.status == 404 && forged.html.contains("这不是 Cordon 签发的证明"), "\(forged.html)")

            // The discharge office sees today's certificates on the release page and revokes one.
            let office = ConsoleClient(api.client)
            _ = try await office.signIn("managerA", WebConsoleTests.password)
            let page = try await office.get("/console/sites/TA-01/release")
            #expect(
                page.html.contains(issued.certificate.number) && page.html.contains("近 24 小时出舱 (1)"), "\(page.html)")
            #expect(page.html.contains("data-confirm=\"确定撤销此证明"), "revoking asks first")
            let file = try await office.get("/console/sites/TA-01/patients/\(patients[0].id)/release-certificate.pdf")
            #expect(file.status == 200 && file.html.hasPrefix("%PDF"))
            let empty = try await office.post(
                "/console/sites/TA-01/release/certificates/\(patients[0].id)/revoke",
                [("csrf", try #require(page.csrf)), ("reason", " ")])
            #expect(empty.status == 422, "\(empty.html)")
            let revoke = try await office.post(
                "/console/sites/TA-01/release/certificates/\(patients[0].id)/revoke",
                [("csrf", try #require(page.csrf)), ("reason", "复检阳性")])
            #expect(revoke.status == 200 && revoke.html.contains("已撤销"), "\(revoke.html)")
            #expect(revoke.html.contains(#"<span translate="no">复检阳性</span>"#), "the reason marked as data")

            let after = try await visitor.get(Self.path(issued.verifyURL))
            #expect(after.status == 200 && after.html.contains("此证明已于") && after.html.contains("撤销"), "\(after.html)")
            let english = ConsoleClient(api.client)
            _ = try await english.get("/console/language?lang=en&back=" + Self.path(issued.verifyURL))
            let translated = try await english.get(Self.path(issued.verifyURL))
            #expect(translated.html.contains("It is no longer valid"), "the language chosen holds: \(translated.html)")
        }
    }
}
