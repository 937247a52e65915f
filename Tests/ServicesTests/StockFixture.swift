import Domain
import Foundation
import Services
import TestSupport

/// A site with a pharmacy and a ward cabinet, and one tablet medicine in the catalogue.
struct StockFixture {
    let services: CordonServices
    let demo: DemoFixture
    let pharmacy: StockLocation
    let cabinet: StockLocation
    let amlodipine: Medication
    let op = DemoFixture.operatorActor
    var site: Site.ID { demo.siteA.id }

    static func make(_ db: TestDatabase) async throws -> StockFixture {
        let services = db.services()
        let demo = try await DemoFixture.make(services)
        let op = DemoFixture.operatorActor
        let pharmacy = try await services.stock.createLocation(
            siteId: demo.siteA.id,
            StockLocationDraft(code: "PHARM", name: "Site pharmacy", kind: .pharmacy, zoneId: nil), actor: op)
        let cabinet = try await services.stock.createLocation(
            siteId: demo.siteA.id,
            StockLocationDraft(code: "CAB-A", name: "Ward A cabinet", kind: .cabinet, zoneId: demo.zoneA.id), actor: op)
        let amlodipine = try await services.stock.addMedication(
            MedicationDraft(
                code: "AMLO-5", genericName: "amlodipine", strength: "5 mg", form: "tablet", unitOfIssue: "tablet",
                packSize: 28),
            actor: op)
        return StockFixture(
            services: services, demo: demo, pharmacy: pharmacy, cabinet: cabinet, amlodipine: amlodipine)
    }

    @discardableResult
    func receive(_ quantity: Int, lot: String, expires: CalendarDate, at location: StockLocation? = nil) async throws
        -> StockMovement
    {
        try await services.stock.receive(
            siteId: site,
            StockReceipt(
                locationId: (location ?? pharmacy).id, medicationId: amlodipine.id, lotNumber: lot, expiresOn: expires,
                quantity: quantity,
                reason: "delivery from the district warehouse", documentNumber: "DN-\(lot)"), actor: op)
    }

    func onHand(at location: StockLocation? = nil) async throws -> Int {
        try await services.stock.onHand(siteId: site, medicationId: amlodipine.id, actor: op)
            .filter { $0.locationId == (location ?? pharmacy).id }.reduce(0) { $0 + $1.quantity }
    }

    static var today: CalendarDate { CalendarDate(Date(), in: TimeZone(identifier: "Asia/Shanghai")!) }
}
