import ArgumentParser
import Domain
import Foundation
import Services

struct RosterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster", abstract: "Build, check, publish and edit the staff roster.",
        subcommands: [
            Show.self, ShowAssignment.self, Check.self, Publish.self, Coverage.self, Import.self, Export.self,
            Assign.self, Cancel.self, Replace.self, Swap.self, Rules.self, Feed.self, RevokeFeed.self,
        ])

    /// A site and a period of local dates (a week from today where the site is, by default).
    struct Period: ParsableArguments {
        @Argument(help: "Site code.") var site: String
        @Option(help: "First day, YYYY-MM-DD (default: today).") var from: String?
        @Option(help: "Last day, YYYY-MM-DD (default: six days after --from).") var through: String?

        func resolve(_ site: Site) throws -> (CalendarDate, CalendarDate) {
            let start = try from.map { try parseDate($0, "--from") } ?? site.today
            return (start, try through.map { try parseDate($0, "--through") } ?? start.adding(days: 6))
        }
    }

    struct Show: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "A grid of shifts by days: people on each shift against its staffing.")
        @OptionGroup var period: Period
        @Flag(help: "Write the work numbers of the people in each cell.") var names = false
        @OptionGroup var output: OutputOptions

        var siteCode: String { period.site }

        func run(_ cli: CLI, site: Site) async throws {
            let (from, through) = try period.resolve(site)
            let shifts = try await cli.services.roster.roster(
                siteId: site.id, from: from, through: through, actor: cli.actor)
            if output.json { return try Output.json(shifts) }
            print(
                RosterGrid(shifts: shifts, from: from, through: through, timeZone: site.timeZone, names: names).render()
            )
        }
    }

    struct Check: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dry run: list every broken rule of a period. Exits 1 when a hard rule is broken.")
        @OptionGroup var period: Period
        @OptionGroup var output: OutputOptions

        var siteCode: String { period.site }

        func run(_ cli: CLI, site: Site) async throws {
            let (from, through) = try period.resolve(site)
            let check = try await cli.services.roster.check(
                siteId: site.id, from: from, through: through, actor: cli.actor)
            if output.json {
                try Output.json(check)
            } else {
                printFindings(check.findings)
                print("\(check.hard) hard, \(check.soft) soft finding(s), \(from) to \(through)")
            }
            if check.hard > 0 { throw ExitCode(1) }
        }
    }

    struct Publish: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a period's drafts, all or nothing, when no hard rule is broken.")
        @OptionGroup var period: Period

        var siteCode: String { period.site }

        func run(_ cli: CLI, site: Site) async throws {
            let (from, through) = try period.resolve(site)
            let result = try await cli.services.roster.publish(
                siteId: site.id, from: from, through: through, actor: cli.actor)
            printFindings(result.warnings)
            print(
                "published \(result.published) assignment(s), \(from) to \(through); \(result.warnings.count) warning(s)"
            )
        }
    }

    struct Coverage: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Staffing of each shift of the next days, gaps first.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "First day, YYYY-MM-DD (default: today).") var from: String?
        @Option(help: "How many days.") var days: Int = 7
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let from = try from.map { try parseDate($0, "--from") }
            let lines = try await cli.services.roster.coverage(
                siteId: site.id, from: from, days: days, actor: cli.actor)
            if output.json { return try Output.json(lines) }
            Output.table(
                ["SHIFT", "ZONE", "REQUIRES", "START", "END", "ASSIGNED", "PUBLISHED", "MIN-MAX", "GAP"],
                lines.map {
                    [
                        String($0.shiftId), $0.zoneCode, $0.requires?.rawValue ?? "any",
                        Output.time($0.startsAt, zone: site.timeZone),
                        Output.time($0.endsAt, zone: site.timeZone), String($0.assigned), String($0.published),
                        "\($0.minStaff)-\($0.maxStaff)",
                        $0.gap > 0 ? String($0.gap) : "",
                    ]
                })
        }
    }

    struct Import: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Read a roster CSV into drafts. Every bad row is reported with its line number, and nothing is written.",
            discussion:
                "Columns: \(RosterImportRow.columns.joined(separator: ",")). Local times; an end at or before the start is the next day."
        )
        @Argument(help: "Site code.") var site: String
        @Argument(help: "The CSV file.") var file: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let text = try CLIFiles.text(file)
            let result = try await cli.services.rosterFiles.importCSV(siteId: site.id, text, actor: cli.actor)
            printFindings(result.warnings)
            print(
                "\(result.rows) row(s): \(result.assignmentsCreated) assignment(s) and \(result.shiftsCreated) shift(s) created, \(result.unchanged) unchanged"
            )
        }
    }

    struct Export: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the roster as CSV (the import columns) or iCalendar (published shifts).")
        @OptionGroup var period: Period
        @Option(help: "csv or ics.") var format: String = "csv"
        @Option(help: "Only this person (work number).") var staff: String?
        @Option(help: "Write to this file instead of standard output.") var out: String?

        var siteCode: String { period.site }

        func validate() throws {
            guard ["csv", "ics"].contains(format) else { throw ValidationError("--format must be csv or ics") }
        }

        func run(_ cli: CLI, site: Site) async throws {
            let (from, through) = try period.resolve(site)
            let staffId = try await staff.asyncMap {
                try await cli.services.staff.member(siteId: site.id, code: $0, actor: cli.actor).id
            }
            let text =
                format == "csv"
                ? try await cli.services.rosterFiles.exportCSV(
                    siteId: site.id, from: from, through: through, staffId: staffId, actor: cli.actor)
                : try await cli.services.rosterFiles.exportICS(
                    siteId: site.id, from: from, through: through, staffId: staffId, actor: cli.actor)
            if let out {
                do { try text.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                    throw ValidationError("cannot write \(out): \(error)")
                }
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }

    struct Assign: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Put a person on a shift as a draft (an overlap or a full shift refuses it; other broken rules are warned)."
        )
        @Argument(help: "Site code.") var site: String
        @Option(help: "Shift id.") var shift: Shift.ID
        @Option(help: "Work number.") var staff: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let member = try await cli.services.staff.member(siteId: site.id, code: staff, actor: cli.actor)
            let change = try await cli.services.roster.assign(
                siteId: site.id, shiftId: shift, staffId: member.id, actor: cli.actor)
            printChange(change)
        }
    }

    struct Cancel: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Take a person off a shift.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Assignment id.") var assignment: Assignment.ID
        @OptionGroup var version: EditVersion

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let expected = try await version.expected(of: assignment, at: site, cli)
            printChange(
                try await cli.services.roster.cancel(
                    siteId: site.id, assignmentId: assignment, expectedVersion: expected, actor: cli.actor))
        }
    }

    struct Replace: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Give a person's place on a shift to someone else.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Assignment id.") var assignment: Assignment.ID
        @Option(help: "Work number of the new person.") var staff: String
        @OptionGroup var version: EditVersion

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let expected = try await version.expected(of: assignment, at: site, cli)
            let member = try await cli.services.staff.member(siteId: site.id, code: staff, actor: cli.actor)
            printChange(
                try await cli.services.roster.replace(
                    siteId: site.id, assignmentId: assignment, with: member.id,
                    expectedVersion: expected, actor: cli.actor))
        }
    }

    struct Swap: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exchange the people of two assignments: both or neither.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "First assignment id.") var first: Assignment.ID
        @Argument(help: "Second assignment id.") var second: Assignment.ID
        @OptionGroup var version: EditVersion
        @Option(help: "The version of the second assignment you read; needed when it is published.") var otherIfVersion:
            Int?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let expected = try await version.expected(of: first, at: site, cli)
            let other = try await EditVersion.expected(
                otherIfVersion, option: "--other-if-version", of: second, at: site, cli)
            printChange(
                try await cli.services.roster.swap(
                    siteId: site.id, assignmentId: first, expectedVersion: expected,
                    with: second, otherVersion: other, actor: cli.actor))
        }
    }

    struct ShowAssignment: OneSiteCommand {
        static let configuration = CommandConfiguration(
            commandName: "assignment", abstract: "One assignment with its state and version.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Assignment id.") var assignment: Assignment.ID
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let found = try await cli.services.roster.assignment(
                siteId: site.id, assignmentId: assignment, actor: cli.actor)
            if output.json { return try Output.json(found) }
            printAssignment(found)
        }
    }

    struct Rules: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Show or set the site's roster rules.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Minimum rest between stints, in hours.") var minRestHours: Double?
        @Option(help: "Cap on continuous hours in the contaminated zone.") var contaminatedCapHours: Double?
        @Option(help: "Warn above this many consecutive days on duty.") var maxConsecutiveDays: Int?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            var rules = try await cli.services.roster.rules(siteId: site.id, actor: cli.actor)
            if minRestHours != nil || contaminatedCapHours != nil || maxConsecutiveDays != nil {
                let version = rules.version
                if let minRestHours { rules.minRestMinutes = Int((minRestHours * 60).rounded()) }
                if let contaminatedCapHours {
                    rules.contaminatedCapMinutes = Int((contaminatedCapHours * 60).rounded())
                }
                if let maxConsecutiveDays { rules.maxConsecutiveDays = maxConsecutiveDays }
                rules = try await cli.services.roster.setRules(
                    siteId: site.id, rules, expectedVersion: version, actor: cli.actor)
            }
            print(
                "minimum rest \(Double(rules.minRestMinutes) / 60) h, contaminated-zone cap \(Double(rules.contaminatedCapMinutes) / 60) h, warn above \(rules.maxConsecutiveDays) consecutive days"
            )
        }
    }
}

