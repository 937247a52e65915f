import Domain
import Foundation
import LabelPDF
import Storage

/// What the public verification page may show of a certificate: whether it stands, the masked
/// identity and the dates, nothing else.
public struct CertificateCheck: Sendable, Equatable {
    public var number: String
    public var siteName: String
    public var maskedName: String
    public var maskedNationalId: String
    public var admittedOn: CalendarDate
    public var releasedOn: CalendarDate
    /// The day it was revoked, in the site's time zone; nil while it stands. The reason stays
    /// inside the site: it may be clinical.
    public var revokedOn: CalendarDate?

    public var isValid: Bool { revokedOn == nil }
}

/// A certificate with the two addresses printed or shown with it.
public struct IssuedCertificate: Sendable, Equatable {
    public var certificate: ReleaseCertificate
    /// The public verification page the QR code opens.
    public var verifyURL: String
    /// The phone-sized view of the whole certificate, for the person it was issued to.
    public var holderURL: String
}

/// Release certificates: issued by the database at release, printed (one, or a bus's worth in
/// one PDF) as often as asked and always the same, revoked with a reason, and checked by anyone
/// through the signed code in their QR code, at a rate an inspector needs and a script cannot
/// use to walk through them.
public struct CertificateService: Sendable {
    let database: Database
    let rule: DischargeRule
    /// Cordon's public address, which the codes' links start with.
    let baseURL: String

    /// Who prints and reads certificates: the discharge office (site manager) and clinicians.
    public static let readers: Set<Role> = [.siteManager, .clinician]
    /// The most certificates one PDF holds: at about 7 ms a page, a file of 1,000 is done well
    /// inside the request deadline (15 s); a day's releases print a bus at a time.
    public static let fileLimit = 1_000
    /// Verifications one address may make in `verifyWindow` seconds.
    public static let verifyLimit = 30
    public static let verifyWindow: TimeInterval = 60

    /// A patient's certificate with its links.
    public func certificate(siteId: Site.ID, patientId: Patient.ID, actor: Actor) async throws -> IssuedCertificate {
        try actor.require(Self.readers, at: siteId)
        return try await issued(siteId: siteId, patientIds: [patientId], actor: actor).first
            .orNotFound("release certificate (the patient has not been released as recovered)")
    }

    /// The certificates of the patients released in the last `hours` hours, latest first.
    public func recent(siteId: Site.ID, hours: Int = 24, actor: Actor) async throws -> [IssuedCertificate] {
        try actor.require(Self.readers, at: siteId)
        return try await database.transaction(actor) { tx in
            _ = try await tx.site(siteId)
            return try await issued(tx, siteId: siteId, since: Date().addingTimeInterval(-Double(hours) * 3600))
        }
    }

    /// The certificates of these patients as one PDF, a page each in the order given, in
    /// Chinese and English; refused whole when one of them has none.
    public func pdf(siteId: Site.ID, patientIds: [Patient.ID], actor: Actor) async throws -> Data {
        try actor.require(Self.readers, at: siteId)
        guard !patientIds.isEmpty else { throw DomainError.invalid("patientIds", "name at least one patient") }
        guard patientIds.count <= Self.fileLimit else {
            throw DomainError.invalid(
                "patientIds", "at most \(Self.fileLimit) certificates in one file; print them a bus at a time")
        }
        if let duplicate = Dictionary(grouping: patientIds.enumerated(), by: \.element).values.first(where: {
            $0.count > 1
        }) {
            throw DomainError.invalid(
                "patientIds[\(duplicate[1].offset)]", "names patient \(duplicate[1].element) twice")
        }
        let certificates = try await issued(siteId: siteId, patientIds: patientIds, actor: actor)
        if certificates.count < patientIds.count {
            let have = Set(certificates.map(\.certificate.patientId))
            let index = patientIds.firstIndex { !have.contains($0) } ?? 0
            throw DomainError.invalid(
                "patientIds[\(index)]",
                "patient \(patientIds[index]) has no release certificate (not released as recovered at this site)")
        }
        return try LabelPDF.certificates(certificates.map(CertificateLayout.page))
    }

