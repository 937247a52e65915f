import Domain
import Foundation
import PostgresNIO
import Services
import Storage
import TestSupport
import Testing

@Suite("Rules the database enforces")
struct ConstraintTests {
    @Test("the audit trail refuses UPDATE, DELETE and TRUNCATE")
    func auditIsAppendOnly() async throws {
        try await TestDatabase.withMigrated { db in
            _ = try await DemoFixture.make(db.services())
            let before = try await db.count("SELECT count(*)::int FROM audit_log")
            #expect(before > 0)
            for sql in [
                "UPDATE audit_log SET actor_name = 'someone else'", "DELETE FROM audit_log", "TRUNCATE audit_log",
            ] {
                await #expect(throws: PSQLError.self) { try await db.client.query(PostgresQuery(unsafeSQL: sql)) }
            }
            #expect(try await db.count("SELECT count(*)::int FROM audit_log") == before)
            #expect(try await db.count("SELECT count(*)::int FROM audit_log WHERE actor_name = 'someone else'") == 0)
        }
    }

    @Test("an overlapping bed assignment written behind the domain's back is refused as a conflict")
    func bedExclusion() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let fixture = try await DemoFixture.make(services)
            let bed = fixture.bedsA[0]
            let first = try await services.patients.admit(
                siteId: fixture.siteA.id,
                Admission(
                    name: "First", sex: .female, dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2), phone: nil,
                    nationalId: testNationalID(sequence: 1), severity: .mild, partyMember: false, bedId: bed.id),
                actor: DemoFixture.operatorActor
            ).value
            let second = try await services.patients.admit(
                siteId: fixture.siteA.id,
                Admission(
                    name: "Second", sex: .female, dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2), phone: nil,
                    nationalId: testNationalID(sequence: 2), severity: .mild, partyMember: false,
                    bedId: fixture.bedsA[1].id), actor: DemoFixture.operatorActor
            ).value
            let database = db.database()
            await #expect(
                throws: DomainError.conflict("the bed is already held by another patient at that time", field: "bedId")
            ) {
                try await database.transaction(DemoFixture.operatorActor) { tx in
                    _ = try await tx.patients.closeAssignment(
                        siteId: fixture.siteA.id, patientId: second.id, at: Date())
                    try await tx.patients.openAssignment(
                        siteId: fixture.siteA.id, patientId: second.id, bedId: bed.id, from: Date())
                }
            }
            await #expect(
                throws: DomainError.conflict("the patient already holds a bed at that time", field: "patientId")
            ) {
                try await database.transaction(DemoFixture.operatorActor) { tx in
                    try await tx.patients.openAssignment(
                        siteId: fixture.siteA.id, patientId: first.id, bedId: fixture.bedsA[2].id, from: Date())
                }
            }
        }
    }
}

@Suite("Roster rules the database enforces")
struct RosterConstraintTests {
    @Test("an overlapping shift assignment written behind the domain's back is refused as a conflict")
    func shiftExclusion() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            let fixture = try await DemoFixture.make(services)
            let op = DemoFixture.operatorActor
            let nurse = try await services.staff.createStaff(
                siteId: fixture.siteA.id,
                StaffDraft(
                    code: "N1", name: "许春梅", hospital: "浦江一院", profession: .nurse), actor: op)
            let start = Date().addingTimeInterval(10 * 86_400).rounded(toMinutes: 60)
            var shifts: [Shift] = []
            for offset in [0.0, 7200] {
                shifts.append(
                    try await services.roster.createShift(
                        siteId: fixture.siteA.id,
                        ShiftDraft(
                            zoneId: fixture.zoneA.id, requires: .nurse, startsAt: start.addingTimeInterval(offset),
                            endsAt: start.addingTimeInterval(offset + 14_400), minStaff: 1, maxStaff: 2), actor: op))
            }
            let database = db.database()
            let made = shifts
            try await database.transaction(DemoFixture.operatorActor) { tx in
                _ = try await tx.shifts.insertAssignment(
                    siteId: fixture.siteA.id, shiftId: made[0].id, staffId: nurse.id)
            }
            await #expect(
                throws: DomainError.conflict(
                    "the person is already on a shift that overlaps this one", field: "staffId")
            ) {
                try await database.transaction(DemoFixture.operatorActor) { tx in
                    _ = try await tx.shifts.insertAssignment(
                        siteId: fixture.siteA.id, shiftId: made[1].id, staffId: nurse.id)
                }
            }
            #expect(try await db.count("SELECT count(*)::int FROM shift_assignments") == 1)
        }
    }
}
