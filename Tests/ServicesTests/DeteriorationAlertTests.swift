import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Deterioration alerts: raised by NEWS2, addressed to who is on shift, acknowledged or escalated")
struct DeteriorationAlertTests {
    typealias F = SwabFixture

    /// Publishes a shift under way now in `zone` for these staff, each `(code, name, profession)`.
    static func onShift(_ db: TestDatabase, site: Site.ID, zone: String, _ staff: [(String, String, String)])
        async throws
    {
        for (code, name, profession) in staff {
            try await db.asOwner(
                """
                WITH person AS (
                    INSERT INTO staff (site_id, code, name, hospital, profession)
                    VALUES (\(site), '\(code)', '\(name)', '仁济医院', '\(profession)') RETURNING id),
                shift AS (
                    INSERT INTO shifts (site_id, zone_id, starts_at, ends_at, min_staff, max_staff)
                    SELECT \(site), id, now() - interval '2 hours', now() + interval '6 hours', 1, 4
                    FROM zones WHERE site_id = \(site) AND code = '\(zone)' RETURNING id, starts_at, ends_at)
                INSERT INTO shift_assignments (site_id, shift_id, staff_id, during, state)
                SELECT \(site), shift.id, person.id, tstzrange(shift.starts_at, shift.ends_at), 'published'
                FROM shift, person
                """)
        }
    }

    @Test(
        "5 or a red 3 raises an urgent alert to the doctors and nurses on shift in the patient's zone; 7 makes it an emergency; a patient has one open alert; a calm reading raises none"
    )
    func raising() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let zone = f.demo.zoneA
            try await db.asOwner(
                "INSERT INTO zones (site_id, code, name, kind) VALUES (\(f.site), 'ELSEWHERE', '别区', 'contaminated')")
            try await Self.onShift(
                db, site: f.site, zone: zone.code,
                [("N01", "方护士", "nurse"), ("D01", "林医生", "doctor"), ("L01", "后勤王", "logistics")])
            try await Self.onShift(db, site: f.site, zone: "ELSEWHERE", [("N02", "别区护士", "nurse")])
            let patient = try await f.admit(1, bed: 0, daysAgo: 2)
            let calmPatient = try await f.admit(2, bed: 1, daysAgo: 2)
            let nurse = try await f.actor("clinicianA")
            let vitals = f.services.vitalSigns
            let alerts = f.services.alerts

            _ = try await vitals.record(
                siteId: f.site, patientId: calmPatient.id, VitalSignsTests.set(), actor: nurse)
            _ = try await vitals.record(
                siteId: f.site, patientId: patient.id, VitalSignsDraft(takenAt: Date(), systolic: 85), actor: nurse)
            #expect(try await alerts.alerts(siteId: f.site, actor: nurse).isEmpty, "a partial set raises nothing")

            _ = try await vitals.record(
                siteId: f.site, patientId: patient.id, VitalSignsTests.set { $0.systolic = 85 }, actor: nurse)
            var open = try await alerts.alerts(siteId: f.site, actor: nurse)
            #expect(open.count == 1 && open[0].alert.level == .urgent && open[0].alert.score == 3, "a red 3")
            #expect(open[0].alert.addressedTo == ["方护士", "林医生"].sorted(), "\(open[0].alert.addressedTo)")
            #expect(open[0].alert.patientId == patient.id && !open[0].escalated)

            _ = try await vitals.record(
                siteId: f.site, patientId: patient.id, VitalSignsTests.set { $0.pulse = 115 }, actor: nurse)
            #expect(try await alerts.alerts(siteId: f.site, actor: nurse).count == 1, "one open alert per patient")
            _ = try await vitals.record(
                siteId: f.site, patientId: patient.id,
                VitalSignsTests.set {
                    $0.systolic = 85
                    $0.pulse = 115
                    $0.onOxygen = true
                }, actor: nurse)
            open = try await alerts.alerts(siteId: f.site, actor: nurse)
            #expect(open.count == 1 && open[0].alert.level == .emergency && open[0].alert.score == 7)
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM audit_log WHERE entity = 'deterioration_alert' AND action IN ('raise', 'raise_level')"
                ) == 2)
        }
    }

    @Test(
        "a clinician acknowledges with what was done, once; a manager may not; unacknowledged past ALERT_ESCALATE_MINUTES it is escalated and counted; nobody on shift is said"
    )
    func acknowledgement() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let first = try await f.admit(1, bed: 0, daysAgo: 2)
            let second = try await f.admit(2, bed: 1, daysAgo: 2)
            let nurse = try await f.actor("clinicianA")
            let alerts = f.services.alerts
            for patient in [first, second] {
                _ = try await f.services.vitalSigns.record(
                    siteId: f.site, patientId: patient.id,
                    VitalSignsTests.set {
                        $0.respirationRate = 26
                        $0.onOxygen = true
                        $0.pulse = 120
                    }, actor: nurse)
            }
            var open = try await alerts.alerts(siteId: f.site, actor: nurse)
            #expect(open.count == 2 && open.allSatisfy { $0.alert.level == .emergency && $0.alert.addressedTo.isEmpty })
            let alert = try #require(open.first { $0.alert.patientId == first.id }).alert

            await #expect(throws: DomainError.self, "acknowledging is a clinician's") {
                _ = try await alerts.acknowledge(
                    siteId: f.site, alertId: alert.id, action: "看过", actor: try await f.actor("managerA"))
            }
            await #expect {
                _ = try await alerts.acknowledge(siteId: f.site, alertId: alert.id, action: "  ", actor: nurse)
            } throws: { error in
                guard case DomainError.invalid(let issues) = error else { return false }
                return issues.map(\.field) == ["action"]
            }
            let done = try await alerts.acknowledge(
                siteId: f.site, alertId: alert.id, action: "医生到床旁，给氧 4 L/min，转绿色通道评估", actor: nurse)
            #expect(done.alert.acknowledgedBy == nurse.username && !done.alert.isOpen)
            await #expect(throws: DomainError.self, "the first acknowledgement stands") {
                _ = try await alerts.acknowledge(siteId: f.site, alertId: alert.id, action: "again", actor: nurse)
            }

            try await db.asOwner("UPDATE deterioration_alerts SET raised_at = now() - interval '20 minutes'")
            open = try await alerts.alerts(siteId: f.site, actor: nurse)
            #expect(open.count == 1 && open[0].alert.patientId == second.id && open[0].escalated)
            let counts = try await alerts.openCounts(siteId: f.site, actor: nurse)
            #expect(counts.byLevel == [.emergency: 1] && counts.escalated == 1)
            let all = try await alerts.alerts(siteId: f.site, openOnly: false, actor: nurse)
            #expect(all.count == 2 && all.last?.alert.actionTaken?.contains("绿色通道") == true)
        }
    }
}
