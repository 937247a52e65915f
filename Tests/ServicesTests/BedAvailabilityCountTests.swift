import Domain
import Foundation
import PostgresNIO
import Services
import TestSupport
import Testing

/// The district board reads beds from counts the triggers keep. Whatever path changes a bed,
/// and in whatever order two transactions change one bed from both sides, the counts must equal
/// what the beds and the intake holds say.
@Suite("The board's kept bed counts")
struct BedAvailabilityCountTests {
    /// The counts, kept plus unfolded, beside the same figures read from the beds themselves.
    static let mismatches = """
        SELECT count(*)::int FROM (
            SELECT site_id, status, held, single_sex, near_station, accessible, oxygen, sum(beds) AS n FROM (
                SELECT site_id, status, held, single_sex, near_station, accessible, oxygen, beds
                FROM bed_availability_counts
                UNION ALL
                SELECT site_id, status, held, single_sex, near_station, accessible, oxygen, change
                FROM bed_availability_changes) c
            GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(beds) <> 0
            EXCEPT
            SELECT b.site_id, b.status, i.id IS NOT NULL, coalesce(b.single_sex, ''), b.near_station, b.accessible,
                   b.oxygen, count(*)
            FROM beds b LEFT JOIN intake_persons i ON i.site_id = b.site_id AND i.bed_id = b.id
            GROUP BY 1, 2, 3, 4, 5, 6, 7
        ) wrong
        """

    @Test("admission, moves, status changes, proposals, a bed chosen by hand, cancels and a fold all add up")
    func everyPathAddsUp() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await IntakeFixture.make(db)
            let op = IntakeFixture.op
            let csv = [
                IntakeFixture.header, IntakeFixture.row(1, name: "甲", sex: "男"),
                IntakeFixture.row(2, name: "乙", sex: "女"), IntakeFixture.row(3, name: "丙", sex: "女"),
            ].joined(separator: "\n")
            let batch = try await f.services.intake.importCSV(
                siteId: f.site, csv, reference: "COUNT-1", expectedAt: Date(), actor: op)
            let people = try await f.services.intake.propose(siteId: f.site, batchId: batch.id, actor: op)
            #expect(try await db.count(Self.mismatches) == 0)
            _ = try await f.services.intake.cancel(siteId: f.site, personId: people[0].id, actor: op)
            _ = try await f.services.intake.admit(siteId: f.site, batchId: batch.id, actor: op)
            #expect(try await db.count(Self.mismatches) == 0)
            let bed = f.demo.bedsA[5]
            _ = try await f.services.beds.setStatus(
                siteId: f.site, bedId: bed.id, to: .cleaning, expectedVersion: bed.version, actor: op)
            _ = try await f.services.housekeeping().runOnce()
            #expect(try await db.count(Self.mismatches) == 0)
            #expect(try await db.count("SELECT count(*)::int FROM bed_availability_changes") == 0)
        }
    }

    @Test("a bed's state changed while another transaction proposes it to someone still adds up, either way round")
    func bothSidesAtOnce() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await IntakeFixture.make(db)
            let op = IntakeFixture.op
            let csv = [IntakeFixture.header, IntakeFixture.row(1, name: "甲", sex: "男")].joined(separator: "\n")
            let batch = try await f.services.intake.importCSV(
                siteId: f.site, csv, reference: "RACE", expectedAt: Date(), actor: op)
            let person = try await f.services.intake.propose(siteId: f.site, batchId: batch.id, actor: op)[0]
            let holdBed = { (bed: Bed.ID) in "UPDATE intake_persons SET bed_id = \(bed) WHERE id = \(person.id)" }
            let turnBed = { (bed: Bed.ID) in
                "UPDATE beds SET status = CASE status WHEN 'free' THEN 'cleaning' ELSE 'free' END WHERE id = \(bed)"
            }
            for (round, (first, second)) in [(turnBed, holdBed), (holdBed, turnBed)].enumerated() {
                let bed = f.demo.bedsA[round].id
                _ = try await db.client.query(
                    PostgresQuery(unsafeSQL: "UPDATE intake_persons SET bed_id = NULL WHERE id = \(person.id)"))
                // The first side's transaction stays open while the second side writes; the second
                // must count the bed as the first leaves it, not as it was.
                let (firstSQL, secondSQL) = (first(bed), second(bed))
                let other = try await db.client.withTransaction(logger: db.logger) { tx in
                    try await tx.query(PostgresQuery(unsafeSQL: firstSQL), logger: db.logger)
                    let other = Task { _ = try await db.client.query(PostgresQuery(unsafeSQL: secondSQL)) }
                    try await Task.sleep(for: .milliseconds(300))
                    return other
                }
                try await other.value
                #expect(try await db.count(Self.mismatches) == 0, "round \(round)")
            }
        }
    }
}
