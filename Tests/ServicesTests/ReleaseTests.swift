import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Release from isolation: the release list, sign-off and its withdrawal, batch release")
struct ReleaseTests {
    typealias F = SwabFixture

    /// Admits patient `n` into bed `n - 1` two days ago, with `clear` clear tests by hand (the
    /// first a day and a half ago, the second an hour ago): two make them meet the test rule.
    static func admit(_ f: F, _ n: Int, clear: Int) async throws -> Patient {
        let patient = try await f.admit(n, bed: n - 1, daysAgo: 2)
        for hoursAgo in [36.0, 1.0].prefix(clear) {
            _ = try await f.services.patients.addTest(
                siteId: f.site, patientId: patient.id,
                NucleicAcidTestEntry(
                    sampledAt: Date(timeIntervalSinceNow: -hoursAgo * 3600), result: .negative, nGeneCt: nil,
                    orf1abCt: nil), actor: F.op)
        }
        return patient
    }

    /// Records a temperature taken `minutesAgo` on the patient's (new, active) care plan.
    static func temperature(_ f: F, _ patient: Patient, _ celsius: Double, minutesAgo: Double) async throws {
        let care = f.services.care
        var plan = try await care.plans(siteId: f.site, patientId: patient.id, status: .active, actor: F.op).first
        if plan == nil {
            let draft = try await care.createPlan(
                siteId: f.site, patientId: patient.id,
                CarePlanDraft(conditions: [.hypertension], goals: "", reviewOn: f.demo.siteA.today.adding(days: 7)),
                actor: F.op)
            plan = try await care.setStatus(
                siteId: f.site, planId: draft.id, to: .active, expectedVersion: draft.version, actor: F.op)
        }
        _ = try await care.recordObservation(
            siteId: f.site, planId: plan!.id,
            ObservationEntry(
                measure: .temperature, observedAt: Date(timeIntervalSinceNow: -minutesAgo * 60), value: celsius),
            actor: F.op)
    }

    static func keys(_ candidate: ReleaseCandidate?, _ criteria: ReleaseCriteria) -> [String] {
        candidate?.reasons(criteria).map(\.key) ?? ["absent"]
    }

    @Test(
        "the list shows who meets the tests and what stands in the way; a clinician signs a ward off; release sends them home and their beds to cleaning, and a repeat says they went"
    )
    func signOffAndRelease() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let clinician = try await f.actor("clinicianA")
            let releases = f.services.releases
            let first = try await Self.admit(f, 1, clear: 2)
            let second = try await Self.admit(f, 2, clear: 2)
            let notYet = try await Self.admit(f, 3, clear: 1)

            var list = try await releases.list(siteId: f.site, zoneId: nil, actor: clinician)
            #expect(list.candidates.map(\.patientId) == [first.id, second.id], "only those whose tests meet the rule")
            #expect(list.candidates.allSatisfy { Self.keys($0, list.criteria) == ["release.not_signed_off"] })

            // Nobody goes without a sign-off.
            let early = try await releases.release(siteId: f.site, patientIds: [first.id], actor: clinician)
            #expect(early.outcomes.map(\.outcome) == [.leftOut([Explanation("release.not_signed_off")])])

