import CordonAPI
import Domain
import Foundation
import Services

extension Components.Schemas.Medication {
    init(_ v: Medication) {
        self.init(
            id: wire(v.id),
            code: v.code,
            genericName: v.genericName,
            strength: v.strength,
            form: v.form,
            unitOfIssue: v.unitOfIssue,
            packSize: v.packSize)
    }
}

extension Components.Schemas.StockLocation {
    init(_ v: StockLocation) {
        self.init(
            id: wire(v.id),
            siteId: wire(v.siteId),
            code: v.code,
            name: v.name,
            kind: v.kind.converted(),
            zoneId: v.zoneId.map(wire))
    }
}

extension Components.Schemas.LotStock {
    init(_ v: LotStock) {
        self.init(
            lotId: wire(v.lotId),
            lotNumber: v.lotNumber,
            medicationId: wire(v.medicationId),
            locationId: wire(v.locationId),
            expiresOn: v.expiresOn.description,
            quantity: v.quantity)
    }
}

extension Components.Schemas.LedgerEntry {
    init(_ v: StockLedgerEntry) {
        self.init(
            id: wire(v.id),
            kind: v.kind.converted(),
            medicationId: wire(v.medicationId),
            medicationCode: v.medicationCode,
            lotId: wire(v.lotId),
            lotNumber: v.lotNumber,
            expiresOn: v.expiresOn.description,
            locationId: wire(v.locationId),
            locationCode: v.locationCode,
            quantityChange: v.quantityChange,
            balanceAfter: v.balanceAfter,
            countedQuantity: v.countedQuantity,
            reason: v.reason,
            documentNumber: v.documentNumber,
            patientId: v.patientId.map(wire),
            movementId: v.movementId.uuidString,
            actorName: v.actorName,
            occurredAt: v.occurredAt,
            recordedAt: v.recordedAt)
    }
}

extension Components.Schemas.StockAlert {
    init(_ v: StockAlert) {
        self.init(
            kind: v.kind.converted(),
            medicationCode: v.medicationCode,
            lotNumber: v.lotNumber,
            locationCode: v.locationCode,
            quantity: v.quantity,
            detail: v.detail)
    }
}

extension Components.Schemas.CoverLine {
    init(_ v: CoverLine) {
        self.init(
            medicationId: wire(v.medicationId),
            medicationCode: v.medicationCode,
            usableOnHand: v.usableOnHand,
            dailyUse: v.dailyUse,
            daysOfCover: v.daysOfCover)
    }
}

extension Components.Schemas.StockMovement {
    init(_ v: StockMovement) {
        self.init(
            movementId: v.movementId.uuidString,
            lines: v.lines.map { .init($0) })
    }
}
