/// Where a patient goes home to, kept from admission or the transfer list: the address, the
/// residential committee (居委会) that takes them back, the household they travel with, and
/// whether they need a carer beside them (two seats on a bus).
public struct HomeDetails: Sendable, Codable, Equatable {
    public var homeAddress: String?
    /// The committee as given; matched to a committee record of the site's district when one
    /// has this name.
    public var committee: String?
    public var household: String?
    public var needsCarer: Bool

    public init(
        homeAddress: String? = nil, committee: String? = nil, household: String? = nil, needsCarer: Bool = false
    ) {
        self.homeAddress = homeAddress
        self.committee = committee
        self.household = household
        self.needsCarer = needsCarer
    }

    /// The details given, or nil when none was: an admission without them records nothing.
    public static func given(homeAddress: String?, committee: String?, household: String?, needsCarer: Bool?)
        -> HomeDetails?
    {
        let home = HomeDetails(
            homeAddress: homeAddress, committee: committee, household: household, needsCarer: needsCarer ?? false)
        return home == HomeDetails() ? nil : home
    }

    /// Adds a refusal to `v` for each field out of bounds, named as in JSON.
    public func check(_ v: inout Validator) {
        if let homeAddress { v.text(homeAddress, "homeAddress", max: 200) }
        if let committee { v.text(committee, "committee", max: 100) }
        if let household {
            v.check(
                (1...32).contains(household.count) && household.trimmedOfWhitespace == household, "household",
                "must be 1-32 characters without surrounding spaces")
        }
    }
}
