import Domain
import Foundation
import PostgresNIO
import Services
import Storage
import TestSupport
import Testing

@Suite("Values read from the database")
struct StoredValueTests {
    @Test("a stored value the code has no case for fails the read naming the column and type; nothing traps")
    func unknownValueNamesItsColumn() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let fixture = try await DemoFixture.make(services)
            // As a later version, or a hand in psql, might leave it.
            try await db.asOwner("ALTER TABLE zones DROP CONSTRAINT zones_kind_check")
            try await db.asOwner("UPDATE zones SET kind = 'lobby' WHERE site_id = \(fixture.siteA.id) AND code = 'A'")
            do {
                _ = try await services.sites.zones(siteId: fixture.siteA.id, actor: DemoFixture.operatorActor)
                Issue.record("a zone of an unknown kind was read")
            } catch let error as PostgresDecodingError {
                #expect(
                    error.columnName == "kind" && "\(error.targetType)" == "ZoneKind", "\(String(reflecting: error))")
            }
            // The other site's zones still read.
            #expect(
                try await services.sites.zones(siteId: fixture.siteB.id, actor: DemoFixture.operatorActor).count == 1)
        }
    }
}
