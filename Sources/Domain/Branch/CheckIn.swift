import Foundation

/// What a patient submits after scanning the branch's code.
public struct CheckInSubmission: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    /// The last four characters of their national ID number.
    public var idLast4: String
    /// Their birth date: with the name and the ID ending, three things a stranger holding a
    /// photo of the poster would have to know.
    public var dateOfBirth: CalendarDate
    /// Their home Party organisation, e.g. the branch of their residential committee.
    public var homeOrganisation: String
    public var phone: String

    public init(
        code: String, name: String, idLast4: String, dateOfBirth: CalendarDate, homeOrganisation: String, phone: String
    ) {
        self.code = code
        self.name = name
        self.idLast4 = idLast4
        self.dateOfBirth = dateOfBirth
        self.homeOrganisation = homeOrganisation
        self.phone = phone
    }

    public func validate() throws {
        var v = Validator()
        v.check(!code.isEmpty && code.count <= 1000, "code", "must be the code from the poster")
        v.text(name, "name", max: 100)
        let last4 = Array(idLast4.uppercased())
        v.check(
            last4.count == 4
                && last4.enumerated().allSatisfy { i, c in (c.isASCII && c.isNumber) || (c == "X" && i == 3) },
            "idLast4",
            "must be the last 4 characters of the ID number (digits, or X last)")
        v.check(dateOfBirth.year >= 1900 && dateOfBirth.year <= 2100, "dateOfBirth", "must be a birth date after 1900")
        v.text(homeOrganisation, "homeOrganisation", max: 200)
        v.phone(phone, "phone")
        try v.finish()
    }
}

/// What the patient's phone is told after a check-in. The same words for a first check-in and a
/// repeat, and nothing about the bed or the zone: whoever holds a photo of the poster learns no
/// more than the details they typed in.
public struct CheckInReceipt: Sendable, Codable, Equatable {
    public var status: String
    public var branchName: String
    public var message: String

    public init(branchName: String) {
        self.status = "checked_in"
        self.branchName = branchName
        self.message = "报到成功，谢谢您！ You have reported to \(branchName)."
    }
}

/// A patient who is a Party member and reported to the branch.
public struct CheckIn: Sendable, Codable, Equatable {
    public var id: ID
    public var branchId: Branch.ID
    public var patientId: Patient.ID
    public var patientName: String
    public var bedCode: String?
    public var zoneCode: String?
    public var homeOrganisation: String
    public var phone: String
    public var checkedInAt: Date

    public init(
        id: ID, branchId: Branch.ID, patientId: Patient.ID, patientName: String, bedCode: String?, zoneCode: String?,
        homeOrganisation: String, phone: String, checkedInAt: Date
    ) {
        self.id = id
        self.branchId = branchId
        self.patientId = patientId
        self.patientName = patientName
        self.bedCode = bedCode
        self.zoneCode = zoneCode
        self.homeOrganisation = homeOrganisation
        self.phone = phone
        self.checkedInAt = checkedInAt
    }
}

/// The claims a check-in code carries; the code is these, signed.
public struct CheckInClaims: Sendable, Codable, Equatable {
    public var siteId: Site.ID
    public var branchId: Branch.ID
    public var codeId: Int64
    public var expiresAt: Int64

    public init(siteId: Site.ID, branchId: Branch.ID, codeId: Int64, expiresAt: Int64) {
        self.siteId = siteId
        self.branchId = branchId
        self.codeId = codeId
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case siteId = "s"
        case branchId = "b"
        case codeId = "c"
        case expiresAt = "e"
    }
}

/// An issued check-in code, with the URL its QR code carries.
public struct IssuedCheckInCode: Sendable, Codable, Equatable {
    public var codeId: Int64
    public var code: String
    public var url: String
    public var expiresAt: Date

    public init(codeId: Int64, code: String, url: String, expiresAt: Date) {
        self.codeId = codeId
        self.code = code
        self.url = url
        self.expiresAt = expiresAt
    }
}
