import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Vital signs at the bedside, scored by NEWS2")
struct VitalSignsTests {
    typealias F = SwabFixture

    /// A complete set taken ten minutes ago, calm unless changed.
    static func set(_ change: (inout VitalSignsDraft) -> Void = { _ in }) -> VitalSignsDraft {
        var d = VitalSignsDraft(
            takenAt: Date(timeIntervalSinceNow: -600), respirationRate: 16, spo2: 97, onOxygen: false, systolic: 120,
            pulse: 70, consciousness: .alert, temperature: 37.0)
        change(&d)
        return d
    }

    @Test(
        "a complete set is scored as it is kept, a partial one kept unscored; impossible values are refused naming each field and write nothing; the list is latest first"
    )
    func recordAndScore() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let patient = try await f.admit(1, bed: 0, daysAgo: 2)
            let nurse = try await f.actor("clinicianA")
            let vitals = f.services.vitalSigns
            let calm = try await vitals.record(siteId: f.site, patientId: patient.id, Self.set(), actor: nurse)
            #expect(calm.score?.total == 0 && calm.score?.response == .low && calm.takenBy == nurse.username)
            let worse = try await vitals.record(
                siteId: f.site, patientId: patient.id,
                Self.set {
                    $0.takenAt = Date(timeIntervalSinceNow: -60)
                    $0.pulse = 118
                    $0.onOxygen = true
                    $0.temperature = 38.4
                }, actor: nurse)
            #expect(worse.score?.total == 5 && worse.score?.response == .medium, "2 + 2 + 1")
            let partial = try await vitals.record(
                siteId: f.site, patientId: patient.id,
                VitalSignsDraft(takenAt: Date(timeIntervalSinceNow: -30), pulse: 88), actor: nurse)
            #expect(partial.score == nil && partial.values.pulse == 88)

