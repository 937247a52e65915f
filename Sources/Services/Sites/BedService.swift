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
    public func create(
        siteId: Site.ID, zoneId: Zone.ID, code: String, attributes: BedAttributes = .none, actor: Actor
    ) async throws -> Bed {
        try actor.require(Self.managers, at: siteId)
        try validateBedCode(code)
        try attributes.validate()
        return try await insert(siteId: siteId, zoneId: zoneId, codes: [code], attributes: attributes, actor: actor)[0]
    }

    /// Adds a numbered run of beds to a zone, all or none.
    public func createRange(siteId: Site.ID, _ range: BedRange, actor: Actor) async throws -> [Bed] {
        try actor.require(Self.managers, at: siteId)
        try range.validate()
        return try await insert(
            siteId: siteId, zoneId: range.zoneId, codes: range.codes, attributes: range.attributes, actor: actor)
    }

    private func insert(
        siteId: Site.ID, zoneId: Zone.ID, codes: [String], attributes: BedAttributes, actor: Actor
    ) async throws -> [Bed] {
        return try await database.transaction(actor) { tx in
            guard try await tx.sites.zone(siteId: siteId, id: zoneId) != nil else {
                throw DomainError.invalid("zoneId", "no such zone at this site")
            }
            try await Self.checkPlace(attributes, zoneId: zoneId, siteId: siteId, field: "attributes", .adding, tx)
            let beds = try await tx.beds.insert(siteId: siteId, zoneId: zoneId, codes: codes, attributes: attributes)
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
    /// Replaces a bed's attributes when `expectedVersion` is current. The sex mark belongs to the
    /// room or bay: every bed of the place this bed ends up in takes it, and it is refused while
    /// any of them holds a patient of the other sex. Returns the bed.
    public func setAttributes(
        siteId: Site.ID, bedId: Bed.ID, _ attributes: BedAttributes, expectedVersion: Int?, actor: Actor
    ) async throws -> Bed {
        try actor.require(Self.managers, at: siteId)
        guard let expectedVersion else { throw DomainError.preconditionRequired }
        try attributes.validate(in: nil)
        return try await database.transaction(actor) { tx in
            let repo = tx.beds
            let before = try await repo.get(siteId: siteId, id: bedId, lock: true).orNotFound("bed")
            try before.check(expectedVersion: expectedVersion)
            if before.attributes == attributes { return before }
            try await Self.checkPlace(
                attributes, zoneId: before.zoneId, siteId: siteId, field: nil,
                before.attributes.place == attributes.place ? .staying : .moving, tx)
            let changed = try await repo.setAttributes(siteId: siteId, id: bedId, attributes)
            try await tx.audit.record(
                "set_attributes", entity: "bed", id: bedId, siteId: siteId, before: before, after: changed)
            return changed[0]
        }
    }

    /// How a bed comes to the room or bay its new attributes name.
    private enum PlaceChange {
        /// A new bed: it takes the place's sex mark unless it names another.
        case adding
        /// A bed from elsewhere: its sex mark must be the place's.
        case moving
        /// A bed already there: its mark becomes the whole place's.
        case staying
    }

    /// Explains what the exclusion constraints would refuse: a room or bay lies in one zone, and
    /// a bed added or moved to it agrees with its sex mark.
    private static func checkPlace(
        _ attributes: BedAttributes, zoneId: Zone.ID, siteId: Site.ID, field parent: String?, _ change: PlaceChange,
        _ tx: Transaction
    ) async throws {
        guard change != .staying, let place = attributes.place,
            let existing = try await tx.beds.place(siteId: siteId, place)
        else { return }
        func field(_ name: String) -> String { parent.map { "\($0).\(name)" } ?? name }
        var v = Validator()
        v.check(
            existing.zoneId == zoneId, field(attributes.room != nil ? "room" : "bay"),
            "\(place) already has beds in another zone")
        let sex = change == .adding ? attributes.singleSex ?? existing.singleSex : attributes.singleSex
        if sex != existing.singleSex {
            v.fail(
                field("singleSex"),
                existing.singleSex.map { "\(place) is kept for \($0.plural)" }
                    ?? "\(place) is not kept for one sex; change that on one of its beds, for the whole of it")
        }
        try v.finish()
    }

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
