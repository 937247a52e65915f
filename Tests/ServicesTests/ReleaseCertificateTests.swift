import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Release certificates: issued at release, printed with a QR code that verifies, revoked with a reason")
struct ReleaseCertificateTests {
    typealias F = SwabFixture

    /// Admits, clears, signs off and releases patients `numbers`; returns them.
    static func released(_ f: F, _ numbers: [Int]) async throws -> [Patient] {
        var patients: [Patient] = []
        for n in numbers { patients.append(try await ReleaseTests.admit(f, n, clear: 2)) }
        let clinician = try await f.actor("clinicianA")
        _ = try await f.services.releases.signOff(
            siteId: f.site, patientIds: patients.map(\.id), symptomsImproved: true, note: nil, actor: clinician)
        let batch = try await f.services.releases.release(
            siteId: f.site, patientIds: patients.map(\.id), actor: clinician)
        #expect(batch.released == numbers.count)
        return patients
    }

    static let visitor = Origin.http(requestId: "test", address: "198.51.100.7")

    /// The code at the end of a certificate link.
    static func code(_ url: String) -> String { String(url.split(separator: "/").last ?? "") }

    @Test(
        "release issues a certificate; its PDF's QR code holds the verification link, which says valid, then revoked; a reprint is the same"
    )
    func issueVerifyRevoke() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let patients = try await Self.released(f, [1, 2])
            let certificates = f.services.certificates
            let clinician = try await f.actor("clinicianA")
            #expect(try await db.count("SELECT count(*)::int FROM release_certificates") == 2)

            let issued = try await certificates.certificate(siteId: f.site, patientId: patients[0].id, actor: clinician)
            let c = issued.certificate
            #expect(c.name == patients[0].name && c.maskedNationalId.hasPrefix("**************"))
            #expect(c.maskedNationalId.suffix(4) == patients[0].nationalId.suffix(4))
            #expect(c.qualifyingTests.count == 2 && c.qualifyingTests.allSatisfy { $0.result == .negative })
            #expect(c.number.hasPrefix(f.demo.siteA.code + "-RC-") && !c.isRevoked)
            #expect(issued.verifyURL.contains("/verify/") && issued.holderURL.contains("/certificate/"))

            // The printed page carries the link in its QR code, and the name and masked ID in text.
            let pdf = try await certificates.pdf(siteId: f.site, patientIds: [patients[0].id], actor: clinician)
            #expect(try await SwabLabelTests.decoded(pdf) == [[issued.verifyURL]])
            let text = try await SwabLabelTests.text(pdf)
            #expect(text.contains(c.name) && text.contains(c.maskedNationalId) && text.contains("解除隔离证明"))
            #expect(!text.contains(patients[0].nationalId), "the full ID number is never printed")
            let again = try await certificates.certificate(siteId: f.site, patientId: patients[0].id, actor: clinician)
            #expect(again == issued, "a reprint is the same certificate, with the same links")

