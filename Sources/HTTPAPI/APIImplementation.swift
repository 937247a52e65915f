import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

/// The handlers of `openapi.yaml`. Each one converts the generated input into Domain values,
/// calls one service, and converts the answer back; errors are thrown and become problem+json.
struct APIImplementation: APIProtocol {
    let services: CordonServices

    var actor: Actor { get throws { try RequestScope.currentActor() } }

    func getLiveness(_ input: Operations.GetLiveness.Input) async throws -> Operations.GetLiveness.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        let problems = await services.health.readinessProblems()
        if problems.isEmpty { return .ok(.init(body: .json(.init(status: .ok)))) }
        return .serviceUnavailable(.init(body: .json(.init(status: .unavailable, problems: problems))))
    }

    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let actor = try actor
        return .ok(
            .init(
                body: .json(
                    .init(
                        userId: actor.userId ?? 0, username: actor.username,
                        grants: actor.grants.map {
                            .init(
                                role: $0.role.converted(), siteId: $0.siteId?.rawValue,
                                districtId: $0.districtId?.rawValue)
                        }))))
    }

    // MARK: Sites and zones

    func listSites(_ input: Operations.ListSites.Input) async throws -> Operations.ListSites.Output {
        let page = try await services.sites.list(
            actor: actor, page: try Parse.page(input.query.cursor, input.query.limit))
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: page.items.map(Components.Schemas.Site.init),
                        next: Parse.nextLink(
                            "/sites", [("limit", input.query.limit.map(String.init))], cursor: page.nextCursor)))))
    }

    func createSite(_ input: Operations.CreateSite.Input) async throws -> Operations.CreateSite.Output {
        let body = try input.body.payload
        let created = try await services.sites.create(
            try body.draft(), actor: actor, idempotencyKey: try Parse.key(input.headers.idempotencyKey))
        let site = created.value
        return .created(
            .init(
                headers: .init(
                    eTag: ETag.header(site.version), location: "/sites/\(site.id)",
                    idempotencyReplayed: created.replayed ? "true" : nil),
                body: .json(.init(site))))
    }

    func getSite(_ input: Operations.GetSite.Input) async throws -> Operations.GetSite.Output {
        let site = try await services.sites.get(try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(site.version)), body: .json(.init(site))))
    }

    func updateSite(_ input: Operations.UpdateSite.Input) async throws -> Operations.UpdateSite.Output {
        let body = try input.body.payload
        let site = try await services.sites.update(
            try Parse.id(input.path.siteId, "siteId"), try body.draft(),
            expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(site.version)), body: .json(.init(site))))
    }

    func listZones(_ input: Operations.ListZones.Input) async throws -> Operations.ListZones.Output {
        let zones = try await services.sites.zones(siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(body: .json(.init(items: zones.map(Components.Schemas.Zone.init)))))
    }

    func createZone(_ input: Operations.CreateZone.Input) async throws -> Operations.CreateZone.Output {
        let body = try input.body.payload
        let zone = try await services.sites.createZone(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            ZoneDraft(code: body.code, name: body.name, kind: body.kind.converted()), actor: actor)
        return .created(.init(body: .json(.init(zone))))
    }

    func getCensus(_ input: Operations.GetCensus.Input) async throws -> Operations.GetCensus.Output {
        let census = try await services.census.census(
            siteId: try Parse.id(input.path.siteId, "siteId"), through: try Parse.queryDate(input.query.until, "until"),
            days: try Parse.queryInt(input.query.days, "days", 1...366), actor: actor)
        return .ok(.init(body: .json(.init(census))))
    }

    func getDailyReport(_ input: Operations.GetDailyReport.Input) async throws -> Operations.GetDailyReport.Output {
        let report = try await services.reports.daily(
            siteId: try Parse.id(input.path.siteId, "siteId"), date: try Parse.queryDate(input.query.date, "date"),
            actor: actor)
        return .ok(.init(body: .json(.init(report))))
    }

    func getDailyReportCSV(_ input: Operations.GetDailyReportCSV.Input) async throws
        -> Operations.GetDailyReportCSV.Output
    {
        let report = try await services.reports.daily(
            siteId: try Parse.id(input.path.siteId, "siteId"), date: try Parse.queryDate(input.query.date, "date"),
            actor: actor)
        return .ok(.init(body: .csv(HTTPBody(try DailyReportFiles.csv([report])))))
    }

    // MARK: Audit

    func listAudit(_ input: Operations.ListAudit.Input) async throws -> Operations.ListAudit.Output {
        let q = input.query
        let query = AuditQuery(
            siteId: try q.siteId.map { try Parse.id($0, "siteId") }, entity: q.entity, entityId: q.entityId,
            action: q.action, actorName: q.actor, since: q.since, until: q.until,
            page: try Parse.page(q.cursor, q.limit))
        let page = try await services.audit.list(query, actor: actor)
        let iso = ISO8601DateFormatter()
        let next = Parse.nextLink(
            "/audit",
            [
                ("siteId", q.siteId.map(String.init)), ("entity", q.entity), ("entityId", q.entityId),
                ("action", q.action),
                ("actor", q.actor), ("since", q.since.map(iso.string)), ("until", q.until.map(iso.string)),
                ("limit", q.limit.map(String.init)),
            ], cursor: page.nextCursor)
        return .ok(.init(body: .json(.init(items: try page.items.map(Components.Schemas.AuditEntry.init), next: next))))
    }

    func listSecurityEvents(_ input: Operations.ListSecurityEvents.Input) async throws
        -> Operations.ListSecurityEvents.Output
    {
        let q = input.query
        let page = try await services.security.events(
            kind: q.kind?.converted(), page: try Parse.page(q.cursor, q.limit), actor: actor)
        let next = Parse.nextLink(
            "/security-events", [("kind", q.kind?.rawValue), ("limit", q.limit.map(String.init))],
            cursor: page.nextCursor)
        return .ok(.init(body: .json(.init(items: page.items.map { .init($0) }, next: next))))
    }
}
