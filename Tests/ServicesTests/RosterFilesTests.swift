import Domain
import Foundation
import Services
import TestSupport
import Testing

@Suite("Roster files: CSV import and export, iCalendar")
struct RosterFilesTests {
    /// 50 nurses on a clean-zone morning shift for 10 days: 500 rows after the header.
    static func fiveHundredRows(_ f: RosterFixture) async throws -> [String] {
        for i in 4...50 {
            _ = try await f.services.staff.createStaff(
                siteId: f.site,
                StaffDraft(
                    code: "N\(i)", name: "护士\(i)", hospital: "浦江第一人民医院", profession: .nurse, teamId: f.team.id),
                actor: f.op)
        }
        var lines = [RosterImportRow.columns.joined(separator: ",")]
        for day in 0..<10 {
            for nurse in 1...50 { lines.append("\(f.base.adding(days: day)),08:00,12:00,CLN,nurse,10,50,N\(nurse)") }
        }
        return lines
    }

    @Test(
        "a file with one bad row among 500 writes nothing and reports that row by line; the good file loads, and again changes nothing"
    )
    func importAllOrNothing() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            var lines = try await Self.fiveHundredRows(f)
            let good = lines.joined(separator: "\n") + "\n"
            lines[250] = "\(f.base.adding(days: 4)),08:00,25:00,CLN,nurse,10,50,N1"
            do {
                _ = try await f.services.rosterFiles.importCSV(
                    siteId: f.site, lines.joined(separator: "\n"), actor: f.op)
                Issue.record("the import should have been refused")
            } catch DomainError.invalid(let issues) {
                #expect(issues == [FieldIssue(field: "line 251", detail: "end: '25:00' is not a time as HH:MM")])
            }
            #expect(try await db.count("SELECT count(*)::int FROM shifts") == 0)
            #expect(try await db.count("SELECT count(*)::int FROM shift_assignments") == 0)

