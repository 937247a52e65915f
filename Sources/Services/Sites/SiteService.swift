import Domain
import Storage

/// Opening, editing and reading sites and their zones.
public struct SiteService: Sendable {
    let database: Database

    /// Opens a site. Admin only.
    public func create(_ draft: SiteDraft, actor: Actor, idempotencyKey: IdempotencyKey? = nil) async throws -> Created<
        Site
    > {
        try actor.requireAdmin()
        try draft.validate()
        return try await database.transaction(
            actor, idempotency: try IdempotentRequest(idempotencyKey, operation: "site.create", request: draft)
        ) { tx in
            let site = try await tx.sites.insert(draft)
            try await tx.audit.record(
                "create", entity: "site", id: site.id, siteId: site.id, before: Nothing?.none, after: site)
            return site
        }
    }

    /// A site the actor holds any role at.
    public func get(_ id: Site.ID, actor: Actor) async throws -> Site {
        try actor.require(Set(Role.allCases), at: id)
        return try await database.read(actor) { tx in
            let site = try await tx.sites.get(id).orNotFound("site")
            return site
        }
    }

    /// Resolves a site code (as the CLI takes it) to a site the actor may see.
    public func get(code: String, actor: Actor) async throws -> Site {
        let site = try await database.read(actor) { tx in
            try await tx.sites.get(code: code)
        }
        guard let site else { throw DomainError.notFound("no site with code \(code)") }
        try actor.require(Set(Role.allCases), at: site.id)
        return site
    }

    /// Sites the actor may see, a page at a time.
    public func list(actor: Actor, page: PageRequest) async throws -> Page<Site> {
        let rows = try await database.read(actor) { tx in
            try await tx.sites.list(visible: actor.visibleSiteIds, page: page)
        }
        return Page(fetched: rows, limit: page.limit, id: \.id)
    }

    /// Edits a site when `expectedVersion` is current. Admin, or the site's manager; only an admin
    /// changes its code or moves it into another district.
    public func update(_ id: Site.ID, _ draft: SiteDraft, expectedVersion: Int?, actor: Actor) async throws -> Site {
        try actor.require([.siteManager], at: id)
        guard let expectedVersion else { throw DomainError.preconditionRequired }
        try draft.validate()
        return try await database.transaction(actor) { tx in
            let repo = tx.sites
            let before = try await repo.get(id, lock: true).orNotFound("site")
            try before.check(expectedVersion: expectedVersion)
            if draft.code != before.code { try actor.requireAdmin() }
            // The district decides whose command oversees the site: the admin's decision alone.
            let movesDistrict = draft.district != before.district
            if movesDistrict && !actor.isAdmin {
                throw DomainError.forbidden(
                    "district: only an admin may move a site into another district; it leaves \(before.district)'s command"
                )
            }
            let after = try await repo.update(id, draft)
            try await tx.audit.record("update", entity: "site", id: id, siteId: id, before: before, after: after)
            if movesDistrict {
                try await tx.audit.record(
                    "change_district", entity: "site", id: id, siteId: id, before: ["district": before.district],
                    after: ["district": after.district])
            }
            return after
        }
    }

    /// Adds a zone to a site. Admin or site manager.
    public func createZone(siteId: Site.ID, _ draft: ZoneDraft, actor: Actor) async throws -> Zone {
        try actor.require([.siteManager], at: siteId)
        try draft.validate()
        return try await database.transaction(actor) { tx in
            let repo = tx.sites
            guard try await repo.get(siteId) != nil else { throw DomainError.notFound("site not found") }
            let zone = try await repo.insertZone(siteId: siteId, draft)
            try await tx.audit.record(
                "create", entity: "zone", id: zone.id, siteId: siteId, before: Nothing?.none, after: zone)
            return zone
        }
    }

    /// The zones of a site.
    public func zones(siteId: Site.ID, actor: Actor) async throws -> [Zone] {
        try actor.require(Set(Role.allCases), at: siteId)
        return try await database.read(actor) { tx in
            try await tx.sites.zones(siteId: siteId)
        }
    }
}

extension SiteService {
    /// One zone by its code.
    public func zone(siteId: Site.ID, code: String, actor: Actor) async throws -> Zone {
        let zone = try await zones(siteId: siteId, actor: actor).first(where: { $0.code == code }).orThrow(
            DomainError.notFound("no zone \(code) at this site"))
        return zone
    }
}
