import Foundation

/// A release certificate: issued by the database when a patient is released as recovered, the
/// same on every reprint, and revocable with a reason. It carries the identity only masked (the
/// last 4 characters of the ID number), because a certificate is shown to whoever asks for it.
public struct ReleaseCertificate: Sendable, Equatable {
    public var id: Int64
    public var siteId: Site.ID
    public var siteCode: String
    public var siteName: String
    public var patientId: Patient.ID
    public var name: String
    /// The last 4 characters of the ID number behind asterisks.
    public var maskedNationalId: String
    public var admittedAt: Date
    public var releasedAt: Date
    /// The two tests the release rule was met with, earlier first (fewer when a patient was
    /// released before their history was recorded here).
    public var qualifyingTests: [NucleicAcidTest]
    public var revocation: Revocation?
    /// Where the site is, for the dates printed on the certificate.
    public var timeZone: TimeZone

    public struct Revocation: Sendable, Equatable {
        public var at: Date
        public var by: String
        public var reason: String

        public init(at: Date, by: String, reason: String) {
            self.at = at
            self.by = by
            self.reason = reason
        }
    }

    public init(
        id: Int64, siteId: Site.ID, siteCode: String, siteName: String, patientId: Patient.ID, name: String,
        maskedNationalId: String, admittedAt: Date, releasedAt: Date, qualifyingTests: [NucleicAcidTest],
        revocation: Revocation?, timeZone: TimeZone
    ) {
        self.id = id
        self.siteId = siteId
        self.siteCode = siteCode
        self.siteName = siteName
        self.patientId = patientId
        self.name = name
        self.maskedNationalId = maskedNationalId
        self.admittedAt = admittedAt
        self.releasedAt = releasedAt
        self.qualifyingTests = qualifyingTests
        self.revocation = revocation
        self.timeZone = timeZone
    }

    /// The number printed on the certificate: the site's code and the certificate's id.
    public var number: String {
        let digits = String(id)
        return "\(siteCode)-RC-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    public var isRevoked: Bool { revocation != nil }

    /// The admission and release days in the site's time zone.
    public var admittedOn: CalendarDate { CalendarDate(admittedAt, in: timeZone) }
    public var releasedOn: CalendarDate { CalendarDate(releasedAt, in: timeZone) }

    /// The name as a public page shows it: the first character, then one asterisk for each
    /// other letter (`张三丰` is `张**`, `Li Wei` is `L* ***`).
    public var maskedName: String {
        var seen = false
        return String(
            name.map { character in
                if character == " " { return character }
                defer { seen = true }
                return seen ? "*" : character
            })
    }
}

/// What a signed public link of a site opens: the public check of a certificate (valid or
/// revoked, the masked identity and the dates), the holder's own view of the whole of it, or a
/// residential committee's list of who arrives on a bus, to acknowledge.
public enum SignedLinkPurpose: UInt8, Sendable, CaseIterable {
    case verify = 1
    case holder = 2
    case committeeNotice = 3
}
