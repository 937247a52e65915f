import ArgumentParser
import Domain
import Services

struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site", abstract: "Open, list and show sites.",
        subcommands: [Create.self, List.self, Show.self])

    struct Create: CordonCommand {
        static let configuration = CommandConfiguration(abstract: "Open a site.")
        @Option(help: "Unique short code, e.g. JS-01.") var code: String
        @Option(help: "Full name.") var name: String
        @Option(help: "District.") var district: String
        @Option(help: "Street address.") var address = ""
        @Option(help: "centralised_isolation, makeshift_hospital or designated_hospital.") var kind =
            "centralised_isolation"
        @Option(help: "Planned number of beds.") var capacity: Int
        @Option(help: "IANA time zone.") var timeZone = "Asia/Shanghai"
        @Option(help: "Opening date, YYYY-MM-DD.") var opened: String?
        @OptionGroup var output: OutputOptions

        func run(_ cli: CLI) async throws {
            let kind: SiteKind = try parseChoice(kind, "--kind")
            let openedOn = try opened.map { try parseDate($0, "--opened") }
            let draft = SiteDraft(
                code: code, name: name, district: district, address: address, kind: kind,
                bedCapacity: capacity, timeZone: timeZone, openedOn: openedOn)
            let site = try await cli.services.sites.create(draft, actor: cli.actor).value
            if output.json { try Output.json(site) } else { print("site \(site.code) created with id \(site.id)") }
        }
    }

    struct List: CordonCommand {
        static let configuration = CommandConfiguration(abstract: "List sites.")
        @OptionGroup var output: OutputOptions

        func run(_ cli: CLI) async throws {
            let sites = try await allPages { try await cli.services.sites.list(actor: cli.actor, page: $0) }
            if output.json { return try Output.json(sites) }
            Output.table(
                ["ID", "CODE", "NAME", "DISTRICT", "KIND", "BEDS", "STATUS", "OPENED"],
                sites.map {
                    [
                        String($0.id), $0.code, $0.name, $0.district, $0.kind.rawValue, String($0.bedCapacity),
                        $0.status.rawValue,
                        $0.openedOn?.description ?? "",
                    ]
                })
        }
    }

    struct Show: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Show one site with its zones.")
        @Argument(help: "Site code.") var site: String
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let zones = try await cli.services.sites.zones(siteId: site.id, actor: cli.actor)
            if output.json {
                struct SiteWithZones: Encodable {
                    var site: Site
                    var zones: [Zone]
                }
                return try Output.json(SiteWithZones(site: site, zones: zones))
            }
            print(
                """
                \(site.name) (\(site.code), id \(site.id))
                  district:  \(site.district)
                  address:   \(site.address)
                  kind:      \(site.kind.rawValue)
                  capacity:  \(site.bedCapacity) beds
                  time zone: \(site.timeZone)
                  opened:    \(site.openedOn?.description ?? "-")   closed: \(site.closedOn?.description ?? "-")
                  status:    \(site.status.rawValue)

                """)
            Output.table(
                ["ZONE ID", "CODE", "NAME", "KIND"], zones.map { [String($0.id), $0.code, $0.name, $0.kind.rawValue] })
        }
    }
}

struct ZoneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zone", abstract: "Add and list the zones of a site.", subcommands: [Add.self, List.self])

    struct Add: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Add a zone.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Zone code, e.g. A.") var code: String
        @Option(help: "Zone name.") var name: String
        @Option(help: "contaminated, buffer or clean.") var kind: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let kind: ZoneKind = try parseChoice(kind, "--kind")
            let draft = ZoneDraft(code: code, name: name, kind: kind)
            let zone = try await cli.services.sites.createZone(siteId: site.id, draft, actor: cli.actor)
            print("zone \(zone.code) created with id \(zone.id)")
        }
    }

    struct List: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "List zones.")
        @Argument(help: "Site code.") var site: String
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let zones = try await cli.services.sites.zones(siteId: site.id, actor: cli.actor)
            if output.json { return try Output.json(zones) }
            Output.table(
                ["ID", "CODE", "NAME", "KIND"], zones.map { [String($0.id), $0.code, $0.name, $0.kind.rawValue] })
        }
    }
}