extension RosterCommand {
    struct Feed: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Issue a secret calendar address for a phone to subscribe to: the site's published shifts, or one person's."
        )
        @Argument(help: "Site code.") var site: String
        @Option(help: "Only this person (work number).") var staff: String?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let staffId = try await staff.asyncMap {
                try await cli.services.staff.member(siteId: site.id, code: $0, actor: cli.actor).id
            }
            let feed = try await cli.services.rosterFiles.issueFeed(siteId: site.id, staffId: staffId, actor: cli.actor)
            print("feed \(feed.id): \(feed.path)")
            print("subscribe to the server's address followed by this path (it is shown only now)")
        }
    }

    struct RevokeFeed: OneSiteCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-feed", abstract: "Revoke a calendar address.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Feed id.") var feed: Int64

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            try await cli.services.rosterFiles.revokeFeed(siteId: site.id, feedId: feed, actor: cli.actor)
            print("feed \(feed) revoked")
        }
    }
}

func printFindings(_ findings: [RosterFinding]) {
    guard !findings.isEmpty else { return }
    Output.table(
        ["SEVERITY", "RULE", "STAFF", "SHIFT", "REASON"],
        findings.map {
            [$0.severity, $0.rule.rawValue, $0.staffCode ?? "", "\($0.shiftId) \($0.shift)", $0.reason]
        })
}

