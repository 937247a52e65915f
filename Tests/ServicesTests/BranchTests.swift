import Domain
import Foundation
import TestSupport
import Testing

@testable import Services

/// Site A with a Party-member secretary, an active branch and one admitted Party-member patient.
struct BranchFixture {
    let services: CordonServices
    let demo: DemoFixture
    let secretary: StaffMember
    let patient: Patient
    let op = DemoFixture.operatorActor
    var site: Site.ID { demo.siteA.id }

    static func make(_ db: TestDatabase) async throws -> BranchFixture {
        let services = db.services()
        let demo = try await DemoFixture.make(services)
        let op = DemoFixture.operatorActor
        let secretary = try await services.staff.createStaff(
            siteId: demo.siteA.id,
            StaffDraft(
                code: "A01", name: "邵振华", hospital: "浦江一院", profession: .administrator, title: "deputy director",
                partyMember: true), actor: op)
        let patient = try await services.patients.admit(
            siteId: demo.siteA.id,
            Admission(
                name: "杜志强", sex: .male, dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2), phone: nil,
                nationalId: testNationalID(sequence: 7), severity: .mild, partyMember: true, bedId: demo.bedsA[0].id),
            actor: op
        ).value
        _ = try await services.branch.create(
            siteId: demo.siteA.id,
            BranchDraft(
                name: "临时党支部", parentOrganisation: "浦江一院党委", establishedOn: CalendarDate(year: 2022, month: 4, day: 3)),
            secretaryStaffId: secretary.id, actor: op)
        return BranchFixture(services: services, demo: demo, secretary: secretary, patient: patient)
    }

    func submission(
        _ code: String, name: String = "杜志强", last4: String? = nil,
        born: CalendarDate = CalendarDate(year: 1969, month: 9, day: 2)
    ) -> CheckInSubmission {
        CheckInSubmission(
            code: code, name: name, idLast4: last4 ?? String(testNationalID(sequence: 7).suffix(4)), dateOfBirth: born,
            homeOrganisation: "石化街道第三居民区党支部", phone: "13900001002")
    }
}

