import Domain
import Storage

/// Adding beds and setting their status by hand (cleaning, out of service, free again).
public struct BedService: Sendable {
    let database: Database

    /// Roles that manage beds day to day.
    public static let managers: Set<Role> = [.siteManager]
    /// Roles that may mark a bed cleaned or out of service.
    public static let carers: Set<Role> = [.siteManager, .clinician]
    /// Roles that may read beds.
    public static let readers: Set<Role> = [.siteManager, .clinician, .pharmacist, .branchSecretary]

    /// Adds one bed to a zone of the site.
    public func create(siteId: Site.ID, zoneId: Zone.ID, code: String, actor: Actor) async throws -> Bed {
        try actor.require(Self.managers, at: siteId)
        try validateBedCode(code)
        return try await insert(siteId: siteId, zoneId: zoneId, codes: [code], actor: actor)[0]
    }

    /// Adds a numbered run of beds to a zone, all or none.
    public func createRange(siteId: Site.ID, _ range: BedRange, actor: Actor) async throws -> [Bed] {
        try actor.require(Self.managers, at: siteId)
        try range.validate()
        return try await insert(siteId: siteId, zoneId: range.zoneId, codes: range.codes, actor: actor)
    }

    private func insert(siteId: Site.ID, zoneId: Zone.ID, codes: [String], actor: Actor) async throws -> [Bed] {
        return try await database.transaction(actor) { tx in
            guard try await tx.sites.zone(siteId: siteId, id: zoneId) != nil else {
                throw DomainError.invalid("zoneId", "no such zone at this site")
            }
            let beds = try await tx.beds.insert(siteId: siteId, zoneId: zoneId, codes: codes)
            let audit = tx.audit
            if beds.count == 1 {
                try await audit.record(
                    "create", entity: "bed", id: beds[0].id, siteId: siteId, before: Nothing?.none, after: beds[0])
            } else {
                try await audit.record(
                    "create_range", entity: "bed", id: "\(beds.first!.code)..\(beds.last!.code)",
                    siteId: siteId, before: Nothing?.none, after: beds)
            }
            return beds
        }
    }

    /// One bed.
    public func get(siteId: Site.ID, bedId: Bed.ID, actor: Actor) async throws -> Bed {
        try actor.require(Self.readers, at: siteId)
        let bed = try await database.read(actor) { tx in
            try await tx.beds.get(siteId: siteId, id: bedId)
        }
        guard let bed else { throw DomainError.notFound("bed not found") }
        return bed
    }

    /// Beds of a site, optionally of one zone or status.
    public func list(siteId: Site.ID, zoneId: Zone.ID?, status: BedStatus?, page: PageRequest, actor: Actor)
        async throws -> Page<Bed>
    {
        try actor.require(Self.readers, at: siteId)
        let rows = try await database.read(actor) { tx in
            try await tx.beds.list(siteId: siteId, zoneId: zoneId, status: status, page: page)
        }
        return Page(fetched: rows, limit: page.limit, id: \.id)
    }

    /// Sets a bed's status by hand when `expectedVersion` is current. Occupancy is never set by hand.
    public func setStatus(siteId: Site.ID, bedId: Bed.ID, to status: BedStatus, expectedVersion: Int?, actor: Actor)
        async throws -> Bed
    {
        try actor.require(Self.carers, at: siteId)
        guard let expectedVersion else { throw DomainError.preconditionRequired }
        return try await database.transaction(actor) { tx in
            let repo = tx.beds
            let before = try await repo.get(siteId: siteId, id: bedId, lock: true).orNotFound("bed")
            try before.check(expectedVersion: expectedVersion)
            try before.status.checkManualChange(to: status)
            if before.status == status { return before }
            let after = try await repo.setStatus(siteId: siteId, id: bedId, to: status)
            try await tx.audit.record(
                "set_status", entity: "bed", id: bedId, siteId: siteId, before: before, after: after)
            return after
        }
    }
}

extension BedService {
    /// One bed by its printed code, as people name beds.
    public func get(siteId: Site.ID, code: String, actor: Actor) async throws -> Bed {
        try actor.require(Self.readers, at: siteId)
        let bed = try await database.read(actor) { tx in
            try await tx.beds.get(siteId: siteId, code: code)
        }
        guard let bed else { throw DomainError.notFound("no bed \(code) at this site") }
        return bed
    }
}
