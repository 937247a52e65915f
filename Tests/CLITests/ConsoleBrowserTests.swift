import Domain
import Foundation
import Services
import TestSupport
import Testing

extension ServedProcesses {
    /// The web console in a real Chromium driven by Selenium (`Tests/Browser/console_flows.py`),
    /// against `cordon serve` on the demo seed: sign-in, the board against the census, admission,
    /// the roster check and publishing, a referral, a dose, roles, CSRF, and axe on the main pages.
    @Suite("Console in a real browser")
    struct ConsoleBrowserTests {
        static let password = "a quiet night shift"

        @Test("the site's people sign in, admit, roster, refer and give a dose in Chromium; pages pass axe")
        func flows() async throws {
            try await TestDatabase.withMigrated { db in
                let cli = CordonCLI(databaseURL: db.url)
                _ = try await cli.ok("seed")
                _ = try await cli.ok("user", "create", "throttle-test", "--name", "节流测试")
                for user in [
                    "manager-shen", "nurse-fang", "dr-lin", "pharm-xu", "secretary-gu", "throttle-test", "manager-qian",
                    "cmd-wu",
                ] {
                    let set = try await cli.run(["user", "password", user], stdin: Self.password + "\n")
                    #expect(set.status == 0, "\(set.err)")
                }
                let token = { (user: String) in
                    try await cli.token(for: user)
                }
                let services = db.services()
                let scene = try await BrowserScene.make(services)
                // Kept after the run (CI's clone keeps `.local/`), or where CORDON_SCREENSHOT_DIR says.
                let output =
                    ProcessInfo.processInfo.environment["CORDON_SCREENSHOT_DIR"].map { URL(fileURLWithPath: $0) }
                    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .deletingLastPathComponent().appendingPathComponent(".local/console-screens")
                try? FileManager.default.removeItem(at: output)
                try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)

                let server = try await ServedCordon(databaseURL: db.url)
                let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .appendingPathComponent("Browser/console_flows.py")
                let run = try await PythonTool.run(
                    script: script,
                    env: [
                        "CORDON_URL": "http://127.0.0.1:\(server.port)", "CORDON_PASSWORD": Self.password,
                        "CORDON_OUT": output.path, "CORDON_SITE": scene.site.code,
                        "CORDON_SITE_ID": String(scene.site.id.rawValue),
                        "CORDON_OTHER_PATIENT_PATH": scene.otherSitePatientPath,
                        "CORDON_ROSTER_DAY": scene.rosterDay.description,
                        "CORDON_UNCERTIFIED_NURSE": scene.uncertifiedNurse,
                        "CORDON_CERTIFIED_NURSE": scene.certifiedNurse,
                        "CORDON_MANAGER_TOKEN": try token("manager-shen"),
                        "CORDON_HOSPITAL_TOKEN": try token("hospital-pj1"), "CORDON_HOSPITAL_CODE": "PJ1",
                    ])
                #expect(run.status == 0, "browser flows failed:\n\(run.out)\n\(run.err.suffix(4000))")
                for flow in Self.flowNames {
                    #expect(run.out.contains("ok \(flow)"), "\(flow) did not pass:\n\(run.out)")
                }
                let screens = try FileManager.default.contentsOfDirectory(atPath: output.path).filter {
                    $0.hasSuffix(".png")
                }
                #expect(screens.count >= 28, "a screenshot of each main page at 1280 and 360 px: \(screens.sorted())")
                print("console screenshots: \(output.path)")
            }
        }

        static let flowNames = [
            "sign_in_refuses_a_wrong_password_then_throttles_and_signs_out", "the_board_shows_the_census_numbers",
            "admit_refuses_a_wrong_check_digit_on_the_field_then_admits",
            "an_uncertified_nurse_on_a_contaminated_shift_blocks_publishing_until_replaced",
            "a_referral_logged_in_the_console_reaches_the_hospital", "a_dose_given_takes_its_units_off_the_shelf",
            "a_pharmacist_sees_no_roster_edits_and_another_sites_patient_is_not_there",
            "a_form_without_its_csrf_token_is_refused",
            "the_bus_expected_at_js02_shows_on_its_bed_map_and_passes_axe",
            "the_main_pages_pass_axe_and_are_photographed_at_1280_and_360_px",
            "every_page_of_every_role_fits_360_px_reads_in_one_language_and_local_time_and_passes_axe",
            "the_district_commander_signs_in_to_the_district_board",
            "the_discharge_office_releases_the_signed_off_sends_the_seeded_bus_and_its_committee_answers",
        ]
    }
}

/// What the browser flows need beside the demo seed: a second site with a patient, two nurses
/// without a team (one PPE-certified, one not) and a contaminated-zone shift weeks ahead, in a
/// week of its own so nothing else blocks publishing it.
struct BrowserScene {
    var site: Site
    var otherSitePatientPath: String
    var rosterDay: CalendarDate
    var uncertifiedNurse: String
    var certifiedNurse: String

    static func make(_ services: CordonServices) async throws -> BrowserScene {
        let op = DemoFixture.operatorActor
        let site = try await services.sites.get(code: "JS-01", actor: op)
        let other = try await services.sites.create(
            SiteDraft(
                code: "BS-02", name: "宝山方舱", district: "Baoshan", address: "1 Test Road", kind: .makeshiftHospital,
                bedCapacity: 10), actor: op
        ).value
        let otherZone = try await services.sites.createZone(
            siteId: other.id, ZoneDraft(code: "A", name: "A 区", kind: .contaminated), actor: op)
        let otherBeds = try await services.beds.createRange(
            siteId: other.id, BedRange(zoneId: otherZone.id, prefix: "A-", first: 1, last: 2, width: 2), actor: op)
        let patient = try await services.patients.admit(
            siteId: other.id,
            Admission(
                name: "他处患者", sex: .male, dateOfBirth: CalendarDate("1969-09-02")!, phone: nil,
                nationalId: testNationalID(sequence: 77), severity: .mild, partyMember: false, bedId: otherBeds[0].id),
            actor: op
        ).value

        let day = CalendarDate(Date(), in: site.timeZone).adding(days: 45)
        let zone = try await services.sites.zones(siteId: site.id, actor: op).first { $0.kind == .contaminated }!
        var codes: [String] = []
        for (code, name, certified) in [("BT-N1", "未培训护士", false), ("BT-N2", "已培训护士", true)] {
            let nurse = try await services.staff.createStaff(
                siteId: site.id, StaffDraft(code: code, name: name, hospital: "测试医院", profession: .nurse), actor: op)
            if certified {
                _ = try await services.staff.addTraining(
                    siteId: site.id, staffId: nurse.id,
                    TrainingDraft(
                        kind: .ppeDonningDoffing, gainedOn: day.adding(days: -50), expiresOn: day.adding(days: 30),
                        certifiedBy: "感控科"), actor: op)
            }
            codes.append(code)
        }
        let start = LocalTime.instant(day, "08:00", in: site.timeZone)!
        _ = try await services.roster.createShift(
            siteId: site.id,
            ShiftDraft(
                zoneId: zone.id, requires: .nurse, label: "白班", startsAt: start,
                endsAt: start.addingTimeInterval(4 * 3600), minStaff: 1, maxStaff: 2), actor: op)
        return BrowserScene(
            site: site, otherSitePatientPath: "/console/sites/\(other.code)/patients/\(patient.id.rawValue)",
            rosterDay: day, uncertifiedNurse: codes[0], certifiedNurse: codes[1])
    }
}
