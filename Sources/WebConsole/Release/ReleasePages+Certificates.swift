import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// Certificates on the release page: the last day's releases, their PDFs and revocation.
extension ReleasePages {
    /// A released patient's certificate: its PDF, the holder's link, whether it stands.
    func certificateRow(_ issued: IssuedCertificate, patients: String) -> ReleasePage.Released {
        let c = issued.certificate
        let status =
            c.revocation.map { revocation in
                HTML.escape(words["release_certificate_revoked"]).replacingOccurrences(
                    of: "{time}", with: HTML.escape(LocalTimeText.dayAndTime(revocation.at, site.timeZone))
                )
                .replacingOccurrences(of: "{name}", with: HTML.data(revocation.by))
                .replacingOccurrences(of: "{reason}", with: HTML.data(revocation.reason))
            } ?? HTML.escape(words["release_certificate_valid"])
        return ReleasePage.Released(
            id: c.patientId.rawValue, name: c.name, path: "\(patients)/\(c.patientId)", number: c.number,
            pdfPath: "\(patients)/\(c.patientId)/release-certificate.pdf", holderURL: issued.holderURL, status: status,
            revoked: c.isRevoked, revokePath: "\(base)/certificates/\(c.patientId)/revoke")
    }

    /// One patient's certificate as a PDF.
    func certificate(patient: Patient.ID) async throws -> Response {
        let pdf = try await visit.services.certificates.pdf(siteId: site.id, patientIds: [patient], actor: visit.actor)
        return WebConsole.file(pdf, type: "application/pdf", named: "release-certificate-\(patient).pdf")
    }

    /// The ticked certificates as one PDF, to print for a bus.
    func printCertificates(_ form: Form) async throws -> Response {
        try await visit.attempt {
            let ids = ticked(form)
            guard !ids.isEmpty else { throw DomainError.invalid("patientIds", words["release_tick_someone"]) }
            let pdf = try await visit.services.certificates.pdf(siteId: site.id, patientIds: ids, actor: visit.actor)
            return WebConsole.file(pdf, type: "application/pdf", named: "release-certificates.pdf")
        } orShow: { issues, status in
            try await list(zone: nil, notices: issues.map(\.detail), status: status)
        }
    }

    /// Revokes a certificate with the reason given.
    func revoke(patient: Patient.ID, _ form: Form) async throws -> Response {
        try await visit.attempt {
            let issued = try await visit.services.certificates.revoke(
                siteId: site.id, patientId: patient, reason: form.text("reason") ?? "", actor: visit.actor)
            return try await list(
                zone: nil,
                notices: [
                    words["release_revoked_notice"].replacingOccurrences(
                        of: "{number}", with: issued.certificate.number)
                ])
        } orShow: { issues, status in
            try await list(zone: nil, notices: issues.map(\.detail), status: status)
        }
    }
}
