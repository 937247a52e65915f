import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Rosters")
struct RosterTests {
    @Test("two managers assigning one nurse to overlapping shifts at the same moment leave exactly one assignment")
    func concurrentOverlap() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            let morning = try await f.shift(hour: 8, hours: 4)
            let late = try await f.shift(hour: 10, hours: 4)
            let results = await withTaskGroup(of: Result<Assignment, any Error>.self) { group in
                for shift in [morning, late, morning, late] {
                    group.addTask {
                        do { return .success(try await f.assign(0, to: shift)) } catch { return .failure(error) }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { if case .success = $0 { true } else { false } }.count == 1)
            for case .failure(let error) in results {
                let text = String(describing: error)
                #expect(text.contains("overlap") || text.contains("already on this shift"), "\(text)")
            }
            #expect(try await db.count("SELECT count(*)::int FROM shift_assignments WHERE state <> 'cancelled'") == 1)
        }
    }

    @Test("two clerks racing for the last place on a shift: one gets it, the other is told it is full")
    func lastPlace() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            let shift = try await f.shift(hour: 8, hours: 4, max: 1)
            let results = await withTaskGroup(of: Bool.self) { group in
                for nurse in [0, 1] { group.addTask { (try? await f.assign(nurse, to: shift)) != nil } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
            #expect(try await db.count("SELECT count(*)::int FROM shift_assignments") == 1)
            await #expect(
                throws: DomainError.invalid(
                    "staffId", "over_staffed: 2 people on a shift for at most 1 [A nurse \(f.base) 08:00-12:00]")
            ) {
                _ = try await f.assign(2, to: shift)
            }
        }
    }

    @Test("drafts may break hard rules with a warning; publishing is all or nothing and refused while one is broken")
    func publishAllOrNothing() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            let morning = try await f.shift(hour: 8, hours: 4)
            let clean = try await f.shift(day: 1, hour: 8, hours: 4, contaminated: false)
            _ = try await f.assign(0, to: morning)
            _ = try await f.assign(1, to: clean)
            let change = try await f.services.roster.assign(
                siteId: f.site, shiftId: morning.id, staffId: f.nurses[2].id, actor: f.op)
            #expect(change.warnings.map(\.rule) == [.ppeCertification])
            #expect(
                change.warnings[0].reason
                    == "钱佩玲 has no PPE donning and doffing certification; the contaminated-zone shift is on \(f.base)")

            let check = try await f.services.roster.check(
                siteId: f.site, from: f.base, through: f.base.adding(days: 1), actor: f.op)
            #expect(check.hard == 1)
            #expect(check.findings.first { $0.rule.isHard }?.staffCode == "N3")
            await #expect(throws: DomainError.self) {
                _ = try await f.services.roster.publish(
                    siteId: f.site, from: f.base, through: f.base.adding(days: 1), actor: f.op)
            }
            #expect(try await db.count("SELECT count(*)::int FROM shift_assignments WHERE state = 'published'") == 0)

            let broken = change.assignments[0]
            _ = try await f.services.roster.cancel(
                siteId: f.site, assignmentId: broken.id, expectedVersion: broken.version, actor: f.op)
            let published = try await f.services.roster.publish(
                siteId: f.site, from: f.base, through: f.base.adding(days: 1), actor: f.op)
            #expect(published.published == 2)
            #expect(try await db.count("SELECT count(*)::int FROM shift_assignments WHERE state = 'published'") == 2)
            #expect(
                try await db.count("SELECT count(*)::int FROM audit_log WHERE entity = 'roster' AND action = 'publish'")
                    == 1)
        }
    }

    @Test("a swap that would break a rule for either person changes nothing; a legal one exchanges both, audited")
    func swapIsAtomic() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            let contaminated = try await f.shift(hour: 8, hours: 4)
            let clean = try await f.shift(day: 1, hour: 8, hours: 4, contaminated: false)
            let other = try await f.shift(day: 2, hour: 8, hours: 4)
            _ = try await f.assign(0, to: contaminated)
            _ = try await f.assign(2, to: clean)
            _ = try await f.assign(1, to: other)
            _ = try await f.services.roster.publish(
                siteId: f.site, from: f.base, through: f.base.adding(days: 2), actor: f.op)
            let roster = try await f.services.roster.roster(
                siteId: f.site, from: f.base, through: f.base.adding(days: 2), actor: f.op)
            let a = roster[0].assignments[0]
            let b = roster[1].assignments[0]
            let c = roster[2].assignments[0]

            // 钱佩玲 (N3) has no PPE record: she may not take the contaminated shift.
            do {
                _ = try await f.services.roster.swap(
                    siteId: f.site, assignmentId: a.id, expectedVersion: a.version, with: b.id,
                    otherVersion: b.version, actor: f.op)
                Issue.record("the swap should have been refused")
            } catch DomainError.invalid(let issues) {
                #expect(
                    issues.map(\.detail).contains {
                        $0.hasPrefix("ppe_certification: 钱佩玲 has no PPE donning and doffing certification")
                    })
            }
            let unchanged = try await f.services.roster.roster(
                siteId: f.site, from: f.base, through: f.base.adding(days: 2), actor: f.op)
            #expect(unchanged.map { $0.assignments.map(\.staffCode) } == [["N1"], ["N3"], ["N2"]])
            #expect(unchanged.flatMap(\.assignments).map(\.version) == [a.version, b.version, c.version])

            let swapped = try await f.services.roster.swap(
                siteId: f.site, assignmentId: a.id, expectedVersion: a.version, with: c.id,
                otherVersion: c.version, actor: f.op)
            #expect(swapped.assignments.map(\.staffCode) == ["N2", "N1"])
            #expect(swapped.assignments.map(\.state) == [.published, .published])
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM audit_log WHERE entity = 'shift_assignment' AND action = 'swap'") == 2)
        }
    }

    @Test("swapping two people on overlapping shifts passes through the moment one holds both")
    func swapOverlapping() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            let first = try await f.shift(hour: 8, hours: 4)
            let second = try await f.shift(hour: 10, hours: 4, contaminated: false)
            let a = try await f.assign(0, to: first)
            let b = try await f.assign(1, to: second)
            let swapped = try await f.services.roster.swap(
                siteId: f.site, assignmentId: a.id, expectedVersion: a.version, with: b.id,
                otherVersion: b.version, actor: f.op)
            #expect(swapped.assignments.map(\.staffCode) == ["N2", "N1"])
        }
    }

    @Test("editing a published assignment needs its version, and keeps every hard rule")
    func editPublished() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            let shift = try await f.shift(hour: 8, hours: 4)
            let assignment = try await f.assign(0, to: shift)
            _ = try await f.services.roster.publish(siteId: f.site, from: f.base, through: f.base, actor: f.op)
            let current = try await f.services.roster.assignment(
                siteId: f.site, assignmentId: assignment.id, actor: f.op)
            await #expect(throws: DomainError.preconditionRequired) {
                _ = try await f.services.roster.cancel(
                    siteId: f.site, assignmentId: current.id, expectedVersion: nil, actor: f.op)
            }
            await #expect(throws: DomainError.preconditionFailed(currentVersion: current.version)) {
                _ = try await f.services.roster.cancel(
                    siteId: f.site, assignmentId: current.id, expectedVersion: current.version - 1, actor: f.op)
            }
            await #expect(throws: DomainError.self) {
                _ = try await f.services.roster.replace(
                    siteId: f.site, assignmentId: current.id, with: f.nurses[2].id,
                    expectedVersion: current.version, actor: f.op)
            }
            let replaced = try await f.services.roster.replace(
                siteId: f.site, assignmentId: current.id, with: f.nurses[1].id,
                expectedVersion: current.version, actor: f.op)
            #expect(replaced.assignments[0].staffCode == "N2")
            #expect(replaced.assignments[0].state == .published)
            let cancelled = try await f.services.roster.cancel(
                siteId: f.site, assignmentId: current.id,
                expectedVersion: replaced.assignments[0].version, actor: f.op)
            #expect(cancelled.assignments[0].state == .cancelled)
            #expect(cancelled.warnings.map(\.rule) == [.underStaffed])
            await #expect(throws: DomainError.illegalTransition(from: "cancelled", to: "cancel", allowed: [])) {
                _ = try await f.services.roster.cancel(
                    siteId: f.site, assignmentId: current.id,
                    expectedVersion: cancelled.assignments[0].version, actor: f.op)
            }
        }
    }

    @Test("templates generate a week of shifts once; coverage lists gaps first")
    func templatesAndCoverage() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            for (name, start) in [("早班", "08:00"), ("午班", "12:00")] {
                _ = try await f.services.roster.createTemplate(
                    siteId: f.site,
                    ShiftTemplateDraft(
                        name: name, zoneId: f.demo.zoneA.id, requires: .nurse, startTime: start, minutes: 240,
                        minStaff: 1, maxStaff: 2), actor: f.op)
            }
            let first = try await f.services.roster.generateShifts(siteId: f.site, from: f.base, actor: f.op)
            #expect((first.created, first.skipped) == (14, 0))
            let again = try await f.services.roster.generateShifts(siteId: f.site, from: f.base, actor: f.op)
            #expect((again.created, again.skipped) == (0, 14))
            let shifts = try await f.services.roster.roster(siteId: f.site, from: f.base, through: f.base, actor: f.op)
            #expect(shifts.map { LocalTime.format($0.startsAt, in: f.timeZone) } == ["08:00", "12:00"])
            _ = try await f.assign(0, to: shifts[0])
            let coverage = try await f.services.roster.coverage(siteId: f.site, from: f.base, days: 1, actor: f.op)
            #expect(coverage.map(\.shiftId) == [shifts[1].id, shifts[0].id])
            #expect(coverage.map(\.gap) == [1, 0])
        }
    }

    @Test("the site's rules are its own: a stricter rest rule turns an accepted roster into a broken one")
    func siteRules() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            _ = try await f.assign(0, to: try await f.shift(hour: 8, hours: 4))
            _ = try await f.assign(0, to: try await f.shift(hour: 21, hours: 4))
            #expect(
                try await f.services.roster.check(siteId: f.site, from: f.base, through: f.base, actor: f.op).hard == 0)
            await #expect(throws: DomainError.preconditionRequired) {
                _ = try await f.services.roster.setRules(
                    siteId: f.site, RosterRules(minRestMinutes: 600), expectedVersion: nil, actor: f.op)
            }
            let rules = try await f.services.roster.setRules(
                siteId: f.site, RosterRules(minRestMinutes: 600), expectedVersion: 0, actor: f.op)
            #expect(rules.version == 1)
            let check = try await f.services.roster.check(siteId: f.site, from: f.base, through: f.base, actor: f.op)
            #expect(
                check.findings.map(\.reason) == [
                    "许春梅 rests 9 h after A nurse \(f.base) 08:00-12:00; the site's minimum is 10 h"
                ])
        }
    }

    @Test("reading and writing rosters is by role: managers write, clinicians read, other sites see nothing")
    func roles() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            let clinician = try await f.services.access.authenticate(
                token: f.demo.tokens["clinicianA"]!, origin: .cli(operator: "t"))
            let outsider = try await f.services.access.authenticate(
                token: f.demo.tokens["clinicianB"]!, origin: .cli(operator: "t"))
            #expect(try await f.services.staff.staff(siteId: f.site, actor: clinician).count == 3)
            await #expect(throws: DomainError.self) {
                _ = try await f.services.staff.createStaff(
                    siteId: f.site, StaffDraft(code: "X1", name: "x", hospital: "h", profession: .nurse),
                    actor: clinician)
            }
            await #expect(throws: DomainError.notFound("site not found")) {
                _ = try await f.services.staff.staff(siteId: f.site, actor: outsider)
            }
        }
    }

    @Test("the assignment picker: who is free, PPE-certified and rested for a shift, the ones who break nothing first")
    func candidates() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            let morning = try await f.shift(hour: 8, hours: 4)
            let overlapping = try await f.shift(hour: 10, hours: 4)
            _ = try await f.assign(0, to: morning)
            let candidates = try await f.services.roster.candidates(
                siteId: f.site, shiftId: overlapping.id, actor: f.op)
            let byCode = Dictionary(uniqueKeysWithValues: candidates.map { ($0.staff.code, $0) })
            #expect(Set(byCode.keys) == ["N1", "N2", "N3"])
            #expect(byCode["N2"]?.isClear == true)
            #expect(byCode["N1"]?.isFree == false, "N1 is on the overlapping morning shift")
            #expect(byCode["N3"]?.isCertified == false, "N3 has no PPE certificate")
            #expect(candidates.first?.staff.code == "N2")
            _ = try await f.assign(1, to: overlapping)
            let left = try await f.services.roster.candidates(siteId: f.site, shiftId: overlapping.id, actor: f.op)
            #expect(!left.map(\.staff.code).contains("N2"), "someone already on the shift is not offered again")
        }
    }
}
