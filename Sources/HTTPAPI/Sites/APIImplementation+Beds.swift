import CordonAPI
import Domain
import OpenAPIRuntime
import Services

extension APIImplementation {
    func listBeds(_ input: Operations.ListBeds.Input) async throws -> Operations.ListBeds.Output {
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let q = input.query
        let page = try await services.beds.list(
            siteId: siteId, zoneId: try q.zoneId.map { try Parse.id($0, "zoneId") }, status: q.status?.converted(),
            page: try Parse.page(q.cursor, q.limit), actor: actor)
        let next = Parse.nextLink(
            "/sites/\(siteId)/beds",
            [
                ("zoneId", q.zoneId.map(String.init)), ("status", q.status?.rawValue),
                ("limit", q.limit.map(String.init)),
            ], cursor: page.nextCursor)
        return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.Bed.init), next: next))))
    }

    func createBed(_ input: Operations.CreateBed.Input) async throws -> Operations.CreateBed.Output {
        let body = try input.body.payload
        let bed = try await services.beds.create(
            siteId: try Parse.id(input.path.siteId, "siteId"), zoneId: Zone.ID(rawValue: body.zoneId), code: body.code,
            attributes: BedAttributes(body.attributes), actor: actor)
        return .created(.init(headers: .init(eTag: ETag.header(bed.version)), body: .json(.init(bed))))
    }

    func createBedRange(_ input: Operations.CreateBedRange.Input) async throws -> Operations.CreateBedRange.Output {
        let body = try input.body.payload
        let range = BedRange(
            zoneId: Zone.ID(rawValue: body.zoneId), prefix: body.prefix, first: body.first,
            last: body.last, width: body.width ?? 3, attributes: BedAttributes(body.attributes))
        let beds = try await services.beds.createRange(
            siteId: try Parse.id(input.path.siteId, "siteId"), range, actor: actor)
        return .created(.init(body: .json(.init(items: beds.map(Components.Schemas.Bed.init)))))
    }

    func getBed(_ input: Operations.GetBed.Input) async throws -> Operations.GetBed.Output {
        let bed = try await services.beds.get(
            siteId: try Parse.id(input.path.siteId, "siteId"), bedId: try Parse.id(input.path.bedId, "bedId"),
            actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(bed.version)), body: .json(.init(bed))))
    }

    func updateBedStatus(_ input: Operations.UpdateBedStatus.Input) async throws -> Operations.UpdateBedStatus.Output {
        let body = try input.body.payload
        let bed = try await services.beds.setStatus(
            siteId: try Parse.id(input.path.siteId, "siteId"), bedId: try Parse.id(input.path.bedId, "bedId"),
            to: body.status.converted(), expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(bed.version)), body: .json(.init(bed))))
    }

    func setBedAttributes(_ input: Operations.SetBedAttributes.Input) async throws -> Operations.SetBedAttributes.Output
    {
        let body = try input.body.payload
        let bed = try await services.beds.setAttributes(
            siteId: try Parse.id(input.path.siteId, "siteId"), bedId: try Parse.id(input.path.bedId, "bedId"),
            BedAttributes(body), expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(bed.version)), body: .json(.init(bed))))
    }
}