            await #expect {
                _ = try await vitals.record(
                    siteId: f.site, patientId: patient.id,
                    Self.set {
                        $0.spo2 = 130
                        $0.pulse = 0
                        $0.temperature = 73
                        $0.takenAt = Date(timeIntervalSinceNow: 3600)
                    }, actor: nurse)
            } throws: { error in
                guard case DomainError.invalid(let issues) = error else { return false }
                return Set(issues.map(\.field)) == ["spo2", "pulse", "temperature", "takenAt"]
            }
            await #expect(throws: DomainError.self, "an empty set") {
                _ = try await vitals.record(
                    siteId: f.site, patientId: patient.id, VitalSignsDraft(takenAt: Date()), actor: nurse)
            }
            #expect(try await db.count("SELECT count(*)::int FROM vital_signs") == 3)
            let listed = try await vitals.list(siteId: f.site, patientId: patient.id, actor: nurse)
            #expect(listed.map(\.id) == [partial.id, worse.id, calm.id])
            #expect(listed[1].values.temperature == 38.4 && listed[1].score == worse.score)
        }
    }

    @Test(
        "a clinician puts a patient with hypercapnic failure on SpO2 scale 2, which scores the next set; a manager may not; a discharged patient takes no more sets"
    )
    func scaleTwoAndDischarge() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let patient = try await f.admit(1, bed: 0, daysAgo: 2)
            let clinician = try await f.actor("clinicianA")
            let vitals = f.services.vitalSigns
            let onAir90 = Self.set { $0.spo2 = 90 }
            let before = try await vitals.record(siteId: f.site, patientId: patient.id, onAir90, actor: clinician)
            #expect(before.score?.spo2 == 3 && before.scale == .one)
            await #expect(throws: DomainError.self, "the scale is a clinician's decision") {
                try await vitals.setScale(
                    siteId: f.site, patientId: patient.id, .two, actor: try await f.actor("managerA"))
            }
            try await vitals.setScale(siteId: f.site, patientId: patient.id, .two, actor: clinician)
            let after = try await vitals.record(siteId: f.site, patientId: patient.id, onAir90, actor: clinician)
            #expect(after.score?.spo2 == 0 && after.scale == .two, "88-92 % is the target on scale 2")
            let overOxygenated = try await vitals.record(
                siteId: f.site, patientId: patient.id,
                Self.set {
                    $0.spo2 = 97
                    $0.onOxygen = true
                }, actor: clinician)
            #expect(overOxygenated.score?.spo2 == 3 && overOxygenated.score?.total == 5)
            #expect(try await vitals.list(siteId: f.site, patientId: patient.id, actor: clinician)[2].scale == .one)

            _ = try await f.services.patients.discharge(
                siteId: f.site, patientId: patient.id, reason: .transferred, note: nil, expectedVersion: nil,
                actor: F.op)
            await #expect(throws: DomainError.self, "no sets after discharge") {
                _ = try await vitals.record(siteId: f.site, patientId: patient.id, Self.set(), actor: clinician)
            }
            await #expect(throws: DomainError.self, "another site's patient is not there") {
                _ = try await vitals.list(siteId: f.demo.siteB.id, patientId: patient.id, actor: F.op)
            }
        }
    }

    @Test(
        "a fever in a set of vital signs counts for release as one in a care plan does: it keeps a patient off the ready list, and after a sign-off withdraws it"
    )
    func feverAndRelease() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let clinician = try await f.actor("clinicianA")
            let releases = f.services.releases
            _ = try await releases.setCriteria(
                siteId: f.site, ReleaseCriteria(noFeverHours: 72, feverCelsius: 37.3),
                actor: try await f.actor("managerA"))
            let feverish = try await ReleaseTests.admit(f, 1, clear: 2)
            let signed = try await ReleaseTests.admit(f, 2, clear: 2)
            _ = try await f.services.vitalSigns.record(
                siteId: f.site, patientId: feverish.id,
                VitalSignsDraft(takenAt: Date(timeIntervalSinceNow: -600), temperature: 37.9),
                actor: clinician)
            var list = try await releases.list(siteId: f.site, zoneId: nil, actor: clinician)
            var byId = Dictionary(uniqueKeysWithValues: list.candidates.map { ($0.patientId, $0) })
            #expect(ReleaseTests.keys(byId[feverish.id], list.criteria) == ["release.fever", "release.not_signed_off"])
            _ = try await releases.signOff(
                siteId: f.site, patientIds: [signed.id], symptomsImproved: true, note: nil, actor: clinician)
            _ = try await f.services.vitalSigns.record(
                siteId: f.site, patientId: signed.id,
                Self.set {
                    $0.takenAt = Date()
                    $0.temperature = 38.2
                },
                actor: clinician)
            list = try await releases.list(siteId: f.site, zoneId: nil, actor: clinician)
            byId = Dictionary(uniqueKeysWithValues: list.candidates.map { ($0.patientId, $0) })
            #expect(byId[signed.id]?.withdrawn?.reason == .fever && byId[signed.id]?.withdrawn?.detail == "38.2")
            #expect(byId[signed.id]?.signOff == nil)
        }
    }

    @Test(
        "a site that asks for a stable NEWS2 keeps back whoever has no scored set, a latest score above 2, or a rising one"
    )
    func news2ReleaseCriterion() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let nurse = try await f.actor("clinicianA")
            _ = try await f.services.releases.setCriteria(
                siteId: f.site, ReleaseCriteria(news2Stable: true), actor: try await f.actor("managerA"))
            var patients: [Patient] = []
            for n in 1...4 { patients.append(try await ReleaseTests.admit(f, n, clear: 2)) }
            // Scores (oldest first): none; 4; 3 then 1; 0 then 2.
            let series: [[VitalSignsDraft]] = [
                [],
                [
                    Self.set {
                        $0.pulse = 112
                        $0.respirationRate = 22
                    }
                ],
                [
                    Self.set {
                        $0.takenAt = Date(timeIntervalSinceNow: -7200)
                        $0.systolic = 85
                    }, Self.set { $0.pulse = 95 },
                ],
                [Self.set { $0.takenAt = Date(timeIntervalSinceNow: -7200) }, Self.set { $0.pulse = 115 }],
            ]
            for (patient, sets) in zip(patients, series) {
                for set in sets {
                    _ = try await f.services.vitalSigns.record(
                        siteId: f.site, patientId: patient.id, set, actor: nurse)
                }
            }
            let list = try await f.services.releases.list(siteId: f.site, zoneId: nil, actor: nurse)
            let byId = Dictionary(uniqueKeysWithValues: list.candidates.map { ($0.patientId, $0) })
            func keys(_ patient: Patient) -> [String] { ReleaseTests.keys(byId[patient.id], list.criteria) }
            #expect(keys(patients[0]) == ["release.news2_missing", "release.not_signed_off"])
            #expect(keys(patients[1]) == ["release.news2_high", "release.not_signed_off"])
            #expect(keys(patients[2]) == ["release.not_signed_off"], "3 then 1: falling, and at most 2")
            #expect(keys(patients[3]) == ["release.news2_rising", "release.not_signed_off"], "0 then 2")
            #expect(
                byId[patients[3].id]?.news2
                    == NEWS2Trend(latest: 2, takenAt: byId[patients[3].id]!.news2!.takenAt, previous: 0))
        }
    }
}
