import Domain
import Foundation
import Services
import TestSupport
import Testing

/// A transfer list checks its ID numbers against the people at the site. To a clinician, who
/// sees only the last 4 characters of a number, that check must not say which number they tried
/// is someone's.
@Suite("Intake: an ID number match is no oracle for whole numbers")
struct IntakeIdentityOracleTests {
    typealias F = IntakeFixture

    /// An admitted patient, and a clinician who sees their birth date and last 4 characters.
    static func siteWithPatient(_ db: TestDatabase) async throws -> (F, Actor, patientId: Patient.ID) {
        let f = try await F.make(db)
        let id = testNationalID(sequence: 9)
        let patient = try await f.services.patients.admit(
            siteId: f.site,
            Admission(
                name: "已在院", sex: .female, dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2), phone: nil,
                nationalId: id, severity: .mild, partyMember: false, bedId: f.demo.bedsA[0].id), actor: F.op)
        let clinician = try await f.services.access.authenticate(
            token: f.demo.tokens["clinicianA"]!, origin: .http(requestId: "probe", address: "198.51.100.7"))
        return (f, clinician, patient.value.id)
    }

    /// A list of guessed numbers with the patient's birth date, the real one at `realAt`.
    static func guesses(count: Int, realAt: Int) -> String {
        var rows = [F.header]
        for n in 0..<count {
            rows.append(F.row(n == realAt ? 9 : 100 + n, name: "试探\(n)", sex: "女"))
        }
        return rows.joined(separator: "\n")
    }

    @Test("a clinician is told who is already here, not which row matched; the refusal is logged")
    func clinicianGetsNoRow() async throws {
        try await TestDatabase.withMigrated { db in
            let (f, clinician, patientId) = try await Self.siteWithPatient(db)
            do {
                _ = try await f.services.intake.importCSV(
                    siteId: f.site, Self.guesses(count: 20, realAt: 13), reference: "probe-1", expectedAt: Date(),
                    actor: clinician)
                Issue.record("a list naming an admitted patient was accepted")
            } catch DomainError.invalid(let issues) {
                #expect(issues.count == 1, "\(issues)")
                #expect(issues.first?.field == "persons")
                let detail = issues.first?.detail ?? ""
                #expect(detail.contains("已在院") && detail.contains("patient \(patientId)"))
                #expect(!detail.contains("line") && !detail.contains("3101161969"), "\(detail)")
            }
            #expect(try await db.count("SELECT count(*)::int FROM intake_batches") == 0)
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM security_events WHERE kind = 'identity_match' AND username = 'cliniciana' AND address = '198.51.100.7'"
                ) == 1)
        }
    }

    @Test("a site manager, who sees whole numbers, gets the row named")
    func managerGetsRow() async throws {
        try await TestDatabase.withMigrated { db in
            let (f, _, patientId) = try await Self.siteWithPatient(db)
            let manager = try await f.services.access.authenticate(token: f.demo.tokens["managerA"]!, origin: .seed)
            do {
                _ = try await f.services.intake.importCSV(
                    siteId: f.site, Self.guesses(count: 5, realAt: 3), reference: "list-1", expectedAt: Date(),
                    actor: manager)
                Issue.record("a list naming an admitted patient was accepted")
            } catch DomainError.invalid(let issues) {
                #expect(
                    issues
                        == [
                            FieldIssue(
                                field: "line 5",
                                detail: "national_id: already admitted at this site, as patient \(patientId)")
                        ])
            }
            #expect(try await db.count("SELECT count(*)::int FROM security_events WHERE kind = 'identity_match'") == 0)
        }
    }

    @Test("past 5 refusals in an hour a clinician's lists are refused with 429, clean ones too")
    func refusalsAreLimited() async throws {
        try await TestDatabase.withMigrated { db in
            let (f, clinician, _) = try await Self.siteWithPatient(db)
            let limit = IntakeService.matchRefusalsPerHour
            // Halving a list of guesses finds the row in a few refusals; the limit stops it there.
            for attempt in 0..<limit {
                await #expect(throws: DomainError.self) {
                    _ = try await f.services.intake.importCSV(
                        siteId: f.site, Self.guesses(count: 8, realAt: attempt), reference: "probe-\(attempt)",
                        expectedAt: Date(), actor: clinician)
                }
            }
            for list in [
                Self.guesses(count: 4, realAt: 0), [F.header, F.row(50, name: "无关", sex: "男")].joined(separator: "\n"),
            ] {
                do {
                    _ = try await f.services.intake.importCSV(
                        siteId: f.site, list, reference: "after-limit", expectedAt: Date(), actor: clinician)
                    Issue.record("a list was checked past the limit")
                } catch DomainError.tooManyAttempts(_, let seconds) {
                    #expect(seconds > 0)
                }
            }
            #expect(try await db.count("SELECT count(*)::int FROM intake_batches") == 0)
            // Another clinician, and the site manager, are not held up by the first one's count.
            let manager = try await f.services.access.authenticate(token: f.demo.tokens["managerA"]!, origin: .seed)
            _ = try await f.services.intake.importCSV(
                siteId: f.site, [F.header, F.row(50, name: "无关", sex: "男")].joined(separator: "\n"),
                reference: "clean", expectedAt: Date(), actor: manager)
        }
    }
}
