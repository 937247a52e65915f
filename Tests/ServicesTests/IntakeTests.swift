import Domain
import Foundation
import Services
import TestSupport
import Testing

/// A site with rooms and a bay, and transfer lists for it.
struct IntakeFixture {
    var services: CordonServices
    var demo: DemoFixture
    var site: Site.ID { demo.siteA.id }
    static let op = DemoFixture.operatorActor

    static func make(_ db: TestDatabase) async throws -> IntakeFixture {
        let services = db.services()
        let demo = try await DemoFixture.make(services)
        // Room 301 (2 beds, women), room 302 (3 beds), bay B (6 beds, near the station); the
        // fixture's own A-001..A-006 stand in the open ward.
        _ = try await services.beds.createRange(
            siteId: demo.siteA.id,
            BedRange(
                zoneId: demo.zoneA.id, prefix: "301-", first: 1, last: 2, width: 1,
                attributes: BedAttributes(room: "301", singleSex: .female)), actor: op)
        _ = try await services.beds.createRange(
            siteId: demo.siteA.id,
            BedRange(
                zoneId: demo.zoneA.id, prefix: "302-", first: 1, last: 3, width: 1,
                attributes: BedAttributes(room: "302")), actor: op)
        _ = try await services.beds.createRange(
            siteId: demo.siteA.id,
            BedRange(
                zoneId: demo.zoneA.id, prefix: "B-", first: 1, last: 6, width: 2,
                attributes: BedAttributes(bay: "B", nearStation: true)), actor: op)
        return IntakeFixture(services: services, demo: demo)
    }

    /// A CSV row for a valid person: sequence `n`, born on `born` (YYYYMMDD).
    static func row(
        _ n: Int, name: String, sex: String, born: String = "19690902", household: String = "",
        vulnerabilities: String = ""
    ) -> String {
        let date = "\(born.prefix(4))-\(born.dropFirst(4).prefix(2))-\(born.suffix(2))"
        return "\(name),\(sex),\(date),\(testNationalID(born: born, sequence: n)),\(household),\(vulnerabilities)"
    }

    static let header = "name,sex,date_of_birth,national_id,household,vulnerabilities"
}

@Suite("Intake by the busload: transfer lists, proposals, admission")
struct IntakeTests {
    typealias F = IntakeFixture

