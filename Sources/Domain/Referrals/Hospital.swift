import Foundation

/// A hospital that receives referrals, with its departments.
public struct Hospital: Sendable, Codable, Equatable {
    public var id: ID
    public var code: String
    public var name: String
    public var contactName: String
    public var contactPhone: String
    public var webhookUrl: String?
    public var departments: [Department]
    public var version: Int

    public init(
        id: ID, code: String, name: String, contactName: String, contactPhone: String, webhookUrl: String?,
        departments: [Department], version: Int
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.webhookUrl = webhookUrl
        self.departments = departments
        self.version = version
    }

    /// A department and the services it gives.
    public struct Department: Sendable, Codable, Equatable {
        public var id: ID
        public var code: String
        public var name: String
        public var services: [ReferralServiceKind]

        public init(id: ID, code: String, name: String, services: [ReferralServiceKind]) {
            self.id = id
            self.code = code
            self.name = name
            self.services = services
        }
    }
}

/// A hospital as an admin registers it.
public struct HospitalDraft: Sendable, Codable, Equatable {
    public struct DepartmentDraft: Sendable, Codable, Equatable {
        public var code: String
        public var name: String
        public var services: [ReferralServiceKind]
        public init(code: String, name: String, services: [ReferralServiceKind]) {
            self.code = code
            self.name = name
            self.services = services
        }
    }

    public var code: String
    public var name: String
    public var contactName: String
    public var contactPhone: String
    public var webhookUrl: String?
    public var departments: [DepartmentDraft]

    public init(
        code: String, name: String, contactName: String = "", contactPhone: String = "", webhookUrl: String? = nil,
        departments: [DepartmentDraft] = []
    ) {
        self.code = code
        self.name = name
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.webhookUrl = webhookUrl
        self.departments = departments
    }

    /// A hospital code: letters, digits and dashes, so that its integration user's name
    /// (`hospital-` and the code in lower case) belongs to it alone.
    /// The most departments one hospital may list.
    public static let maximumDepartments = 100

    public static func isCode(_ code: String) -> Bool {
        (2...32).contains(code.count) && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            && code.first != "-"
    }

    public func validate() throws {
        var v = Validator()
        v.check(
            Self.isCode(code), "code", "must be 2-32 letters, digits or dashes, e.g. PJ1 (the same whatever their case)"
        )
        v.text(name, "name", max: 200)
        v.optionalText(contactName, "contactName", max: 100)
        if !contactPhone.isEmpty { v.phone(contactPhone, "contactPhone") }
        for (i, d) in departments.enumerated() {
            v.check(
                StaffDraft.isCode(d.code), "departments[\(i)].code",
                "must be 1-32 letters, digits, dashes or underscores")
            v.text(d.name, "departments[\(i)].name", max: 100)
        }
        v.check(Set(departments.map(\.code)).count == departments.count, "departments", "department codes must differ")
        v.check(
            departments.count <= Self.maximumDepartments, "departments",
            "must list at most \(Self.maximumDepartments) departments")
        for (i, d) in departments.enumerated() {
            v.check(
                Set(d.services).count == d.services.count, "departments[\(i)].services", "must name each service once")
        }
        try v.finish()
    }
}
