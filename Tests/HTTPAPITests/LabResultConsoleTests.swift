import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Console: laboratory results, the review queue and the board's re-positive list")
struct LabResultConsoleTests {
    @Test(
        "a clinician brings a laboratory's file in (bad rows shown by line), rejects and matches what waits; the board lists the re-positive"
    )
    func reviewAtTheConsole() async throws {
        try await WebConsoleTests.run { api, services in
            let op = DemoFixture.operatorActor
            let site = api.fixture.siteA
            let lab = try await services.laboratories.add(LaboratoryDraft(code: "JS-LAB", name: "金山实验室"), actor: op)
            var patients: [Patient] = []
            for n in 1...2 {
                let patient = try await services.patients.admit(
                    siteId: site.id,
                    Admission(
                        name: n == 1 ? "张三" : "李四", sex: .male,
                        dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2), phone: nil,
                        nationalId: testNationalID(sequence: n), severity: .mild, partyMember: false,
                        bedId: api.fixture.bedsA[n - 1].id, admittedAt: Date(timeIntervalSinceNow: -2 * 86_400)),
                    actor: op
                ).value
                _ = try await services.patients.addTest(
                    siteId: site.id, patientId: patient.id,
                    NucleicAcidTestEntry(
                        sampledAt: Date(timeIntervalSinceNow: -30 * 3600), result: .negative, nGeneCt: nil,
                        orf1abCt: nil), actor: op)
                patients.append(patient)
            }
            _ = try await services.swabs.makeRound(siteId: site.id, actor: op)
            let tubes = try await services.swabs.tubes(
                siteId: site.id, day: site.today, page: PageRequest(limit: 10), actor: op
            ).items
            for tube in tubes {
                _ = try await services.swabs.recordCollection(
                    siteId: site.id, accession: tube.accession,
                    .collected(wristband: WristbandCode(patientId: tube.patientId)!, at: Date()), actor: op)
            }
            _ = try await services.swabs.dispatch(siteId: site.id, laboratoryId: lab.id, scanned: nil, actor: op)
            let zhang = tubes.first { $0.patientId == patients[0].id }!.accession.description
            let li = tubes.first { $0.patientId == patients[1].id }!.accession.description

            let doctor = ConsoleClient(api.client)
            _ = try await doctor.signIn("clinicianA", WebConsoleTests.password)
            let empty = try await doctor.get("/console/sites/TA-01/results")
            #expect(empty.status == 200 && empty.html.contains("没有待审核的结果"), "\(empty.html)")
            #expect(empty.html.contains("href=\"/console/sites/TA-01/results\">检测结果</a>"), "the site's navigation")
            let csv = "accession,n_gene_ct,orf1ab_ct,result\n\(zhang),22,23,阳性\n\(li),abc,,阴性\n"
            let taken = try await doctor.upload(
                "/console/sites/TA-01/results/import", [("csrf", try #require(empty.csrf)), ("laboratory", "JS-LAB")],
                file: ("file", csv))
            #expect(taken.status == 200 && taken.html.contains("第 3 行") && taken.html.contains("无法读取"), "\(taken.html)")
            #expect(taken.html.contains("已记录 1"), "\(taken.html)")
            let board = try await doctor.get("/console/sites/TA-01")
            #expect(board.html.contains("转阴后复阳") && board.html.contains("张三"), "\(board.html)")
            #expect(board.html.contains("<strong data-count=\"results-waiting\">1</strong>"), "\(board.html)")

            let waiting = try await services.labResults.waiting(siteId: site.id, actor: op).reviews
            let id = try #require(waiting.first?.id)
            let blank = try await doctor.post(
                "/console/sites/TA-01/results/\(id)/reject", [("csrf", try #require(taken.csrf)), ("reason", " ")])
            #expect(blank.status == 422, "a reason is required")
            let rejected = try await doctor.post(
                "/console/sites/TA-01/results/\(id)/reject",
                [("csrf", try #require(taken.csrf)), ("reason", "Ct 栏无法辨认，已请实验室重发")])
            #expect(rejected.status == 200 && rejected.html.contains("已驳回"), "\(rejected.html)")
            #expect(try await services.labResults.waiting(siteId: site.id, actor: op).total == 0)
            let audit = try await api.db.count(
                "SELECT count(*)::int FROM audit_log WHERE entity = 'result_review' AND action = 'reject'")
            #expect(audit == 1)
        }
    }
}