            let check = try await certificates.verify(code: Self.code(issued.verifyURL), origin: Self.visitor)
            #expect(
                check.isValid
                    && check.maskedName == String(c.name.prefix(1)) + String(repeating: "*", count: c.name.count - 1))
            #expect(check.maskedNationalId == c.maskedNationalId && check.releasedOn == c.releasedOn)
            // The holder's code opens the holder's view, not the public check, and the other way round.
            #expect(
                try await certificates.holderView(code: Self.code(issued.holderURL), origin: Self.visitor).certificate
                    == c)
            await #expect(throws: DomainError.self) {
                _ = try await certificates.verify(code: Self.code(issued.holderURL), origin: Self.visitor)
            }

            // Revoking takes a reason and a carer; it is audited once, and the page says revoked.
            await #expect(throws: DomainError.self) {
                _ = try await certificates.revoke(
                    siteId: f.site, patientId: patients[0].id, reason: "  ", actor: clinician)
            }
            await #expect(throws: DomainError.self) {
                _ = try await certificates.revoke(
                    siteId: f.site, patientId: patients[0].id, reason: "wrong person",
                    actor: try await f.actor("pharmacistA"))
            }
            let revoked = try await certificates.revoke(
                siteId: f.site, patientId: patients[0].id, reason: "阳性复检", actor: clinician)
            #expect(revoked.certificate.revocation?.reason == "阳性复检")
            let twice = try await certificates.revoke(
                siteId: f.site, patientId: patients[0].id, reason: "again", actor: clinician)
            #expect(twice.certificate.revocation?.reason == "阳性复检", "the first revocation stands")
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM audit_log WHERE action = 'revoke' AND entity = 'release_certificate'")
                    == 1)
            let after = try await certificates.verify(code: Self.code(issued.verifyURL), origin: Self.visitor)
            #expect(!after.isValid && after.revokedOn != nil)
            let stamped = try await SwabLabelTests.text(
                try await certificates.pdf(siteId: f.site, patientIds: [patients[0].id], actor: clinician))
            // The stamp is set at an angle, so its letters come out of the text one by one.
            #expect(stamped.contains("撤") && stamped.contains("销") && !text.contains("撤"))
            let other = try await certificates.verify(
                code: Self.code(
                    try await certificates.certificate(siteId: f.site, patientId: patients[1].id, actor: clinician)
                        .verifyURL), origin: Self.visitor)
            #expect(other.isValid, "revoking one leaves the others")
        }
    }

    @Test("a forged, altered or made-up code is not a certificate; checks from one address are limited")
    func forgedCodes() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let patients = try await Self.released(f, [1, 2])
            let certificates = f.services.certificates
            let clinician = try await f.actor("clinicianA")
            let first = Self.code(
                try await certificates.certificate(siteId: f.site, patientId: patients[0].id, actor: clinician)
                    .verifyURL)
            // The next certificate's id with the first one's signature: walking by counting fails.
            var bytes = [UInt8](
                Data(
                    base64Encoded: first.replacingOccurrences(of: "-", with: "+").replacingOccurrences(
                        of: "_", with: "/"))!)
            bytes[16] ^= 0x03
            let altered = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            let address = Origin.http(requestId: "t", address: "203.0.113.9")
            for code in [altered, "", "x", String(repeating: "A", count: 44), first + "A", String(first.dropLast())] {
                await #expect(
                    throws: DomainError.notFound("certificate (this code is not one Cordon issued)"), "\(code)"
                ) {
                    _ = try await certificates.verify(code: code, origin: address)
                }
            }
            // Six tries so far from this address; the limit counts made-up codes too.
            for _ in 6..<CertificateService.verifyLimit {
                _ = try await certificates.verify(code: first, origin: address)
            }
            await #expect {
                _ = try await certificates.verify(code: first, origin: address)
            } throws: { error in
                guard case DomainError.tooManyAttempts = error else { return false }
                return true
            }
            #expect(
                try await certificates.verify(code: first, origin: Self.visitor).isValid, "another address checks on")

            // A file for a bus: one page each in order; one without a certificate refuses the lot.
            let pdf = try await certificates.pdf(
                siteId: f.site, patientIds: [patients[1].id, patients[0].id], actor: clinician)
            let codes = try await SwabLabelTests.decoded(pdf)
            #expect(codes.count == 2)
            await #expect(
                throws: DomainError.invalid(
                    "patientIds", "at most 1000 certificates in one file; print them a bus at a time")
            ) {
                _ = try await certificates.pdf(
                    siteId: f.site, patientIds: (1...1_001).map { Patient.ID(rawValue: Int64($0)) }, actor: clinician)
            }
            let stillHere = try await ReleaseTests.admit(f, 3, clear: 0)
            await #expect {
                _ = try await certificates.pdf(
                    siteId: f.site, patientIds: [patients[0].id, stillHere.id], actor: clinician)
            } throws: { error in
                guard case DomainError.invalid(let issues) = error else { return false }
                return issues.map(\.field) == ["patientIds[1]"]
            }
        }
    }
}