@Suite("Party branch")
struct BranchTests {
    @Test(
        "a check-in round trip from an issued code; the answer names no bed or zone, and a repeat writes nothing and reads the same"
    )
    func roundTrip() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await BranchFixture.make(db)
            let code = try await f.services.branch.issueCode(siteId: f.site, validForDays: 7, actor: f.op)
            #expect(code.url.hasPrefix("http://127.0.0.1:8080/check-in?code="))
            let first = try await f.services.branch.checkIn(f.submission(code.code), origin: .cli(operator: "t"))
            let answer = String(decoding: try JSONEncoder().encode(first), as: UTF8.self)
            #expect(!answer.contains("A-001") && !answer.contains("\"A\""), "\(answer)")
            let repeated = try await f.services.branch.checkIn(f.submission(code.code), origin: .cli(operator: "t"))
            #expect(repeated == first)
            #expect(try await db.count("SELECT count(*)::int FROM branch_checkins") == 1)
            let listed = try await f.services.branch.checkIns(siteId: f.site, actor: f.op)
            #expect(
                listed.map(\.patientName) == ["杜志强"] && listed.first?.bedCode == "A-001"
                    && listed.first?.patientId == f.patient.id)
        }
    }

    @Test("the right name and ID ending with the wrong birth date are refused, naming the fields")
    func birthDateRequired() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await BranchFixture.make(db)
            let code = try await f.services.branch.issueCode(siteId: f.site, actor: f.op)
            do {
                _ = try await f.services.branch.checkIn(
                    f.submission(code.code, born: CalendarDate(year: 1969, month: 9, day: 3)), origin: .seed)
                Issue.record("accepted a wrong birth date")
            } catch DomainError.invalid(let issues) {
                #expect(issues.map(\.field).contains("dateOfBirth"))
            }
            #expect(try await db.count("SELECT count(*)::int FROM branch_checkins") == 0)
        }
    }

    @Test("made-up codes are refused before anything is counted; a genuine code is limited per address, in PostgreSQL")
    func limiterAfterVerification() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await BranchFixture.make(db)
            let code = try await f.services.branch.issueCode(siteId: f.site, actor: f.op)
            for n in 0..<50 {
                let junk = CheckInSubmission(
                    code: "x\(n).y", name: "某人", idLast4: "1234",
                    dateOfBirth: CalendarDate(year: 1970, month: 1, day: 1),
                    homeOrganisation: "某支部", phone: "13900000000")
                await #expect(throws: DomainError.self) {
                    _ = try await f.services.branch.checkIn(junk, origin: .http(requestId: "r", address: "10.0.0.9"))
                }
            }
            #expect(try await db.count("SELECT count(*)::int FROM rate_limits") == 0, "unverified codes leave no trace")
            let wrong = f.submission(code.code, name: "王某")
            for _ in 0..<BranchService.checkInAttempts {
                await #expect(throws: DomainError.self) {
                    _ = try await f.services.branch.checkIn(wrong, origin: .http(requestId: "r", address: "10.0.0.9"))
                }
            }
            do {
                _ = try await f.services.branch.checkIn(
                    f.submission(code.code), origin: .http(requestId: "r", address: "10.0.0.9"))
                Issue.record("the 11th attempt from one address passed")
            } catch DomainError.tooManyAttempts(_, let retryAfter) {
                #expect((1...600).contains(retryAfter))
            }
            // Another address (another phone on the ward) is not held back.
            _ = try await f.services.branch.checkIn(
                f.submission(code.code), origin: .http(requestId: "r", address: "10.0.0.10"))
            #expect(try await db.count("SELECT count(*)::int FROM rate_limits") == 2)
        }
    }

    @Test("the same patient scanning twice at the same moment is checked in once")
    func concurrentCheckIns() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await BranchFixture.make(db)
            let code = try await f.services.branch.issueCode(siteId: f.site, actor: f.op)
            let results = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        (try? await f.services.branch.checkIn(f.submission(code.code), origin: .seed)) != nil
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0 }, "each scan gets the same answer")
            #expect(try await db.count("SELECT count(*)::int FROM branch_checkins") == 1)
        }
    }

    @Test(
        "a forged signature, an expired code, a code of another site's branch and an unknown patient are each refused")
    func refusals() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await BranchFixture.make(db)
            let code = try await f.services.branch.issueCode(siteId: f.site, actor: f.op)
            let claims = try CheckInCodes.claims(of: code.code)

            let parts = code.code.split(separator: ".")
            let forged = parts[0] + "." + String(parts[1].reversed())
            await #expect(
                throws: DomainError.forbidden("this check-in code is not genuine; scan the branch's poster again")
            ) {
                _ = try await f.services.branch.checkIn(f.submission(String(forged)), origin: .seed)
            }
            let otherKey = CheckInCodes.newKey()
            let selfSigned = try CheckInCodes.sign(claims, keyHex: otherKey)
            await #expect(
                throws: DomainError.forbidden("this check-in code is not genuine; scan the branch's poster again")
            ) {
                _ = try await f.services.branch.checkIn(f.submission(selfSigned), origin: .seed)
            }

            let key = try await db.client.query("SELECT signing_key FROM party_branches", logger: db.logger).collect()
                .first!.decode(String.self)
            var past = claims
            past.expiresAt = Int64(Date().timeIntervalSince1970) - 60
            let expired = try CheckInCodes.sign(past, keyHex: key)
            do {
                _ = try await f.services.branch.checkIn(f.submission(expired), origin: .seed)
                Issue.record("an expired code should be refused")
            } catch DomainError.expired(let why) {
                #expect(why.hasPrefix("this check-in code expired at "))
            }

            // Site B's branch, with its own secretary; the patient of site A scans site B's poster.
            let other = try await f.services.staff.createStaff(
                siteId: f.demo.siteB.id,
                StaffDraft(
                    code: "B01", name: "林", hospital: "h", profession: .doctor, partyMember: true), actor: f.op)
            _ = try await f.services.branch.create(
                siteId: f.demo.siteB.id,
                BranchDraft(
                    name: "B 临时党支部", parentOrganisation: "党委", establishedOn: CalendarDate(year: 2022, month: 4, day: 5)
                ),
                secretaryStaffId: other.id, actor: f.op)
            let codeB = try await f.services.branch.issueCode(siteId: f.demo.siteB.id, actor: f.op)
            do {
                _ = try await f.services.branch.checkIn(f.submission(codeB.code), origin: .seed)
                Issue.record("a patient of another site should be refused")
            } catch DomainError.invalid(let issues) {
                #expect(issues.map(\.field) == ["name", "dateOfBirth", "idLast4"])
            }
            await #expect(throws: DomainError.self) {
                _ = try await f.services.branch.checkIn(f.submission(code.code, last4: "0000"), origin: .seed)
            }
            #expect(try await db.count("SELECT count(*)::int FROM branch_checkins") == 0)
        }
    }

    @Test("a second active branch at one site is refused, by the service and by the database")
    func oneActiveBranch() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await BranchFixture.make(db)
            await #expect(
                throws: DomainError.conflict("the site already has an active branch; dissolve it first", field: "name")
            ) {
                _ = try await f.services.branch.create(
                    siteId: f.site,
                    BranchDraft(
                        name: "另一个支部", parentOrganisation: "党委",
                        establishedOn: CalendarDate(year: 2022, month: 4, day: 4)),
                    secretaryStaffId: f.secretary.id, actor: f.op)
            }
            await #expect(throws: (any Error).self) {
                try await db.client.query(
                    """
                    INSERT INTO party_branches (site_id, name, parent_organisation, established_on, signing_key)
                    VALUES (\(f.site), 'behind the back', 'x', '2022-04-04', 'aa')
                    """)
            }
            await #expect(throws: DomainError.conflict("the branch already has a sitting secretary", field: "office")) {
                _ = try await f.services.branch.appoint(
                    siteId: f.site, staffId: f.secretary.id, office: .secretary,
                    from: CalendarDate(year: 2022, month: 4, day: 10), actor: f.op)
            }
            let member = BranchMemberDraft(
                staffId: f.secretary.id, joinedOn: CalendarDate(year: 2022, month: 4, day: 3))
            _ = try await f.services.branch.addMember(siteId: f.site, member, actor: f.op)
            await #expect(
                throws: DomainError.conflict("this member of staff is already a member of the branch", field: "staffId")
            ) {
                _ = try await f.services.branch.addMember(siteId: f.site, member, actor: f.op)
            }
            let branch = try await f.services.branch.activeBranch(siteId: f.site, actor: f.op)
            _ = try await f.services.branch.dissolve(
                siteId: f.site, on: CalendarDate(year: 2022, month: 6, day: 1), expectedVersion: branch.version,
                actor: f.op)
            let again = try await f.services.branch.create(
                siteId: f.site,
                BranchDraft(
                    name: "第二个临时党支部", parentOrganisation: "党委",
                    establishedOn: CalendarDate(year: 2022, month: 6, day: 2)),
                secretaryStaffId: f.secretary.id, actor: f.op)
            #expect(again.status == .active)
            #expect(try await db.count("SELECT count(*)::int FROM party_branches") == 2)
        }
    }

    @Test("tasks move open -> in progress -> done; anything else is a 409 naming the allowed states")
    func taskStates() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await BranchFixture.make(db)
            let start = Date().addingTimeInterval(3600)
            let task = try await f.services.branch.createTask(
                siteId: f.site,
                BranchTaskDraft(
                    title: "防护服穿脱带教", startsAt: start, endsAt: start.addingTimeInterval(7200),
                    assigneeStaffId: f.secretary.id), actor: f.op)
            #expect(task.status == .open)
            #expect(task.assigneeName == "邵振华")
            await #expect(
                throws: DomainError.illegalTransition(from: "open", to: "done", allowed: ["in_progress", "cancelled"])
            ) {
                _ = try await f.services.branch.setTaskStatus(
                    siteId: f.site, taskId: task.id, to: .done, expectedVersion: nil, actor: f.op)
            }
            let started = try await f.services.branch.setTaskStatus(
                siteId: f.site, taskId: task.id, to: .inProgress, expectedVersion: task.version, actor: f.op)
            await #expect(throws: DomainError.preconditionFailed(currentVersion: started.version)) {
                _ = try await f.services.branch.setTaskStatus(
                    siteId: f.site, taskId: task.id, to: .done, expectedVersion: task.version, actor: f.op)
            }
            let done = try await f.services.branch.setTaskStatus(
                siteId: f.site, taskId: task.id, to: .done, expectedVersion: started.version, actor: f.op)
            #expect(done.status == .done)
            await #expect(throws: DomainError.illegalTransition(from: "done", to: "cancelled", allowed: [])) {
                _ = try await f.services.branch.setTaskStatus(
                    siteId: f.site, taskId: task.id, to: .cancelled, expectedVersion: nil, actor: f.op)
            }
            #expect(try await db.count("SELECT count(*)::int FROM audit_log WHERE entity = 'branch_task'") == 3)
        }
    }

    @Test("the QR poster decodes back to the check-in URL with zbar, as PNG and as SVG")
    func posterDecodes() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await BranchFixture.make(db)
            let code = try await f.services.branch.issueCode(siteId: f.site, actor: f.op)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("poster-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let png = directory.appendingPathComponent("poster.png")
            let svg = directory.appendingPathComponent("poster.svg")
            try f.services.branch.poster(for: code, format: .png).write(to: png)
            try f.services.branch.poster(for: code, format: .svg).write(to: svg)
            #expect(try await Tools.output("zbarimg", "--quiet", "--raw", png.path) == code.url + "\n")
            let rasterised = directory.appendingPathComponent("from-svg.png")
            _ = try await Tools.output("rsvg-convert", svg.path, "-o", rasterised.path)
            #expect(try await Tools.output("zbarimg", "--quiet", "--raw", rasterised.path) == code.url + "\n")
            let again = try await f.services.branch.poster(
                siteId: f.site, codeId: code.codeId, format: .png, actor: f.op)
            try again.write(to: png)
            #expect(
                try await Tools.output("zbarimg", "--quiet", "--raw", png.path) == code.url + "\n",
                "a reprinted poster carries the same code")
        }
    }
}

/// Runs a command-line tool that `Deploy/system-packages.sh --tests` installs.
enum Tools {
    struct Failed: Error, CustomStringConvertible { var description: String }

    static func run(_ tool: String, _ arguments: String...) throws -> String {
        try run(tool, arguments: arguments)
    }

    /// The same, waited for on a thread of its own: Swift concurrency's pool has a thread per
    /// core, and a test blocking one for seconds (rendering a PDF) would starve every other
    /// test's awaits and deadlines in the process.
    static func output(_ tool: String, _ arguments: String...) async throws -> String {
        try await output(tool, arguments: arguments)
    }

    static func output(_ tool: String, arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try run(tool, arguments: arguments) })
            }
        }
    }

    static func run(_ tool: String, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(
                description:
                    "\(tool) failed (\(process.terminationStatus)): \(problem); run the tests with Deploy/test.sh, which installs it"
            )
        }
        return String(decoding: data, as: UTF8.self)
    }
}