            let loaded = try await f.services.rosterFiles.importCSV(siteId: f.site, good, actor: f.op)
            #expect(
                (loaded.rows, loaded.shiftsCreated, loaded.assignmentsCreated, loaded.unchanged) == (500, 10, 500, 0))
            #expect(loaded.warnings.allSatisfy { $0.rule == .consecutiveDays })
            let again = try await f.services.rosterFiles.importCSV(siteId: f.site, good, actor: f.op)
            #expect((again.assignmentsCreated, again.unchanged) == (0, 500))
            #expect(try await db.count("SELECT count(*)::int FROM shift_assignments") == 500)
        }
    }

    @Test("white space around a header or a field, as a spreadsheet may leave it, is not part of the value")
    func importTrimsFields() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            let header = RosterImportRow.columns.map { " \($0.uppercased())\t" }.joined(separator: ",")
            let row = " \(f.base) ,08:00\u{3000}, 12:00 ,\tCLN, nurse ,1,3, N1 "
            let loaded = try await f.services.rosterFiles.importCSV(
                siteId: f.site, "\(header)\n \t \n\(row)\n", actor: f.op)
            #expect((loaded.rows, loaded.assignmentsCreated) == (1, 1))
            #expect(
                try await db.count(
                    "SELECT count(*)::int FROM shift_assignments a JOIN staff m ON m.id = a.staff_id WHERE m.code = 'N1'"
                )
                    == 1)
        }
    }

    @Test("a column given twice in the header is named on line 1, and nothing is written")
    func repeatedColumn() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            let header = (RosterImportRow.columns + ["Zone"]).joined(separator: ",")
            let row = "\(f.base),08:00,12:00,CLN,nurse,1,3,N1,CLN"
            do {
                _ = try await f.services.rosterFiles.importCSV(siteId: f.site, "\(header)\n\(row)\n", actor: f.op)
                Issue.record("a header with a column twice was read")
            } catch DomainError.invalid(let issues) {
                #expect(issues == [FieldIssue(field: "line 1", detail: "column(s) given twice: zone")])
            }
            #expect(try await db.count("SELECT count(*)::int FROM shift_assignments") == 0)
        }
    }

    @Test(
        "every kind of bad row is reported with its line: unknown zone and person, a duplicate, an overlap, a full shift"
    )
    func importReportsEveryRow() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            let d = f.base
            let header = RosterImportRow.columns.joined(separator: ",")
            let unknown = [
                header, "\(d),08:00,12:00,Z9,nurse,1,2,N1", "\(d),08:00,12:00,A,nurse,1,2,N404",
                "\(d),08:00,12:00,A,surgeon,1,2,N1",
            ]
            do {
                _ = try await f.services.rosterFiles.importCSV(
                    siteId: f.site, unknown.joined(separator: "\n"), actor: f.op)
                Issue.record("should be refused")
            } catch DomainError.invalid(let issues) {
                #expect(issues.map(\.field) == ["line 2", "line 3", "line 4"])
                #expect(issues[0].detail == "zone: no zone Z9 at this site")
                #expect(issues[1].detail == "staff_code: no member of staff N404 at this site")
                #expect(issues[2].detail.hasPrefix("requires: 'surgeon' is not one of doctor, nurse"))
            }
            let clashes = [
                header, "\(d),08:00,12:00,A,nurse,1,1,N1", "\(d),08:00,12:00,A,nurse,1,1,N1",
                "\(d),10:00,14:00,CLN,nurse,1,2,N1", "\(d),08:00,12:00,A,nurse,1,1,N2",
            ]
            do {
                _ = try await f.services.rosterFiles.importCSV(
                    siteId: f.site, clashes.joined(separator: "\n"), actor: f.op)
                Issue.record("should be refused")
            } catch DomainError.invalid(let issues) {
                #expect(
                    issues.contains {
                        $0.field == "line 3" && $0.detail.hasPrefix("staff_code: N1 is already on this shift at line 2")
                    })
            }
            let overlapAndFull = [
                header, "\(d),08:00,12:00,A,nurse,1,1,N1", "\(d),10:00,14:00,CLN,nurse,1,2,N1",
                "\(d),08:00,12:00,A,nurse,1,1,N2",
            ]
            do {
                _ = try await f.services.rosterFiles.importCSV(
                    siteId: f.site, overlapAndFull.joined(separator: "\n"), actor: f.op)
                Issue.record("should be refused")
            } catch DomainError.invalid(let issues) {
                #expect(
                    issues.contains {
                        $0.field == "line 3" && $0.detail.hasPrefix("overlap: 许春梅 is already on A nurse")
                    })
                #expect(issues.contains { $0.detail.hasPrefix("over_staffed: 2 people on a shift for at most 1") })
            }
            #expect(try await db.count("SELECT count(*)::int FROM shift_assignments") == 0)
        }
    }

    @Test("an exported CSV imports back unchanged")
    func exportRoundTrip() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            let night = try await f.shift(hour: 20, hours: 6)
            _ = try await f.assign(0, to: night)
            let csv = try await f.services.rosterFiles.exportCSV(
                siteId: f.site, from: f.base, through: f.base, actor: f.op)
            #expect(csv == "\(RosterImportRow.columns.joined(separator: ","))\n\(f.base),20:00,02:00,A,nurse,1,3,N1\n")
            let again = try await f.services.rosterFiles.importCSV(siteId: f.site, csv, actor: f.op)
            #expect((again.shiftsCreated, again.assignmentsCreated, again.unchanged) == (0, 0, 1))
        }
    }

    @Test("the iCalendar feed of a person parses with a real iCalendar parser (Python icalendar)")
    func icalendarParses() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await RosterFixture.make(db)
            let first = try await f.shift(hour: 8, hours: 4)
            let second = try await f.shift(day: 1, hour: 20, hours: 6)
            _ = try await f.assign(0, to: first)
            _ = try await f.assign(1, to: first)
            _ = try await f.assign(0, to: second)
            _ = try await f.services.roster.publish(
                siteId: f.site, from: f.base, through: f.base.adding(days: 1), actor: f.op)
            let ics = try await f.services.rosterFiles.exportICS(
                siteId: f.site, from: f.base, through: f.base.adding(days: 1),
                staffId: f.nurses[0].id, actor: f.op)
            let events = try ICalendarParser.parse(ics)
            #expect(events.count == 2)
            #expect(events.map(\.start) == [ICalendar.utc(first.startsAt), ICalendar.utc(second.startsAt)])
            #expect(events.map(\.end) == [ICalendar.utc(first.endsAt), ICalendar.utc(second.endsAt)])
            #expect(events[0].summary == "A contaminated shift, nurse")
            #expect(events[0].description.contains("On shift: 许春梅 (N1), 陆晓燕 (N2)"))
            #expect(events[0].location == "Test site A, zone A")
            #expect(Set(events.map(\.uid)).count == 2)
        }
    }
}

/// Parses iCalendar text with the Python `icalendar` package that `Deploy/test.sh` installs.
enum ICalendarParser {
    struct Event: Decodable {
        var uid: String
        var start: String
        var end: String
        var summary: String
        var location: String
        var description: String
    }

    static let script = """
        import icalendar, json, sys
        cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
        out = []
        for e in cal.walk('VEVENT'):
            fmt = lambda d: d.dt.astimezone(__import__('datetime').timezone.utc).strftime('%Y%m%dT%H%M%SZ')
            out.append(dict(uid=str(e['UID']), start=fmt(e['DTSTART']), end=fmt(e['DTEND']), summary=str(e['SUMMARY']),
                            location=str(e['LOCATION']), description=str(e['DESCRIPTION'])))
        print(json.dumps(out))
        """

    static func parse(_ ics: String) throws -> [Event] {
        guard let python = ProcessInfo.processInfo.environment["CORDON_TEST_PYTHON"] else {
            throw ParserMissing(
                description:
                    "CORDON_TEST_PYTHON is not set; run the tests with Deploy/test.sh, which installs the parser")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(ics.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ParserMissing(description: "the parser refused the feed: \(problem)")
        }
        return try JSONDecoder().decode([Event].self, from: data)
    }

    struct ParserMissing: Error, CustomStringConvertible { var description: String }
}