    /// Revokes a patient's certificate with a reason; audited. Revoking it again changes
    /// nothing and answers the first revocation.
    public func revoke(siteId: Site.ID, patientId: Patient.ID, reason: String, actor: Actor) async throws
        -> IssuedCertificate
    {
        try actor.require(Self.readers, at: siteId)
        let reason = reason.trimmedOfWhitespace
        guard (1...500).contains(reason.count) else {
            throw DomainError.invalid("reason", "say why, in 1 to 500 characters")
        }
        return try await database.transaction(actor) { tx in
            _ = try await tx.site(siteId)
            guard
                let revokedNow = try await tx.certificates.revoke(
                    siteId: siteId, patientId: patientId, by: actor.username, reason: reason)
            else {
                throw DomainError.notFound("release certificate (the patient has not been released as recovered)")
            }
            let issued = try await self.issued(tx, siteId: siteId, patientIds: [patientId])[0]
            if revokedNow {
                try await tx.audit.record(
                    "revoke", entity: "release_certificate", id: issued.certificate.id, siteId: siteId,
                    before: ["status": "valid"], after: ["status": "revoked", "reason": reason])
            }
            return issued
        }
    }

    /// What the verification page shows for a code; counted per address before the code is
    /// read, so guessing costs as much as checking.
    public func verify(code: String, origin: Origin) async throws -> CertificateCheck {
        try await admit(origin)
        let certificate = try await read(code: code, purpose: .verify, origin: origin).certificate
        return CertificateCheck(
            number: certificate.number, siteName: certificate.siteName, maskedName: certificate.maskedName,
            maskedNationalId: certificate.maskedNationalId, admittedOn: certificate.admittedOn,
            releasedOn: certificate.releasedOn,
            revokedOn: certificate.revocation.map { CalendarDate($0.at, in: certificate.timeZone) })
    }

    /// The whole certificate for its holder's phone, from the code of their own link.
    public func holderView(code: String, origin: Origin) async throws -> IssuedCertificate {
        try await admit(origin)
        let (certificate, key) = try await read(code: code, purpose: .holder, origin: origin)
        return links(certificate, keyHex: key)
    }

    // MARK: Reading

    private func admit(_ origin: Origin) async throws {
        let address = RateLimiter.address(of: origin)
        try await RateLimiter(database: database).admit(
            bucket: "certificate-verify:\(address)", limit: Self.verifyLimit, window: Self.verifyWindow,
            what: "too many certificate checks from this address")
    }

    private static func visitor(_ origin: Origin) -> Actor {
        Actor(userId: nil, username: "certificate-check", grants: [], origin: origin)
    }

    /// The certificate a genuine code of `purpose` names, with the site's key that signed it;
    /// any other code is not found, saying no more (not which part was wrong).
    private func read(code: String, purpose: SignedLinkPurpose, origin: Origin) async throws
        -> (certificate: ReleaseCertificate, key: String)
    {
        let unknown = DomainError.notFound("certificate (this code is not one Cordon issued)")
        guard let claims = SignedLinkCodes.claims(of: code), claims.purpose == purpose else { throw unknown }
        return try await database.read(Self.visitor(origin)) { tx in
            guard let key = try await tx.certificates.existingSigningKey(siteId: claims.siteId),
                SignedLinkCodes.isGenuine(code, keyHex: key),
                let stored = try await tx.certificates.certificates(
                    siteId: claims.siteId, certificateId: claims.recordId
                ).first
            else { throw unknown }
            return (certificate(stored), key)
        }
    }

    private func issued(siteId: Site.ID, patientIds: [Patient.ID], actor: Actor) async throws -> [IssuedCertificate] {
        try await database.transaction(actor) { tx in
            _ = try await tx.site(siteId)
            return try await issued(tx, siteId: siteId, patientIds: patientIds)
        }
    }

    /// These patients' certificates, or those released since a time, with their links.
    private func issued(_ tx: Transaction, siteId: Site.ID, patientIds: [Patient.ID]? = nil, since: Date? = nil)
        async throws -> [IssuedCertificate]
    {
        let key = try await tx.certificates.signingKey(siteId: siteId)
        return try await tx.certificates.certificates(
            siteId: siteId, patientIds: patientIds, releasedSince: since, limit: ReleaseService.batchLimit
        ).map { links(certificate($0), keyHex: key) }
    }

    /// The stored certificate with the two tests the rule was met with.
    private func certificate(_ stored: CertificateRepository.Stored) -> ReleaseCertificate {
        var certificate = stored.certificate
        let qualifying = Set(rule.evaluate(stored.tests).qualifyingTestIds.suffix(2))
        certificate.qualifyingTests = stored.tests.filter { qualifying.contains($0.id) }
        return certificate
    }

    private func links(_ certificate: ReleaseCertificate, keyHex: String) -> IssuedCertificate {
        func code(_ purpose: SignedLinkPurpose) -> String {
            SignedLinkCodes.sign(
                .init(purpose: purpose, siteId: certificate.siteId, recordId: certificate.id), keyHex: keyHex)
        }
        return IssuedCertificate(
            certificate: certificate, verifyURL: baseURL + "/verify/" + code(.verify),
            holderURL: baseURL + "/certificate/" + code(.holder))
    }
}