    @Test("a transfer list with bad rows is refused whole, every bad row named by line, and nothing is kept")
    func refusedWhole() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            _ = try await f.services.patients.admit(
                siteId: f.site,
                Admission(
                    name: "已在院", sex: .female, dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2), phone: nil,
                    nationalId: testNationalID(sequence: 9), severity: .mild, partyMember: false,
                    bedId: f.demo.bedsA[0].id), actor: F.op)
            var badCheck = testNationalID(sequence: 3)
            badCheck = String(badCheck.dropLast()) + (badCheck.last == "1" ? "2" : "1")
            let csv = [
                F.header,
                F.row(1, name: "张三", sex: "男"),
                "李四,女,1969-09-02,\(badCheck),,",
                F.row(9, name: "王五", sex: "female"),
                F.row(1, name: "张三又一次", sex: "male"),
                F.row(5, name: "赵六", sex: "unknown"),
                "钱七,女,1969-09-02",
                F.row(7, name: "孙八", sex: "女", vulnerabilities: "孕妇;flying"),
            ].joined(separator: "\n")
            do {
                _ = try await f.services.intake.importCSV(
                    siteId: f.site, csv, reference: "JS-0412-01", expectedAt: Date(), actor: F.op)
                Issue.record("a list with bad rows was accepted")
            } catch DomainError.invalid(let issues) {
                #expect(
                    issues.map(\.field) == ["line 3", "line 4", "line 5", "line 6", "line 7", "line 8"], "\(issues)")
                #expect(issues[0].detail.hasPrefix("national_id: check digit"))
                #expect(issues[1].detail == "national_id: already admitted at this site, as patient 1")
                #expect(issues[2].detail == "national_id: the same person as line 2")
                #expect(issues[3].detail.hasPrefix("sex: 'unknown' is not female or male"))
                #expect(issues[4].detail == "has 3 fields; the header has 6")
                #expect(issues[5].detail.hasPrefix("vulnerabilities: 'flying' is not one of"))
            }
            #expect(try await db.count("SELECT count(*)::int FROM intake_persons") == 0)
            #expect(try await db.count("SELECT count(*)::int FROM intake_batches") == 0)
        }
    }

    @Test("a list accepted whole is a batch of expected people; the same people cannot be expected twice")
    func accepted() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let csv = [
                F.header, F.row(1, name: "张三", sex: "男", household: "H1"),
                F.row(2, name: "张小妹", sex: "女", born: "20150301", household: "H1"),
                F.row(3, name: "李奶奶", sex: "女", born: "19440101", vulnerabilities: "chronic_disease；需陪护"),
            ].joined(separator: "\n")
            let batch = try await f.services.intake.importCSV(
                siteId: f.site, csv, reference: "JS-0412-01", expectedAt: Date(timeIntervalSinceNow: 3600), actor: F.op)
            #expect((batch.expected, batch.admitted, batch.proposed) == (3, 0, 0))
            let (_, people) = try await f.services.intake.batch(siteId: f.site, batchId: batch.id, actor: F.op)
            #expect(people.map(\.position) == [2, 3, 4])
            #expect(people[2].person.vulnerabilities == [.chronicDisease, .needsCarer])
            #expect(people[0].person.sex == .male && people[1].person.household == "H1")

            let again = TransferList(
                reference: "JS-0412-02", expectedAt: Date(),
                persons: [
                    TransferPerson(
                        name: "张三", sex: .male, dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2),
                        nationalId: testNationalID(sequence: 1))
                ])
            do {
                _ = try await f.services.intake.importList(siteId: f.site, again, actor: F.op)
                Issue.record("the same person was expected twice")
            } catch DomainError.invalid(let issues) {
                #expect(
                    issues == [
                        FieldIssue(
                            field: "persons[0].nationalId", detail: "already expected at this site, on list JS-0412-01")
                    ])
            }
        }
    }

    @Test("proposal, a bed taken meanwhile by a walk-in admission, admission, and an idempotent second admission")
    func proposeAndAdmit() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let csv = [
                F.header, F.row(1, name: "张三", sex: "男", household: "H1"),
                F.row(2, name: "张小妹", sex: "女", born: "20150301", household: "H1"),
                F.row(3, name: "李奶奶", sex: "女", born: "19440101"), F.row(4, name: "王姐", sex: "女"),
            ].joined(separator: "\n")
            let batch = try await f.services.intake.importCSV(
                siteId: f.site, csv, reference: "JS-0412-01", expectedAt: Date(), actor: F.op)
            let proposed = try await f.services.intake.propose(siteId: f.site, batchId: batch.id, actor: F.op)
            let bedOf = Dictionary(uniqueKeysWithValues: proposed.map { ($0.person.name, $0.bedCode ?? "") })
            // Father and daughter together in the open ward, in adjacent beds (it needs no room opened
            // beyond the one ward); the grandmother near the nurses' station; nobody else there.
            #expect(bedOf["张三"]!.hasPrefix("A-00") && bedOf["张小妹"]!.hasPrefix("A-00"), "\(bedOf)")
            #expect(abs(Int(bedOf["张三"]!.suffix(1))! - Int(bedOf["张小妹"]!.suffix(1))!) == 1, "\(bedOf)")
            #expect(bedOf["李奶奶"]!.hasPrefix("B-"), "the old near the nurses' station")
            #expect(!bedOf["王姐"]!.hasPrefix("B-") && !bedOf["王姐"]!.isEmpty, "\(bedOf)")
            let grandmother = proposed.first { $0.person.name == "李奶奶" }!
            #expect(
                grandmother.reasons.map(\.english).contains(
                    "near the nurses' station: aged \(CalendarDate(year: 1944, month: 1, day: 1).age(on: f.demo.siteA.today))"
                ))

            // A walk-in takes the grandmother's bed before the bus arrives.
            _ = try await f.services.patients.admit(
                siteId: f.site,
                Admission(
                    name: "急诊", sex: .female, dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2), phone: nil,
                    nationalId: testNationalID(sequence: 50), severity: .mild, partyMember: false,
                    bedId: grandmother.bedId!), actor: F.op)

            let first = try await f.services.intake.admit(siteId: f.site, batchId: batch.id, actor: F.op)
            #expect(first.admitted.count == 3 && first.admitted.allSatisfy { !$0.replayed })
            #expect(first.reproposed.map(\.id) == [grandmother.id])
            let moved = first.reproposed[0]
            #expect(moved.bedId != nil && moved.bedId != grandmother.bedId)
            #expect(
                moved.reasons.first?.english == "bed \(grandmother.bedCode!) was taken meanwhile; a new bed is proposed"
            )

            let second = try await f.services.intake.admit(siteId: f.site, batchId: batch.id, actor: F.op)
            #expect(second.admitted.filter(\.replayed).count == 3 && second.admitted.filter { !$0.replayed }.count == 1)
            #expect(second.reproposed.isEmpty && second.skipped.isEmpty)
            #expect(try await db.count("SELECT count(*)::int FROM patients") == 5)
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM (SELECT bed_id FROM bed_assignments WHERE upper_inf(during) GROUP BY bed_id HAVING count(*) > 1) d"
                ) == 0)
            let (after, _) = try await f.services.intake.batch(siteId: f.site, batchId: batch.id, actor: F.op)
            #expect((after.expected, after.admitted, after.proposed) == (0, 4, 0))
        }
    }

    @Test("two clerks admit the same bus at once: each person is admitted once")
    func concurrentAdmission() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let csv = ([F.header] + (1...8).map { F.row($0, name: "乘客\($0)", sex: $0 % 2 == 0 ? "女" : "男") })
                .joined(separator: "\n")
            let batch = try await f.services.intake.importCSV(
                siteId: f.site, csv, reference: "JS-0412-03", expectedAt: Date(), actor: F.op)
            _ = try await f.services.intake.propose(siteId: f.site, batchId: batch.id, actor: F.op)
            async let a = f.services.intake.admit(siteId: f.site, batchId: batch.id, actor: F.op)
            async let b = f.services.intake.admit(siteId: f.site, batchId: batch.id, actor: F.op)
            let (first, second) = try await (a, b)
            let fresh = (first.admitted + second.admitted).filter { !$0.replayed }
            #expect(Set(fresh.map(\.personId)).count == 8 && fresh.count == 8)
            #expect(try await db.count("SELECT count(*)::int FROM patients") == 8)
        }
    }

    @Test("a person who did not come is cancelled and their bed let go; a pharmacist and another site are refused")
    func cancelAndAccess() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await F.make(db)
            let csv = [F.header, F.row(1, name: "甲", sex: "男"), F.row(2, name: "乙", sex: "男")].joined(separator: "\n")
            let batch = try await f.services.intake.importCSV(
                siteId: f.site, csv, reference: "JS-0412-04", expectedAt: Date(), actor: F.op)
            let people = try await f.services.intake.propose(siteId: f.site, batchId: batch.id, actor: F.op)
            let cancelled = try await f.services.intake.cancel(siteId: f.site, personId: people[0].id, actor: F.op)
            #expect(cancelled.status == .cancelled && cancelled.bedId == nil)
            let result = try await f.services.intake.admit(siteId: f.site, batchId: batch.id, actor: F.op)
            #expect(result.admitted.map(\.personId) == [people[1].id])
            #expect(result.skipped.map(\.personId) == [people[0].id] && result.skipped.map(\.reason) == ["cancelled"])
            await #expect(throws: DomainError.self) {
                _ = try await f.services.intake.cancel(siteId: f.site, personId: people[1].id, actor: F.op)
            }

            let pharmacist = try await f.services.access.authenticate(
                token: f.demo.tokens["pharmacistA"]!, origin: .seed)
            await #expect(throws: DomainError.self) {
                _ = try await f.services.intake.batches(siteId: f.site, open: true, actor: pharmacist)
            }
            let other = try await f.services.access.authenticate(token: f.demo.tokens["clinicianB"]!, origin: .seed)
            await #expect(throws: DomainError.notFound("site not found")) {
                _ = try await f.services.intake.batch(siteId: f.site, batchId: batch.id, actor: other)
            }
        }
    }
}
