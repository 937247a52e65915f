import ArgumentParser
import Domain
import Foundation
import Services

struct ShiftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shift", abstract: "Shifts and the templates that generate them.",
        subcommands: [Add.self, Generate.self, TemplateCommand.self])

    struct Add: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Add one shift.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Zone code.") var zone: String
        @Option(help: "Required profession; any when omitted.") var requires: String?
        @Option(help: "Start, YYYY-MM-DDTHH:MM where the site is.") var start: String
        @Option(help: "End, YYYY-MM-DDTHH:MM where the site is.") var end: String
        @Option(help: "Minimum staffing.") var min: Int
        @Option(help: "Maximum staffing.") var max: Int
        @Option var label: String = ""

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let requires: Profession? = try requires.map { try parseChoice($0, "--requires") }
            let zone = try await zoneId(self.zone, site: site, cli.services, cli.actor)
            let shift = try await cli.services.roster.createShift(
                siteId: site.id,
                ShiftDraft(
                    zoneId: zone, requires: requires, label: label,
                    startsAt: try parseTime(start, "--start", zone: site.timeZone),
                    endsAt: try parseTime(end, "--end", zone: site.timeZone), minStaff: min, maxStaff: max),
                actor: cli.actor)
            print("shift \(shift.id) \(shift.summary(in: site.timeZone))")
        }
    }

    struct Generate: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the shifts of every template for a run of days (existing ones are kept).")
        @Argument(help: "Site code.") var site: String
        @Option(help: "First day, YYYY-MM-DD.") var from: String
        @Option(help: "How many days (1-31).") var days: Int = 7

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let from = try parseDate(from, "--from")
            let result = try await cli.services.roster.generateShifts(
                siteId: site.id, from: from, days: days, actor: cli.actor)
            print("\(result.created) shift(s) created, \(result.skipped) already there, \(from) + \(days) days")
        }
    }

    struct TemplateCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "template", abstract: "Recurring shifts.", subcommands: [Add.self, List.self])

        struct Add: OneSiteCommand {
            static let configuration = CommandConfiguration(abstract: "Add a shift template.")
            @Argument(help: "Site code.") var site: String
            @Option var name: String
            @Option(help: "Zone code.") var zone: String
            @Option(help: "Required profession; any when omitted.") var requires: String?
            @Option(help: "Local start time, HH:MM.") var start: String
            @Option(help: "Length in minutes.") var minutes: Int
            @Option var min: Int
            @Option var max: Int

            var siteCode: String { site }

            func run(_ cli: CLI, site: Site) async throws {
                let requires: Profession? = try requires.map { try parseChoice($0, "--requires") }
                let template = try await cli.services.roster.createTemplate(
                    siteId: site.id,
                    ShiftTemplateDraft(
                        name: name, zoneId: try await zoneId(zone, site: site, cli.services, cli.actor),
                        requires: requires, startTime: start,
                        minutes: minutes, minStaff: min, maxStaff: max), actor: cli.actor)
                print("template \(template.id) \(template.name)")
            }
        }

        struct List: OneSiteCommand {
            static let configuration = CommandConfiguration(abstract: "List shift templates.")
            @Argument(help: "Site code.") var site: String
            @OptionGroup var output: OutputOptions

            var siteCode: String { site }

            func run(_ cli: CLI, site: Site) async throws {
                let templates = try await cli.services.roster.templates(siteId: site.id, actor: cli.actor)
                if output.json { return try Output.json(templates) }
                let zones = Dictionary(
                    uniqueKeysWithValues: try await cli.services.sites.zones(siteId: site.id, actor: cli.actor).map {
                        ($0.id, $0.code)
                    })
                Output.table(
                    ["ID", "NAME", "ZONE", "REQUIRES", "START", "MINUTES", "STAFF"],
                    templates.map {
                        [
                            String($0.id), $0.name, zones[$0.zoneId] ?? "", $0.requires?.rawValue ?? "any",
                            $0.startTime, String($0.minutes),
                            "\($0.minStaff)-\($0.maxStaff)",
                        ]
                    })
            }
        }
    }
}

/// Resolves a zone code given on the command line.
func zoneId(_ code: String, site: Site, _ services: CordonServices, _ actor: Actor) async throws -> Zone.ID {
    guard let zone = try await services.sites.zones(siteId: site.id, actor: actor).first(where: { $0.code == code })
    else {
        throw DomainError.notFound("no zone \(code) at \(site.code)")
    }
    return zone.id
}
