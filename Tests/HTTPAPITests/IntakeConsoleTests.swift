import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Console: intake as a bed map")
struct IntakeConsoleTests {
    @Test(
        "a clinician sees the bus, proposes beds (shown on the map with names), changes one, marks one as not come and admits the rest; a pharmacist is refused"
    )
    func busOnTheMap() async throws {
        try await WebConsoleTests.run { api, services in
            let op = DemoFixture.operatorActor
            let site = api.fixture.siteA
            let born = CalendarDate(year: 1969, month: 9, day: 2)
            let list = TransferList(
                reference: "金山-0412-03", expectedAt: Date(timeIntervalSinceNow: 3600),
                persons: [
                    TransferPerson(
                        name: "张三", sex: .male, dateOfBirth: born, nationalId: testNationalID(sequence: 1),
                        household: "H1"),
                    TransferPerson(
                        name: "张嫂", sex: .female, dateOfBirth: born, nationalId: testNationalID(sequence: 2),
                        vulnerabilities: [.needsCarer], household: "H1"),
                    TransferPerson(name: "王五", sex: .male, dateOfBirth: born, nationalId: testNationalID(sequence: 3)),
                ])
            let batch = try await services.intake.importList(siteId: site.id, list, actor: op)
            let clinician = ConsoleClient(api.client)
            _ = try await clinician.signIn("clinicianA", WebConsoleTests.password)
            let index = try await clinician.get("/console/sites/TA-01/intake")
            #expect(index.status == 200 && index.html.contains("金山-0412-03"), "\(index.html)")
            #expect(index.html.contains("href=\"/console/sites/TA-01/intake\">接收转运</a>"), "the site's navigation")

            let path = "/console/sites/TA-01/intake/\(batch.id.rawValue)"
            let before = try await clinician.get(path)
            let token = try #require(before.csrf)
            #expect(try await clinician.post(path + "/propose", [("csrf", token)]).status == 303)
            let proposed = try await clinician.get(path)
            #expect(proposed.html.components(separatedBy: "class=\"bed proposed\"").count - 1 == 3, "\(proposed.html)")
            #expect(proposed.html.contains("<span class=\"who\" translate=\"no\">张嫂</span>"))
            let text = proposed.html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            #expect(text.contains("与同户 H1（2 人）同住 A 区开放病区"), "the reasons in the page's language")

            let people = try await services.intake.batch(siteId: site.id, batchId: batch.id, actor: op).1
            let wang = people[2]
            let moved = try await clinician.post(
                path + "/bed",
                [
                    ("csrf", token), ("person", String(wang.id.rawValue)), ("version", String(wang.version)),
                    ("bed", "A-006"),
                ])
            #expect(moved.status == 303)
            let taken = try await clinician.post(
                path + "/bed",
                [
                    ("csrf", token), ("person", String(people[0].id.rawValue)), ("version", String(people[0].version)),
                    ("bed", "A-006"),
                ])
            #expect(taken.status == 409, "A-006 is held for 王五 now")
            #expect(
                try await clinician.post(path + "/cancel", [("csrf", token), ("person", String(wang.id.rawValue))])
                    .status == 303)
            let admitted = try await clinician.post(path + "/admit", [("csrf", token)])
            #expect(admitted.status == 200 && admitted.html.contains("已收治 2 人。"), "\(admitted.html)")
            #expect(try await api.db.count("SELECT count(*)::int FROM patients") == 2)

            let pharmacist = ConsoleClient(api.client)
            _ = try await pharmacist.signIn("pharmacistA", WebConsoleTests.password)
            #expect(try await pharmacist.get(path).status == 403)
            #expect(try await pharmacist.get("/console/sites/TA-01/intake").status == 403)
        }
    }
}