            // A ward's list is signed all or none: one not clear refuses the lot, naming them.
            await #expect {
                _ = try await releases.signOff(
                    siteId: f.site, patientIds: [first.id, notYet.id], symptomsImproved: true, note: nil,
                    actor: clinician)
            } throws: { error in
                guard case DomainError.invalid(let issues) = error else { return false }
                return issues.map(\.field) == ["patientIds[1]"] && issues[0].detail.contains("病人3")
            }
            #expect(try await db.count("SELECT count(*)::int FROM release_sign_offs") == 0)
            // Signing is a clinician's judgement: the pharmacist and the manager may not.
            for name in ["pharmacistA", "managerA"] {
                await #expect(throws: DomainError.self) {
                    _ = try await releases.signOff(
                        siteId: f.site, patientIds: [first.id], symptomsImproved: true, note: nil,
                        actor: try await f.actor(name))
                }
            }

            let signed = try await releases.signOff(
                siteId: f.site, patientIds: [first.id, second.id], symptomsImproved: true, note: "病情平稳",
                actor: clinician)
            #expect(signed.map { $0.signOff?.signedBy } == [clinician.username, clinician.username])
            list = try await releases.list(siteId: f.site, zoneId: nil, actor: clinician)
            #expect(list.candidates.allSatisfy { $0.isReady(list.criteria) })
            await #expect(throws: DomainError.self, "signed twice") {
                _ = try await releases.signOff(
                    siteId: f.site, patientIds: [first.id], symptomsImproved: true, note: nil, actor: clinician)
            }

            // A mistyped id refuses the whole bus, naming it, before anyone goes.
            await #expect {
                _ = try await releases.release(
                    siteId: f.site, patientIds: [first.id, Patient.ID(rawValue: 999_999)], actor: clinician)
            } throws: { error in
                guard case DomainError.invalid(let issues) = error else { return false }
                return issues.map(\.field) == ["patientIds[1]"]
            }
            #expect(try await db.count("SELECT count(*)::int FROM patients WHERE status = 'discharged'") == 0)
            let bus = [first.id, second.id, notYet.id]
            let batch = try await releases.release(
                siteId: f.site, patientIds: bus, actor: try await f.actor("managerA"))
            #expect(batch.released == 2)
            #expect(batch.outcomes.map(\.outcome)[0...1] == [.released, .released])
            guard case .leftOut(let why) = batch.outcomes[2].outcome else {
                Issue.record("the patient not ready went: \(batch.outcomes[2].outcome)")
                return
            }
            #expect(why.map(\.key) == ["release.tests_not_met", "release.not_signed_off"])
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM patients WHERE status = 'discharged' AND discharge_reason = 'recovered'")
                    == 2)
            #expect(try await db.count("SELECT count(*)::int FROM beds WHERE status = 'cleaning'") == 2)
            #expect(
                try await db.count("SELECT count(*)::int FROM bed_assignments WHERE NOT upper_inf(during)") == 2)
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM audit_log WHERE action = 'release' AND entity = 'patient' AND role = 'site_manager'"
                ) == 2)
            let census = try await f.services.census.census(siteId: f.site, actor: F.op)
            #expect(census.eligibleForDischargeCount == 0, "the released no longer count as waiting")

            let again = try await releases.release(siteId: f.site, patientIds: bus, actor: clinician)
            #expect(again.released == 0)
            for outcome in again.outcomes.prefix(2).map(\.outcome) {
                guard case .alreadyReleased = outcome else {
                    Issue.record("a repeat should say already released, not \(outcome)")
                    continue
                }
            }
            #expect(try await db.count("SELECT count(*)::int FROM audit_log WHERE action = 'release'") == 2)
        }
    }

    @Test(
        "a positive result or a fever after the sign-off withdraws it with the reason; the site's criteria keep a feverish patient and unjudged symptoms back"
    )
    func withdrawal() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let clinician = try await f.actor("clinicianA")
            let releases = f.services.releases
            _ = try await releases.setCriteria(
                siteId: f.site, ReleaseCriteria(noFeverHours: 72, feverCelsius: 37.3, symptomsImproved: true),
                actor: try await f.actor("managerA"))
            await #expect(throws: DomainError.self, "a fever line of 40 °C is refused") {
                _ = try await releases.setCriteria(
                    siteId: f.site, ReleaseCriteria(feverCelsius: 40), actor: try await f.actor("managerA"))
            }
            let positive = try await Self.admit(f, 1, clear: 2)
            let feverish = try await Self.admit(f, 2, clear: 2)
            let later = try await Self.admit(f, 3, clear: 2)
            try await Self.temperature(f, feverish, 37.8, minutesAgo: 600)
            try await Self.temperature(f, later, 36.6, minutesAgo: 600)

            var list = try await releases.list(siteId: f.site, zoneId: nil, actor: clinician)
            let byId = Dictionary(uniqueKeysWithValues: list.candidates.map { ($0.patientId, $0) })
            #expect(Self.keys(byId[feverish.id], list.criteria) == ["release.fever", "release.not_signed_off"])
            #expect(Self.keys(byId[later.id], list.criteria) == ["release.not_signed_off"], "36.6 °C is no fever")
            await #expect(throws: DomainError.self, "the fever within 72 h keeps them back") {
                _ = try await releases.signOff(
                    siteId: f.site, patientIds: [feverish.id], symptomsImproved: true, note: nil, actor: clinician)
            }
            await #expect {
                _ = try await releases.signOff(
                    siteId: f.site, patientIds: [positive.id], symptomsImproved: false, note: nil, actor: clinician)
            } throws: { error in
                guard case DomainError.invalid(let issues) = error else { return false }
                return issues.map(\.field) == ["symptomsImproved"]
            }
            _ = try await releases.signOff(
                siteId: f.site, patientIds: [positive.id, later.id], symptomsImproved: true, note: nil, actor: clinician
            )

            // A positive by hand after the sign-off: withdrawn by the database, whichever way it came.
            _ = try await f.services.patients.addTest(
                siteId: f.site, patientId: positive.id,
                NucleicAcidTestEntry(sampledAt: Date(), result: .positive, nGeneCt: 28, orf1abCt: 30), actor: clinician)
            // A fever after it: withdrawn too.
            try await Self.temperature(f, later, 38.1, minutesAgo: 0)

            list = try await releases.list(siteId: f.site, zoneId: nil, actor: clinician)
            let after = Dictionary(uniqueKeysWithValues: list.candidates.map { ($0.patientId, $0) })
            #expect(after[positive.id]?.withdrawn?.reason == .tests)
            #expect(Self.keys(after[positive.id], list.criteria).contains("release.withdrawn_positive"))
            #expect(after[later.id]?.withdrawn?.reason == .fever && after[later.id]?.withdrawn?.detail == "38.1")
            #expect(Self.keys(after[later.id], list.criteria) == ["release.fever", "release.withdrawn_fever"])
            let batch = try await releases.release(
                siteId: f.site, patientIds: [positive.id, later.id], actor: clinician)
            #expect(batch.released == 0)
            #expect(try await db.count("SELECT count(*)::int FROM patients WHERE status = 'discharged'") == 0)

            // By hand: a clinician withdraws a standing sign-off, with the reason.
            let third = try await Self.admit(f, 4, clear: 2)
            _ = try await releases.signOff(
                siteId: f.site, patientIds: [third.id], symptomsImproved: true, note: nil, actor: clinician)
            try await releases.withdraw(siteId: f.site, patientId: third.id, reason: "咳嗽加重", actor: clinician)
            await #expect(throws: DomainError.self, "nothing left to withdraw") {
                try await releases.withdraw(siteId: f.site, patientId: third.id, reason: "again", actor: clinician)
            }
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM release_sign_offs WHERE withdrawn_reason = 'clinician' AND withdrawn_detail = '咳嗽加重'"
                ) == 1)
        }
    }

    @Test("two clerks releasing the same bus at once: each person goes once, and the other answer says they went")
    func concurrentRelease() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let clinician = try await f.actor("clinicianA")
            var ids: [Patient.ID] = []
            for n in 1...6 { ids.append(try await Self.admit(f, n, clear: 2).id) }
            _ = try await f.services.releases.signOff(
                siteId: f.site, patientIds: ids, symptomsImproved: true, note: nil, actor: clinician)
            let manager = try await f.actor("managerA")
            async let one = f.services.releases.release(siteId: f.site, patientIds: ids, actor: manager)
            async let two = f.services.releases.release(siteId: f.site, patientIds: ids.reversed(), actor: clinician)
            let (a, b) = try await (one, two)
            #expect(a.released + b.released == 6)
            for id in ids {
                let outcomes = (a.outcomes + b.outcomes).filter { $0.patientId == id }.map(\.outcome)
                #expect(outcomes.count { $0 == .released } == 1, "patient \(id) released once")
            }
            #expect(try await db.count("SELECT count(*)::int FROM audit_log WHERE action = 'release'") == 6)
            #expect(try await db.count("SELECT count(*)::int FROM beds WHERE status = 'cleaning'") == 6)
        }
    }
}
