import Domain
import Foundation
import Services
import Storage
import TestSupport
import Testing

/// The transaction is Storage's unit of work: whatever a use case wrote in it, its audit
/// entries included, commits together or not at all.
@Suite("One unit of work per use case")
struct UnitOfWorkTests {
    struct StopHalfWay: Error {}

    @Test("a use case that throws after two repository writes and an audit entry leaves nothing behind")
    func throwAfterWrites() async throws {
        try await TestDatabase.withMigrated { db in
            let fixture = try await DemoFixture.make(db.services())
            let before = try await db.count("SELECT count(*)::int FROM audit_log")
            await #expect(throws: StopHalfWay.self) {
                try await db.database().transaction(DemoFixture.operatorActor) { tx in
                    let zone = try await tx.sites.insertZone(
                        siteId: fixture.siteA.id, ZoneDraft(code: "Q", name: "Q 区", kind: .contaminated))
                    let beds = try await tx.beds.insert(
                        siteId: fixture.siteA.id, zoneId: zone.id, codes: ["Q-001", "Q-002"])
                    try await tx.audit.created("bed", id: beds[0].id, siteId: fixture.siteA.id, beds[0])
                    throw StopHalfWay()
                }
            }
            #expect(try await db.count("SELECT count(*)::int FROM zones WHERE code = 'Q'") == 0)
            #expect(try await db.count("SELECT count(*)::int FROM beds WHERE code LIKE 'Q-%'") == 0)
            #expect(try await db.count("SELECT count(*)::int FROM audit_log") == before)
        }
    }
}
