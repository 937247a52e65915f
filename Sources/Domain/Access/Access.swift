/// What a user may do. Grants are per site, except `admin`, which covers every site, and
/// `districtCommander`, which covers the sites of one district.
public enum Role: String, Sendable, Codable, CaseIterable {
    case admin
    case siteManager = "site_manager"
    case clinician
    case pharmacist
    case branchSecretary = "branch_secretary"
    case hospitalSystem = "hospital_system"
    /// The district command: reads the board, the census and the reports of its district's
    /// sites, and never writes a clinical record.
    case districtCommander = "district_commander"

    /// Roles that may read full national ID numbers; everyone else sees them masked.
    public var seesFullNationalID: Bool { self == .admin || self == .siteManager }
}

/// One role held by a user, at one site, (for a commander) at the sites of a district, or (for
/// admin) everywhere.
public struct Grant: Sendable, Hashable, Codable {
    public var role: Role
    /// `nil` for admin, whose grant covers all sites, and for a commander granted a district
    /// (who, signed in, holds the grant at each of its sites).
    public var siteId: Site.ID?
    /// The district of a district commander's grant.
    public var districtId: District.ID?

    public init(role: Role, siteId: Site.ID?, districtId: District.ID? = nil) {
        self.role = role
        self.siteId = siteId
        self.districtId = districtId
    }

    /// Checks that the grant names what its role needs: admin nothing, a commander a district,
    /// every other role a site.
    public func validate() throws {
        switch role {
        case .admin:
            if siteId != nil || districtId != nil {
                throw DomainError.invalid("site", "admin is granted without a site")
            }
        case .districtCommander:
            if siteId != nil || districtId == nil {
                throw DomainError.invalid("district", "district_commander is granted for a district, not a site")
            }
        default:
            if siteId == nil || districtId != nil { throw DomainError.invalid("site", "\(role.rawValue) needs a site") }
        }
    }
}

/// The sites one district command oversees.
public struct District: Sendable, Codable, Equatable {
    public var id: ID
    public var name: String

    public init(id: ID, name: String) {
        self.id = id
        self.name = name
    }
}

/// Where a request came from, for the audit trail.
public enum Origin: Sendable, Equatable {
    /// An HTTP request, with its request id and the client's address.
    case http(requestId: String, address: String?)
    /// An admin CLI command, with the operating-system user who ran it.
    case cli(operator: String)
    /// The demo-data loader.
    case seed
    /// Cordon's own background work.
    case system
    /// A laboratory's system over its MLLP link, with the peer's address.
    case mllp(address: String?)
}

/// The person or system acting, with everything authorisation and audit need to know.
public struct Actor: Sendable {
    public var userId: Int64?
    public var username: String
    public var grants: [Grant]
    public var origin: Origin
    /// The hospital a `hospital_system` user acts for; it sees only referrals addressed there.
    public var hospitalId: Hospital.ID?
    /// The laboratory a laboratory's system acts for; it may only send that laboratory's results.
    public var laboratoryId: Laboratory.ID?

    public init(
        userId: Int64?, username: String, grants: [Grant], origin: Origin, hospitalId: Hospital.ID? = nil,
        laboratoryId: Laboratory.ID? = nil
    ) {
        self.userId = userId
        self.username = username
        self.grants = grants
        self.origin = origin
        self.hospitalId = hospitalId
        self.laboratoryId = laboratoryId
    }

    /// The operator at a terminal: admin over everything, as the CLI runs with database access.
    public static func cliOperator(_ name: String) -> Actor {
        Actor(userId: nil, username: name, grants: [Grant(role: .admin, siteId: nil)], origin: .cli(operator: name))
    }

    public var isAdmin: Bool { grants.contains { $0.role == .admin } }

    /// The roles held at `siteId` (admin holds admin everywhere).
    public func roles(at siteId: Site.ID) -> Set<Role> {
        Set(grants.filter { $0.role == .admin || $0.siteId == siteId }.map(\.role))
    }

    /// Sites this actor may see, or `nil` for every site.
    public var visibleSiteIds: [Site.ID]? {
        isAdmin ? nil : Array(Set(grants.compactMap(\.siteId))).sorted()
    }

    /// Ensures one of `allowed` is held at `siteId`.
    ///
    /// A user with no grant at the site gets `notFound`, so that other sites' records stay
    /// invisible; a user with a grant but the wrong role gets `forbidden`.
    public func require(_ allowed: Set<Role>, at siteId: Site.ID, entity: String = "site") throws {
        let held = roles(at: siteId)
        if held.isEmpty { throw DomainError.notFound("\(entity) not found") }
        if held.contains(.admin) || !held.isDisjoint(with: allowed) { return }
        throw DomainError.forbidden(
            "role \(held.map(\.rawValue).sorted().joined(separator: ", ")) may not do this; needs one of \(allowed.map(\.rawValue).sorted().joined(separator: ", "))"
        )
    }

    /// Whether one of `allowed` is held at `siteId` (what `require` would let through), for a
    /// front end deciding which buttons to show.
    public func holds(any allowed: Set<Role>, at siteId: Site.ID) -> Bool {
        let held = roles(at: siteId)
        return held.contains(.admin) || !held.isDisjoint(with: allowed)
    }

    /// Ensures the actor is an admin.
    public func requireAdmin() throws {
        if !isAdmin { throw DomainError.forbidden("only an admin may do this") }
    }

    /// The role recorded in the audit trail for an action at `siteId`: the strongest one held there.
    public func auditRole(at siteId: Site.ID?) -> String {
        let held: Set<Role> = siteId.map { roles(at: $0) } ?? Set(grants.map(\.role))
        return Role.allCases.first { held.contains($0) }?.rawValue ?? "none"
    }
}
