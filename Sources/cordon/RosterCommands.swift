import ArgumentParser
import Domain
import Foundation
import Services

struct RosterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster", abstract: "Build, check, publish and edit the staff roster.",
        subcommands: [Show.self, Check.self, Publish.self, Coverage.self, Import.self, Export.self,
                      Assign.self, Cancel.self, Replace.self, Swap.self, Rules.self, Feed.self, RevokeFeed.self])

    /// A site and a period of local dates (a week from today where the site is, by default).
    struct Period: ParsableArguments {
        @Argument(help: "Site code.") var site: String
        @Option(help: "First day, YYYY-MM-DD (default: today).") var from: String?
        @Option(help: "Last day, YYYY-MM-DD (default: six days after --from).") var through: String?

        func resolve(_ site: Site) throws -> (CalendarDate, CalendarDate) {
            let start = try from.map { try parseDate($0, "--from") } ?? CalendarDate(Date(), in: TimeZone(identifier: site.timeZone)!)
            return (start, try through.map { try parseDate($0, "--through") } ?? start.adding(days: 6))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A grid of shifts by days: people on each shift against its staffing.")
        @OptionGroup var period: Period
        @Flag(help: "Write the work numbers of the people in each cell.") var names = false
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (period, names, json) = (period, names, output.json)
            try await CordonEnvironment.withSite(period.site) { services, site, actor in
                let (from, through) = try period.resolve(site)
                let shifts = try await services.roster.roster(siteId: site.id, from: from, through: through, actor: actor)
                if json { return try Output.json(shifts) }
                print(RosterGrid(shifts: shifts, from: from, through: through, timeZone: TimeZone(identifier: site.timeZone)!, names: names).render())
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dry run: list every broken rule of a period. Exits 1 when a hard rule is broken.")
        @OptionGroup var period: Period
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (period, json) = (period, output.json)
            let hard = try await CordonEnvironment.withSite(period.site) { services, site, actor in
                let (from, through) = try period.resolve(site)
                let check = try await services.roster.check(siteId: site.id, from: from, through: through, actor: actor)
                if json { try Output.json(check) } else {
                    printFindings(check.findings)
                    print("\(check.hard) hard, \(check.soft) soft finding(s), \(from) to \(through)")
                }
                return check.hard
            }
            if hard > 0 { throw ExitCode(1) }
        }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Publish a period's drafts, all or nothing, when no hard rule is broken.")
        @OptionGroup var period: Period

        func run() async throws {
            let period = period
            try await CordonEnvironment.withSite(period.site) { services, site, actor in
                let (from, through) = try period.resolve(site)
                let result = try await services.roster.publish(siteId: site.id, from: from, through: through, actor: actor)
                printFindings(result.warnings)
                print("published \(result.published) assignment(s), \(from) to \(through); \(result.warnings.count) warning(s)")
            }
        }
    }

    struct Coverage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Staffing of each shift of the next days, gaps first.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "First day, YYYY-MM-DD (default: today).") var from: String?
        @Option(help: "How many days.") var days: Int = 7
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let from = try from.map { try parseDate($0, "--from") }
            let (siteCode, days, json) = (site, days, output.json)
            try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                let lines = try await services.roster.coverage(siteId: site.id, from: from, days: days, actor: actor)
                if json { return try Output.json(lines) }
                Output.table(["SHIFT", "ZONE", "REQUIRES", "START", "END", "ASSIGNED", "PUBLISHED", "MIN-MAX", "GAP"], lines.map {
                    [String($0.shiftId), $0.zoneCode, $0.requires?.rawValue ?? "any", Output.time($0.startsAt, zone: site.timeZone),
                     Output.time($0.endsAt, zone: site.timeZone), String($0.assigned), String($0.published), "\($0.minStaff)-\($0.maxStaff)",
                     $0.gap > 0 ? String($0.gap) : ""]
                })
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a roster CSV into drafts. Every bad row is reported with its line number, and nothing is written.",
            discussion: "Columns: \(RosterImportRow.columns.joined(separator: ",")). Local times; an end at or before the start is the next day.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch { throw ValidationError("cannot read \(file) as UTF-8 text") }
            let siteCode = site
            try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                let result = try await services.rosterFiles.importCSV(siteId: site.id, text, actor: actor)
                printFindings(result.warnings)
                print("\(result.rows) row(s): \(result.assignmentsCreated) assignment(s) and \(result.shiftsCreated) shift(s) created, \(result.unchanged) unchanged")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the roster as CSV (the import columns) or iCalendar (published shifts).")
        @OptionGroup var period: Period
        @Option(help: "csv or ics.") var format: String = "csv"
        @Option(help: "Only this person (work number).") var staff: String?
        @Option(help: "Write to this file instead of standard output.") var out: String?

        func run() async throws {
            guard ["csv", "ics"].contains(format) else { throw ValidationError("--format must be csv or ics") }
            let (period, format, staffCode) = (period, format, staff)
            let text = try await CordonEnvironment.withSite(period.site) { services, site, actor in
                let (from, through) = try period.resolve(site)
                let staffId = try await staffCode.asyncMap { try await services.staff.member(siteId: site.id, code: $0, actor: actor).id }
                return format == "csv"
                    ? try await services.rosterFiles.exportCSV(siteId: site.id, from: from, through: through, staffId: staffId, actor: actor)
                    : try await services.rosterFiles.exportICS(siteId: site.id, from: from, through: through, staffId: staffId, actor: actor)
            }
            if let out {
                do { try text.write(toFile: out, atomically: true, encoding: .utf8) } catch { throw ValidationError("cannot write \(out): \(error)") }
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a person on a shift as a draft (an overlap or a full shift refuses it; other broken rules are warned).")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Shift id.") var shift: Int64
        @Option(help: "Work number.") var staff: String

        func run() async throws {
            let (siteCode, shiftId, code) = (site, shift, staff)
            try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                let member = try await services.staff.member(siteId: site.id, code: code, actor: actor)
                let change = try await services.roster.assign(siteId: site.id, shiftId: shiftId, staffId: member.id, actor: actor)
                printChange(change)
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a person off a shift.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Assignment id.") var assignment: Int64
        @Option(help: "The version you read; the current one when omitted.") var version: Int?

        func run() async throws {
            let (siteCode, id, version) = (site, assignment, version)
            try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                let current = try await services.roster.assignment(siteId: site.id, assignmentId: id, actor: actor)
                printChange(try await services.roster.cancel(siteId: site.id, assignmentId: id, expectedVersion: version ?? current.version, actor: actor))
            }
        }
    }

    struct Replace: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a person's place on a shift to someone else.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Assignment id.") var assignment: Int64
        @Option(help: "Work number of the new person.") var staff: String
        @Option(help: "The version you read; the current one when omitted.") var version: Int?

        func run() async throws {
            let (siteCode, id, code, version) = (site, assignment, staff, version)
            try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                let current = try await services.roster.assignment(siteId: site.id, assignmentId: id, actor: actor)
                let member = try await services.staff.member(siteId: site.id, code: code, actor: actor)
                printChange(try await services.roster.replace(siteId: site.id, assignmentId: id, with: member.id,
                                                              expectedVersion: version ?? current.version, actor: actor))
            }
        }
    }

    struct Swap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Exchange the people of two assignments: both or neither.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "First assignment id.") var first: Int64
        @Argument(help: "Second assignment id.") var second: Int64

        func run() async throws {
            let (siteCode, first, second) = (site, first, second)
            try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                let a = try await services.roster.assignment(siteId: site.id, assignmentId: first, actor: actor)
                let b = try await services.roster.assignment(siteId: site.id, assignmentId: second, actor: actor)
                printChange(try await services.roster.swap(siteId: site.id, assignmentId: first, expectedVersion: a.version,
                                                           with: second, otherVersion: b.version, actor: actor))
            }
        }
    }

    struct Rules: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show or set the site's roster rules.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Minimum rest between stints, in hours.") var minRestHours: Double?
        @Option(help: "Cap on continuous hours in the contaminated zone.") var contaminatedCapHours: Double?
        @Option(help: "Warn above this many consecutive days on duty.") var maxConsecutiveDays: Int?

        func run() async throws {
            let (siteCode, rest, cap, days) = (site, minRestHours, contaminatedCapHours, maxConsecutiveDays)
            try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                var rules = try await services.roster.rules(siteId: site.id, actor: actor)
                if rest != nil || cap != nil || days != nil {
                    let version = rules.version
                    if let rest { rules.minRestMinutes = Int((rest * 60).rounded()) }
                    if let cap { rules.contaminatedCapMinutes = Int((cap * 60).rounded()) }
                    if let days { rules.maxConsecutiveDays = days }
                    rules = try await services.roster.setRules(siteId: site.id, rules, expectedVersion: version, actor: actor)
                }
                print("minimum rest \(Double(rules.minRestMinutes) / 60) h, contaminated-zone cap \(Double(rules.contaminatedCapMinutes) / 60) h, warn above \(rules.maxConsecutiveDays) consecutive days")
            }
        }
    }
}

