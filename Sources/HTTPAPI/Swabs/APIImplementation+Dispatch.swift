import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension Components.Schemas.Laboratory {
    init(_ l: Laboratory) { self.init(id: l.id.rawValue, code: l.code, name: l.name) }
}

extension Components.Schemas.SpecimenBox {
    init(_ b: SpecimenBox) {
        self.init(
            id: b.id.rawValue, siteId: b.siteId.rawValue, laboratory: .init(b.laboratory), sentAt: b.sentAt,
            tubes: b.tubes)
    }
}

extension Components.Schemas.SpecimenBoxDetail {
    init(_ p: SwabService.PackedBox) {
        self.init(box: .init(p.box), tubes: p.tubes.map(Components.Schemas.Specimen.init))
    }
}

extension APIImplementation {
    func listLaboratories(_ input: Operations.ListLaboratories.Input) async throws
        -> Operations.ListLaboratories.Output
    {
        let labs = try await services.laboratories.list(actor: actor)
        return .ok(.init(body: .json(.init(items: labs.map(Components.Schemas.Laboratory.init)))))
    }

    func addLaboratory(_ input: Operations.AddLaboratory.Input) async throws -> Operations.AddLaboratory.Output {
        let body = try input.body.payload
        let lab = try await services.laboratories.add(LaboratoryDraft(code: body.code, name: body.name), actor: actor)
        return .created(.init(body: .json(.init(lab))))
    }

    func listSpecimenBoxes(_ input: Operations.ListSpecimenBoxes.Input) async throws
        -> Operations.ListSpecimenBoxes.Output
    {
        let boxes = try await services.swabs.boxes(siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(body: .json(.init(items: boxes.map(Components.Schemas.SpecimenBox.init)))))
    }

    func sendSpecimenBox(_ input: Operations.SendSpecimenBox.Input) async throws -> Operations.SendSpecimenBox.Output {
        let body = try input.body.payload
        let packed = try await services.swabs.dispatch(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            laboratoryId: Laboratory.ID(rawValue: body.laboratoryId), scanned: body.accessions, actor: actor)
        return .created(.init(body: .json(.init(packed))))
    }

    func getSpecimenBox(_ input: Operations.GetSpecimenBox.Input) async throws -> Operations.GetSpecimenBox.Output {
        let packed = try await services.swabs.box(
            siteId: try Parse.id(input.path.siteId, "siteId"), boxId: try Parse.id(input.path.boxId, "boxId"),
            actor: actor)
        return .ok(.init(body: .json(.init(packed))))
    }

    func getSpecimenBoxManifest(_ input: Operations.GetSpecimenBoxManifest.Input) async throws
        -> Operations.GetSpecimenBoxManifest.Output
    {
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let boxId: SpecimenBox.ID = try Parse.id(input.path.boxId, "boxId")
        if input.query.format?.rawValue == "pdf" {
            let pdf = try await services.swabs.manifestPDF(siteId: siteId, boxId: boxId, actor: actor)
            return .ok(.init(body: .pdf(HTTPBody(pdf))))
        }
        let csv = try await services.swabs.manifestCSV(siteId: siteId, boxId: boxId, actor: actor)
        return .ok(.init(body: .csv(HTTPBody(csv))))
    }
}
