import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension APIImplementation {
    func listMedications(_ input: Operations.ListMedications.Input) async throws -> Operations.ListMedications.Output {
        .ok(
            .init(
                body: .json(
                    .init(items: (try await services.stock.medications(actor: try actor)).map { .init($0) }))))
    }

    func createMedication(_ input: Operations.CreateMedication.Input) async throws -> Operations.CreateMedication.Output
    {
        let b = try input.body.payload
        let medication = try await services.stock.addMedication(
            MedicationDraft(
                code: b.code, genericName: b.genericName, strength: b.strength, form: b.form,
                unitOfIssue: b.unitOfIssue, packSize: b.packSize),
            actor: actor)
        return .created(.init(body: .json(.init(medication))))
    }

    func listStockLocations(_ input: Operations.ListStockLocations.Input) async throws
        -> Operations.ListStockLocations.Output
    {
        let locations = try await services.stock.locations(
            siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(body: .json(.init(items: locations.map { .init($0) }))))
    }

    func createStockLocation(_ input: Operations.CreateStockLocation.Input) async throws
        -> Operations.CreateStockLocation.Output
    {
        let b = try input.body.payload
        let location = try await services.stock.createLocation(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            StockLocationDraft(
                code: b.code, name: b.name, kind: b.kind.converted(), zoneId: b.zoneId.map(Zone.ID.init(rawValue:))),
            actor: actor)
        return .created(.init(body: .json(.init(location))))
    }

    func setStockLevel(_ input: Operations.SetStockLevel.Input) async throws -> Operations.SetStockLevel.Output {
        let b = try input.body.payload
        try await services.stock.setLevel(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            StockLevel(
                medicationId: try Parse.id(input.path.medicationId, "medicationId"), minimum: b.minimum,
                reorder: b.reorder),
            actor: actor)
        return .noContent(.init())
    }

    func receiveStock(_ input: Operations.ReceiveStock.Input) async throws -> Operations.ReceiveStock.Output {
        let b = try input.body.payload
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        guard let expiresOn = try Parse.date(b.expiresOn, "expiresOn") else {
            throw DomainError.invalid("expiresOn", "is required")
        }
        let movement = try await services.stock.receive(
            siteId: siteId,
            StockReceipt(
                locationId: StockLocation.ID(rawValue: b.locationId),
                medicationId: Medication.ID(rawValue: b.medicationId), lotNumber: b.lotNumber, expiresOn: expiresOn,
                quantity: b.quantity ?? 0, reason: b.reason, documentNumber: b.documentNumber,
                occurredAt: b.occurredAt, packs: b.packs ?? 0),
            actor: actor, idempotencyKey: try Parse.key(input.headers.idempotencyKey))
        return .created(try movementResponse(movement))
    }

    func dispenseStock(_ input: Operations.DispenseStock.Input) async throws -> Operations.DispenseStock.Output {
        let b = try input.body.payload
        let movement = try await services.stock.dispense(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            StockDispense(
                locationId: StockLocation.ID(rawValue: b.locationId),
                medicationId: Medication.ID(rawValue: b.medicationId), quantity: b.quantity,
                patientId: b.patientId.map(Patient.ID.init(rawValue:)),
                reason: b.reason, overrideReason: b.overrideReason, occurredAt: b.occurredAt),
            actor: actor, idempotencyKey: try Parse.key(input.headers.idempotencyKey))
        return .created(try movementResponse(movement))
    }

    func transferStock(_ input: Operations.TransferStock.Input) async throws -> Operations.TransferStock.Output {
        let b = try input.body.payload
        let movement = try await services.stock.transfer(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            StockTransfer(
                fromLocationId: StockLocation.ID(rawValue: b.fromLocationId),
                toLocationId: StockLocation.ID(rawValue: b.toLocationId),
                medicationId: Medication.ID(rawValue: b.medicationId), quantity: b.quantity,
                reason: b.reason, documentNumber: b.documentNumber), actor: actor)
        return .created(try movementResponse(movement))
    }

    func countStock(_ input: Operations.CountStock.Input) async throws -> Operations.CountStock.Output {
        let b = try input.body.payload
        let movement = try await services.stock.count(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            StockCount(
                locationId: StockLocation.ID(rawValue: b.locationId), lotId: b.lotId,
                countedQuantity: b.countedQuantity, reason: b.reason), actor: actor)
        return .created(try movementResponse(movement))
    }

    func writeOffStock(_ input: Operations.WriteOffStock.Input) async throws -> Operations.WriteOffStock.Output {
        let b = try input.body.payload
        let movement = try await services.stock.writeOff(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            StockWriteOff(
                locationId: StockLocation.ID(rawValue: b.locationId), lotId: b.lotId, quantity: b.quantity,
                reason: b.reason), actor: actor)
        return .created(try movementResponse(movement))
    }

    func getStockOnHand(_ input: Operations.GetStockOnHand.Input) async throws -> Operations.GetStockOnHand.Output {
        let stock = try await services.stock.onHand(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            medicationId: input.query.medicationId.map(Medication.ID.init(rawValue:)), actor: actor)
        return .ok(.init(body: .json(.init(items: stock.map { .init($0) }))))
    }

    func getStockLedger(_ input: Operations.GetStockLedger.Input) async throws -> Operations.GetStockLedger.Output {
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let q = input.query
        let page = try await services.stock.ledger(
            siteId: siteId, medicationId: q.medicationId.map(Medication.ID.init(rawValue:)),
            page: try Parse.page(q.cursor, q.limit), actor: actor)
        let next = Parse.nextLink(
            "/sites/\(siteId)/stock/ledger",
            [
                ("medicationId", q.medicationId.map(String.init)), ("limit", q.limit.map(String.init)),
            ], cursor: page.nextCursor)
        return .ok(.init(body: .json(.init(items: page.items.map { .init($0) }, next: next))))
    }

    func getStockAlerts(_ input: Operations.GetStockAlerts.Input) async throws -> Operations.GetStockAlerts.Output {
        let alerts = try await services.stockCover.alerts(
            siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(body: .json(.init(items: alerts.map { .init($0) }))))
    }

    func getStockCover(_ input: Operations.GetStockCover.Input) async throws -> Operations.GetStockCover.Output {
        let cover = try await services.stockCover.cover(siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(body: .json(.init(items: cover.map { .init($0) }))))
    }

    func movementResponse(_ movement: StockMovement) throws -> Components.Responses.Movement {
        .init(
            headers: .init(idempotencyReplayed: movement.replayed ? "true" : nil),
            body: .json(.init(movement)))
    }
}
