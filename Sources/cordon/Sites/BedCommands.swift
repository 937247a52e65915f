import ArgumentParser
import Domain
import Services

struct BedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bed", abstract: "Add and list beds.",
        subcommands: [Add.self, List.self, Status.self, Attributes.self])

    struct Add: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add one bed, or a numbered range of beds.",
            discussion:
                "cordon bed add JS-01 --zone A --code A-001\ncordon bed add JS-01 --zone A --prefix A- --from 1 --to 120\n"
                + "cordon bed add JS-01 --zone A --prefix B3- --from 1 --to 40 --width 2 --bay B3 --single-sex female --oxygen"
        )
        @Argument(help: "Site code.") var site: String
        @Option(help: "Zone code.") var zone: String
        @Option(help: "One bed's code.") var code: String?
        @Option(help: "Prefix of a range, e.g. A-.") var prefix: String?
        @Option(help: "First number of a range.") var from: Int?
        @Option(help: "Last number of a range.") var to: Int?
        @Option(help: "Digits of a range's numbers, zero-padded.") var width = 3
        @OptionGroup var attributes: BedAttributeOptions

        func validate() throws {
            if (code == nil) == (from == nil || to == nil) {
                throw ValidationError("give either --code, or --from and --to (with --prefix) for a range")
            }
        }

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let prefix = prefix ?? ""
            let zone = try await cli.services.sites.zone(siteId: site.id, code: self.zone, actor: cli.actor)
            if let code {
                let bed = try await cli.services.beds.create(
                    siteId: site.id, zoneId: zone.id, code: code, attributes: try attributes.parsed(), actor: cli.actor)
                print("bed \(bed.code) created with id \(bed.id)")
            } else {
                let beds = try await cli.services.beds.createRange(
                    siteId: site.id,
                    BedRange(
                        zoneId: zone.id, prefix: prefix, first: from!, last: to!, width: width,
                        attributes: try attributes.parsed()), actor: cli.actor)
                print("\(beds.count) beds created: \(beds.first!.code) to \(beds.last!.code)")
            }
        }
    }

    struct List: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "List beds of a site.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Only this zone (code).") var zone: String?
        @Option(help: "Only this status: free, occupied, cleaning, out_of_service.") var status: String?
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let status: BedStatus? = try status.map { try parseChoice($0, "--status") }
            let zones = try await cli.services.sites.zones(siteId: site.id, actor: cli.actor)
            let zoneId = try self.zone.map { code in
                guard let zone = zones.first(where: { $0.code == code }) else {
                    throw DomainError.notFound("no zone \(code) at this site")
                }
                return zone.id
            }
            let beds = try await allPages {
                try await cli.services.beds.list(
                    siteId: site.id, zoneId: zoneId, status: status, page: $0, actor: cli.actor)
            }
            if output.json { return try Output.json(beds) }
            let zoneCodes = Dictionary(uniqueKeysWithValues: zones.map { ($0.id, $0.code) })
            Output.table(
                ["ID", "CODE", "ZONE", "STATUS", "ROOM/BAY", "KEPT FOR", "ATTRIBUTES"],
                beds.map {
                    let a = $0.attributes
                    let marks = [(a.nearStation, "near-station"), (a.accessible, "accessible"), (a.oxygen, "oxygen")]
                    return [
                        String($0.id), $0.code, zoneCodes[$0.zoneId] ?? "", $0.status.rawValue, a.place ?? "",
                        a.singleSex?.rawValue ?? "", marks.filter(\.0).map(\.1).joined(separator: " "),
                    ]
                })
        }
    }

    struct Status: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Set a bed free, cleaning or out of service (occupancy changes only by admission, move and discharge).")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Bed code.") var bed: String
        @Argument(help: "free, cleaning or out_of_service.") var status: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let status: BedStatus = try parseChoice(status, "status")
            let bed = try await cli.services.beds.get(siteId: site.id, code: self.bed, actor: cli.actor)
            let changed = try await cli.services.beds.setStatus(
                siteId: site.id, bedId: bed.id, to: status,
                expectedVersion: bed.version, actor: cli.actor)
            print("bed \(changed.code) is \(changed.status.rawValue)")
        }
    }

    struct Attributes: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a bed's room or bay and attributes; what is not given is cleared.",
            discussion:
                "A room's or bay's sex is set on all of its beds at once, and refused while one holds a patient of the other sex.\n"
                + "cordon bed attributes JS-01 A-001 --room 301 --single-sex female --near-station")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Bed code.") var bed: String
        @OptionGroup var attributes: BedAttributeOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let bed = try await cli.services.beds.get(siteId: site.id, code: self.bed, actor: cli.actor)
            let changed = try await cli.services.beds.setAttributes(
                siteId: site.id, bedId: bed.id, try attributes.parsed(), expectedVersion: bed.version,
                actor: cli.actor)
            print("bed \(changed.code): \(changed.attributes.place ?? "no room or bay")")
        }
    }
}

/// A bed's room or bay and attributes, as `bed add` and `bed attributes` take them.
struct BedAttributeOptions: ParsableArguments {
    @Option(help: "The room the bed stands in, e.g. 301.") var room: String?
    @Option(help: "The bay of a hall the bed stands in, e.g. B3 (not with --room).") var bay: String?
    @Flag(help: "Within sight of the nurses' station.") var nearStation = false
    @Flag(help: "Usable from a wheelchair.") var accessible = false
    @Flag(help: "Oxygen at the bedside.") var oxygen = false
    @Option(help: "Keep the whole room or bay for: female or male.") var singleSex: String?

    func parsed() throws -> BedAttributes {
        BedAttributes(
            room: room, bay: bay, nearStation: nearStation, accessible: accessible, oxygen: oxygen,
            singleSex: try singleSex.map { try parseChoice($0, "--single-sex") })
    }
}
