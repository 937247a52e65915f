import Domain
import Foundation
import PostgresNIO
import Services
import Storage
import TestSupport
import Testing

@Suite("Housekeeping and stored answers")
struct HousekeepingTests {
    @Test(
        "a stored answer older than its retention is gone: the key answers afresh, and housekeeping prunes exactly the expired ones"
    )
    func expiry() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let demo = try await DemoFixture.make(services)
            let op = DemoFixture.operatorActor
            let entry = NucleicAcidTestEntry(
                sampledAt: Date().addingTimeInterval(-3600), result: .negative, nGeneCt: nil, orf1abCt: nil)
            let patient = try await services.patients.admit(
                siteId: demo.siteA.id,
                Admission(
                    name: "潘秀兰", sex: .female, dateOfBirth: CalendarDate(year: 1938, month: 5, day: 17), phone: nil,
                    nationalId: testNationalID(born: "19380517", sequence: 5), severity: .mild, partyMember: false,
                    bedId: demo.bedsA[0].id),
                actor: op, idempotencyKey: try IdempotencyKey("admit-1")
            ).value
            let first = try await services.patients.addTest(
                siteId: demo.siteA.id, patientId: patient.id, entry, actor: op,
                idempotencyKey: try IdempotencyKey("test-1"))
            #expect(
                try await services.patients.addTest(
                    siteId: demo.siteA.id, patientId: patient.id, entry, actor: op,
                    idempotencyKey: try IdempotencyKey("test-1")
                ).replayed)
            // A day and a bit later (the default retention is 24 h) the key is free again.
            try await owner(db) {
                try await $0.query(
                    "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'test-1'")
            }
            let again = try await services.patients.addTest(
                siteId: demo.siteA.id, patientId: patient.id, entry, actor: op,
                idempotencyKey: try IdempotencyKey("test-1"))
            #expect(!again.replayed && again.value.id != first.value.id)
            try await owner(db) {
                try await $0.query(
                    "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'admit-1'")
            }
            let removed = try #require(try await services.housekeeping().runOnce())
            #expect(removed.idempotencyKeys == 1)
            #expect(try await db.count("SELECT count(*)::int FROM idempotency_keys") == 1, "the fresh one stays")
            #expect(try await db.count("SELECT count(*)::int FROM audit_log") > 0, "the audit trail is never pruned")
        }
    }

    @Test("ended console sessions are removed; live ones stay")
    func consoleSessions() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let demo = try await DemoFixture.make(services)
            _ = demo
            let op = DemoFixture.operatorActor
            try await services.console.setPassword(username: "cliniciana", password: "a long password", actor: op)
            for _ in 0..<3 {
                _ = try await services.console.signIn(
                    username: "cliniciana", password: "a long password", origin: .http(requestId: "t", address: "::1"))
            }
            try await owner(db) {
                try await $0.query(
                    """
                    UPDATE console_sessions SET last_seen_at = now() - interval '31 minutes'
                    WHERE id = (SELECT min(id) FROM console_sessions)
                    """)
                try await $0.query(
                    """
                    UPDATE console_sessions SET created_at = now() - interval '13 hours', ends_at = now() - interval '1 hour'
                    WHERE id = (SELECT max(id) FROM console_sessions)
                    """)
            }
            let removed = try #require(try await services.housekeeping().runOnce())
            #expect(removed.consoleSessions == 2)
            #expect(try await db.count("SELECT count(*)::int FROM console_sessions") == 1)
        }
    }

    @Test("two instances never prune at once: while one holds the lock, the other passes")
    func oneAtATime() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            // Another instance, in the middle of its run, holds the housekeeping lock.
            try await db.database().transaction(.system("other instance")) { tx in
                try await tx.lock("housekeeping")
                #expect(try await services.housekeeping().runOnce() == nil)
            }
            #expect(try await services.housekeeping().runOnce() != nil)
        }
    }

    /// Runs `body` on one of the test database's connections (to set a row's time back).
    func owner(_ db: TestDatabase, _ body: @Sendable (PostgresConnection) async throws -> Void) async throws {
        try await db.client.withConnection { try await body($0) }
    }
}
