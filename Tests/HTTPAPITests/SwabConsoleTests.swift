import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Console: the swab round and the bedside scanning page")
struct SwabConsoleTests {
    @Test(
        "a nurse makes today's round, sees it by zone and bed, scans a wristband and the wrong tube (refused loudly, nothing kept), then the right one"
    )
    func scanAtTheBedside() async throws {
        try await WebConsoleTests.run { api, services in
            let op = DemoFixture.operatorActor
            let site = api.fixture.siteA
            var patients: [Patient] = []
            for n in 1...2 {
                patients.append(
                    try await services.patients.admit(
                        siteId: site.id,
                        Admission(
                            name: n == 1 ? "张三" : "李四", sex: .male,
                            dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2), phone: nil,
                            nationalId: testNationalID(sequence: n), severity: .mild, partyMember: false,
                            bedId: api.fixture.bedsA[n - 1].id, admittedAt: Date(timeIntervalSinceNow: -2 * 86_400)),
                        actor: op
                    ).value)
            }
            let nurse = ConsoleClient(api.client)
            _ = try await nurse.signIn("clinicianA", WebConsoleTests.password)
            let before = try await nurse.get("/console/sites/TA-01")
            #expect(before.html.contains("今日核酸采样名单尚未生成"), "the board asks for today's round first")
            let empty = try await nurse.get("/console/sites/TA-01/swabs")
            #expect(empty.status == 200 && empty.html.contains("今日采样名单尚未生成"), "\(empty.html)")
            #expect(empty.html.contains("href=\"/console/sites/TA-01/swabs\">核酸采样</a>"), "the site's navigation")
            #expect(empty.html.contains("data-confirm="), "making the round asks first")
            let token = try #require(empty.csrf)
            let made = try await nurse.post("/console/sites/TA-01/swabs/round", [("csrf", token)])
            #expect(made.status == 200 && made.html.contains("已打印 2 支试管"), "\(made.html)")

            let board = try await nurse.get("/console/sites/TA-01")
            #expect(board.html.contains("<strong data-swab=\"due\">2</strong>") && !board.html.contains("尚未生成"))
            let zone = try await nurse.get("/console/sites/TA-01/swabs?zone=A")
            #expect(zone.html.contains("A-001") && zone.html.contains("张三"), "\(zone.html)")
            let tubes = try await services.swabs.tubes(
                siteId: site.id, day: site.today, page: PageRequest(limit: 10), actor: op
            ).items
            let zhangTube = tubes.first { $0.patientId == patients[0].id }!.accession.description
            let liBand = WristbandCode(patientId: patients[1].id)!.description
            let zhangBand = WristbandCode(patientId: patients[0].id)!.description

            let scan = try await nurse.get("/console/sites/TA-01/swabs/collect")
            #expect(scan.html.contains("data-scan") && scan.html.contains("autofocus"))
            let wrong = try await nurse.post(
                "/console/sites/TA-01/swabs/collect", [("csrf", token), ("wristband", liBand), ("tube", zhangTube)])
            #expect(wrong.status == 422 && wrong.html.contains("role=\"alert\""), "\(wrong.html)")
            let text = wrong.html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            #expect(text.contains("试管 \(zhangTube) 属于 张三（A-001 床）"), "\(text)")
            #expect(try await api.db.count("SELECT count(*)::int FROM specimens WHERE status <> 'due'") == 0)

            let right = try await nurse.post(
                "/console/sites/TA-01/swabs/collect",
                [("csrf", token), ("wristband", zhangBand.lowercased()), ("tube", " \(zhangTube) ")])
            #expect(right.status == 200 && right.html.contains("已为 张三（A-001 床）采样"), "\(right.html)")
            let asleep = try await nurse.post(
                "/console/sites/TA-01/swabs/collect",
                [
                    ("csrf", token), ("reason", "asleep"),
                    ("tube", tubes.first { $0.patientId == patients[1].id }!.accession.description),
                ])
            #expect(asleep.status == 200 && asleep.html.contains("已记录为未能采样"), "\(asleep.html)")
            let round = try await services.swabs.round(siteId: site.id, actor: op)
            #expect(round.total.collected == 1 && round.total.notCollected == 1)

            // The collected tube goes in a box to the laboratory; the manifest opens as a PDF.
            _ = try await services.laboratories.add(LaboratoryDraft(code: "JS-PCR1", name: "金山检测"), actor: op)
            let page = try await nurse.get("/console/sites/TA-01/swabs")
            #expect(
                page.html.contains("金山检测 (JS-PCR1)")
                    && page.html.contains("href=\"/console/sites/TA-01/swabs/labels.pdf?zone=A\""))
            let wrongBox = try await nurse.post(
                "/console/sites/TA-01/swabs/send",
                [("csrf", token), ("laboratory", "1"), ("tubes", "\(zhangTube)\n\(liTubeOf(tubes, patients[1]))")])
            #expect(wrongBox.status == 422 && wrongBox.html.contains("第 2 行: 试管"), "\(wrongBox.html)")
            let sent = try await nurse.post(
                "/console/sites/TA-01/swabs/send", [("csrf", token), ("laboratory", "1"), ("tubes", zhangTube + "\n")])
            #expect(sent.status == 200 && sent.html.contains("第 1 箱共 1 支试管已送往 金山检测"), "\(sent.html)")
            #expect(try await nurse.get("/console/sites/TA-01").html.contains("等待结果最久的试管送出于"))
            let manifest = try await nurse.get("/console/sites/TA-01/swabs/boxes/1/manifest.pdf")
            #expect(manifest.status == 200 && manifest.html.hasPrefix("%PDF"))
            let csv = try await nurse.get("/console/sites/TA-01/swabs/boxes/1/manifest.csv")
            #expect(csv.status == 200 && csv.html.contains(zhangTube))
            let labels = try await nurse.get("/console/sites/TA-01/swabs/labels.pdf?zone=A")
            #expect(labels.status == 200 && labels.html.hasPrefix("%PDF"))
            let band = try await nurse.get("/console/sites/TA-01/patients/\(patients[0].id)/wristband.pdf")
            #expect(band.status == 200 && band.html.hasPrefix("%PDF"))

            let pharmacist = ConsoleClient(api.client)
            _ = try await pharmacist.signIn("pharmacistA", WebConsoleTests.password)
            #expect(try await pharmacist.get("/console/sites/TA-01/swabs").status == 403)
        }
    }
}

/// The tube of `patient` in `tubes`, as printed.
private func liTubeOf(_ tubes: [Specimen], _ patient: Patient) -> String {
    tubes.first { $0.patientId == patient.id }!.accession.description
}
