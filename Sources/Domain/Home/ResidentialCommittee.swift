/// A residential committee (居委会): it takes its people back from the site and watches their
/// seven days of health monitoring at home. Named once per district.
public struct ResidentialCommittee: Sendable, Codable, Equatable {
    public typealias ID = Tagged<ResidentialCommittee, Int64>
    public var id: ID
    public var districtId: District.ID
    public var name: String
    /// The street (街道) it belongs to: buses home are grouped by it.
    public var street: String
    public var contactName: String?
    public var contactPhone: String?
    /// Where its bus notices are posted, signed, when its system takes them.
    public var webhookUrl: String?

    public init(
        id: ID, districtId: District.ID, name: String, street: String, contactName: String?, contactPhone: String?,
        webhookUrl: String? = nil
    ) {
        self.id = id
        self.districtId = districtId
        self.name = name
        self.street = street
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.webhookUrl = webhookUrl
    }
}

/// A committee as a district's clerk enters it.
public struct ResidentialCommitteeDraft: Sendable, Codable, Equatable {
    public var name: String
    public var street: String
    public var contactName: String?
    public var contactPhone: String?

    public init(name: String, street: String, contactName: String? = nil, contactPhone: String? = nil) {
        self.name = name
        self.street = street
        self.contactName = contactName
        self.contactPhone = contactPhone
    }

    public func validate() throws {
        var v = Validator()
        v.text(name, "name", max: 100)
        v.text(street, "street", max: 100)
        if let contactName { v.text(contactName, "contactName", max: 100) }
        v.phone(contactPhone, "contactPhone")
        try v.finish()
    }
}