extension RosterCommand {
    struct Feed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a secret calendar address for a phone to subscribe to: the site's published shifts, or one person's.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Only this person (work number).") var staff: String?

        func run() async throws {
            let (siteCode, staffCode) = (site, staff)
            try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                let staffId = try await staffCode.asyncMap { try await services.staff.member(siteId: site.id, code: $0, actor: actor).id }
                let feed = try await services.rosterFiles.issueFeed(siteId: site.id, staffId: staffId, actor: actor)
                print("feed \(feed.id): \(feed.path)")
                print("subscribe to the server's address followed by this path (it is shown only now)")
            }
        }
    }

    struct RevokeFeed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke-feed", abstract: "Revoke a calendar address.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Feed id.") var feed: Int64

        func run() async throws {
            let (siteCode, feedId) = (site, feed)
            try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                try await services.rosterFiles.revokeFeed(siteId: site.id, feedId: feedId, actor: actor)
                print("feed \(feedId) revoked")
            }
        }
    }
}

func printFindings(_ findings: [RosterFinding]) {
    guard !findings.isEmpty else { return }
    Output.table(["SEVERITY", "RULE", "STAFF", "SHIFT", "REASON"], findings.map {
        [$0.severity, $0.rule.rawValue, $0.staffCode ?? "", "\($0.shiftId) \($0.shift)", $0.reason]
    })
}

func printChange(_ change: AssignmentChange) {
    for a in change.assignments { print("assignment \(a.id): \(a.staffCode) \(a.staffName) on shift \(a.shiftId), \(a.state.rawValue), version \(a.version)") }
    if !change.warnings.isEmpty { print("warnings:"); printFindings(change.warnings) }
}
