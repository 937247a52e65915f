import ArgumentParser
import Domain
import Foundation
import Services

struct ShiftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shift", abstract: "Shifts and the templates that generate them.",
        subcommands: [Add.self, Generate.self, TemplateCommand.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add one shift.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Zone code.") var zone: String
        @Option(help: "Required profession; any when omitted.") var requires: String?
        @Option(help: "Start, YYYY-MM-DDTHH:MM where the site is.") var start: String
        @Option(help: "End, YYYY-MM-DDTHH:MM where the site is.") var end: String
        @Option(help: "Minimum staffing.") var min: Int
        @Option(help: "Maximum staffing.") var max: Int
        @Option var label: String = ""

        func run() async throws {
            let requires: Profession? = try requires.map { try parseChoice($0, "--requires") }
            let (siteCode, zoneCode, start, end, min, max, label) = (site, zone, start, end, min, max, label)
            try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                let zone = try await zoneId(zoneCode, site: site, services, actor)
                let shift = try await services.roster.createShift(siteId: site.id, ShiftDraft(
                    zoneId: zone, requires: requires, label: label, startsAt: try parseTime(start, "--start", zone: site.timeZone),
                    endsAt: try parseTime(end, "--end", zone: site.timeZone), minStaff: min, maxStaff: max), actor: actor)
                print("shift \(shift.id) \(shift.summary(in: TimeZone(identifier: site.timeZone)!))")
            }
        }
    }

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the shifts of every template for a run of days (existing ones are kept).")
        @Argument(help: "Site code.") var site: String
        @Option(help: "First day, YYYY-MM-DD.") var from: String
        @Option(help: "How many days (1-31).") var days: Int = 7

        func run() async throws {
            let from = try parseDate(from, "--from")
            let (siteCode, days) = (site, days)
            try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                let result = try await services.roster.generateShifts(siteId: site.id, from: from, days: days, actor: actor)
                print("\(result.created) shift(s) created, \(result.skipped) already there, \(from) + \(days) days")
            }
        }
    }

    struct TemplateCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "template", abstract: "Recurring shifts.", subcommands: [Add.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a shift template.")
            @Argument(help: "Site code.") var site: String
            @Option var name: String
            @Option(help: "Zone code.") var zone: String
            @Option(help: "Required profession; any when omitted.") var requires: String?
            @Option(help: "Local start time, HH:MM.") var start: String
            @Option(help: "Length in minutes.") var minutes: Int
            @Option var min: Int
            @Option var max: Int

            func run() async throws {
                let requires: Profession? = try requires.map { try parseChoice($0, "--requires") }
                let (siteCode, zoneCode, name, start, minutes, min, max) = (site, zone, name, start, minutes, min, max)
                try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                    let template = try await services.roster.createTemplate(siteId: site.id, ShiftTemplateDraft(
                        name: name, zoneId: try await zoneId(zoneCode, site: site, services, actor), requires: requires, startTime: start,
                        minutes: minutes, minStaff: min, maxStaff: max), actor: actor)
                    print("template \(template.id) \(template.name)")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List shift templates.")
            @Argument(help: "Site code.") var site: String
            @OptionGroup var output: OutputOptions

            func run() async throws {
                let (siteCode, json) = (site, output.json)
                try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                    let templates = try await services.roster.templates(siteId: site.id, actor: actor)
                    if json { return try Output.json(templates) }
                    let zones = Dictionary(uniqueKeysWithValues: try await services.sites.zones(siteId: site.id, actor: actor).map { ($0.id, $0.code) })
                    Output.table(["ID", "NAME", "ZONE", "REQUIRES", "START", "MINUTES", "STAFF"], templates.map {
                        [String($0.id), $0.name, zones[$0.zoneId] ?? "", $0.requires?.rawValue ?? "any", $0.startTime, String($0.minutes),
                         "\($0.minStaff)-\($0.maxStaff)"]
                    })
                }
            }
        }
    }
}

/// Resolves a zone code given on the command line.
func zoneId(_ code: String, site: Site, _ services: CordonServices, _ actor: Actor) async throws -> Int64 {
    guard let zone = try await services.sites.zones(siteId: site.id, actor: actor).first(where: { $0.code == code }) else {
        throw DomainError.notFound("no zone \(code) at \(site.code)")
    }
    return zone.id
}
