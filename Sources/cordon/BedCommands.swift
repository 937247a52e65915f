import ArgumentParser
import Domain
import Services

struct BedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bed", abstract: "Add and list beds.", subcommands: [Add.self, List.self, Status.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add one bed, or a numbered range of beds.",
            discussion: "cordon bed add JS-01 --zone A --code A-001\ncordon bed add JS-01 --zone A --prefix A- --from 1 --to 120")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Zone code.") var zone: String
        @Option(help: "One bed's code.") var code: String?
        @Option(help: "Prefix of a range, e.g. A-.") var prefix: String?
        @Option(help: "First number of a range.") var from: Int?
        @Option(help: "Last number of a range.") var to: Int?
        @Option(help: "Digits of a range's numbers, zero-padded.") var width = 3

        func validate() throws {
            if (code == nil) == (from == nil || to == nil) {
                throw ValidationError("give either --code, or --from and --to (with --prefix) for a range")
            }
        }

        func run() async throws {
            let (siteCode, zoneCode, code, prefix, from, to, width) = (site, zone, code, prefix ?? "", from, to, width)
            try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                let zone = try await services.sites.zone(siteId: site.id, code: zoneCode, actor: actor)
                if let code {
                    let bed = try await services.beds.create(siteId: site.id, zoneId: zone.id, code: code, actor: actor)
                    print("bed \(bed.code) created with id \(bed.id)")
                } else {
                    let beds = try await services.beds.createRange(
                        siteId: site.id, BedRange(zoneId: zone.id, prefix: prefix, first: from!, last: to!, width: width), actor: actor)
                    print("\(beds.count) beds created: \(beds.first!.code) to \(beds.last!.code)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List beds of a site.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Only this zone (code).") var zone: String?
        @Option(help: "Only this status: free, occupied, cleaning, out_of_service.") var status: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let status: BedStatus? = try status.map { try parseChoice($0, "--status") }
            let (siteCode, zoneCode, json) = (site, zone, output.json)
            try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                let zones = try await services.sites.zones(siteId: site.id, actor: actor)
                let zoneId = try zoneCode.map { code in
                    guard let zone = zones.first(where: { $0.code == code }) else { throw DomainError.notFound("no zone \(code) at this site") }
                    return zone.id
                }
                let beds = try await allPages {
                    try await services.beds.list(siteId: site.id, zoneId: zoneId, status: status, page: $0, actor: actor)
                }
                if json { return try Output.json(beds) }
                let zoneCodes = Dictionary(uniqueKeysWithValues: zones.map { ($0.id, $0.code) })
                Output.table(["ID", "CODE", "ZONE", "STATUS"], beds.map {
                    [String($0.id), $0.code, zoneCodes[$0.zoneId] ?? "", $0.status.rawValue]
                })
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a bed free, cleaning or out of service (occupancy changes only by admission, move and discharge).")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Bed code.") var bed: String
        @Argument(help: "free, cleaning or out_of_service.") var status: String

        func run() async throws {
            let status: BedStatus = try parseChoice(status, "status")
            let (siteCode, bedCode) = (site, bed)
            try await CordonEnvironment.withSite(siteCode) { services, site, actor in
                let bed = try await services.beds.get(siteId: site.id, code: bedCode, actor: actor)
                let changed = try await services.beds.setStatus(siteId: site.id, bedId: bed.id, to: status,
                                                                expectedVersion: bed.version, actor: actor)
                print("bed \(changed.code) is \(changed.status.rawValue)")
            }
        }
    }
}