func printAssignment(_ a: Assignment) {
    print(
        "assignment \(a.id): \(a.staffCode) \(a.staffName) on shift \(a.shiftId), \(a.state.rawValue), version \(a.version)"
    )
}

func printChange(_ change: AssignmentChange) {
    change.assignments.forEach(printAssignment)
    if !change.warnings.isEmpty {
        print("warnings:")
        printFindings(change.warnings)
    }
}

/// The version an edit of a published assignment is made against, as the API's If-Match: a
/// published roster is on people's phones, and an edit made without knowing what it changes
/// could undo someone else's. A draft is the manager's own work in progress; its current
/// version is used when none is given.
struct EditVersion: ParsableArguments {
    @Option(help: "The version you read (`cordon roster assignment`); needed when the assignment is published.")
    var ifVersion: Int?

    func expected(of assignmentId: Assignment.ID, at site: Site, _ cli: CLI) async throws -> Int {
        try await Self.expected(ifVersion, option: "--if-version", of: assignmentId, at: site, cli)
    }

    static func expected(_ given: Int?, option: String, of assignmentId: Assignment.ID, at site: Site, _ cli: CLI)
        async throws -> Int
    {
        if let given { return given }
        let current = try await cli.services.roster.assignment(
            siteId: site.id, assignmentId: assignmentId, actor: cli.actor)
        guard current.state != .published else {
            throw ValidationError(
                """
                assignment \(assignmentId) is published: read it (`cordon roster assignment \(site.code) \(assignmentId)`) and give \
                its version with \(option), so that a change made meanwhile is not overwritten
                """)
        }
        return current.version
    }
}
