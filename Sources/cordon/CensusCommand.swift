import ArgumentParser
import Domain
import Services

struct CensusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "census", abstract: "Beds by zone and status, admissions and discharges per day, and who may be released.")
    @Argument(help: "Site code.") var site: String
    @Option(help: "Last day shown, YYYY-MM-DD (default today in the site's time zone).") var until: String?
    @Option(help: "How many days to show.") var days: Int?
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let through = try until.map { try parseDate($0, "--until") }
        let (siteCode, days, json) = (site, days, output.json)
        try await CordonEnvironment.withSite(siteCode) { services, site, actor in
            let census = try await services.census.census(siteId: site.id, through: through, days: days, actor: actor)
            if json { return try Output.json(census) }
            print("\(site.name): \(census.admittedPatients) patients admitted, \(census.totals.occupied) of \(census.totals.total) beds occupied\n")
            Output.table(["ZONE", "KIND", "FREE", "OCCUPIED", "CLEANING", "OUT OF SERVICE", "TOTAL"],
                         census.bedsByZone.map { z in
                             [z.zoneCode, z.zoneKind.rawValue, String(z.beds.free), String(z.beds.occupied), String(z.beds.cleaning),
                              String(z.beds.outOfService), String(z.beds.total)]
                         })
            print("")
            Output.table(["DATE", "ADMISSIONS", "DISCHARGES"], census.days.map { [$0.date.description, String($0.admissions), String($0.discharges)] })
            print("\nEligible for release (\(census.eligibleForDischarge.count)):")
            Output.table(["PATIENT", "NAME", "BED"], census.eligibleForDischarge.map { [String($0.patientId), $0.name, $0.bedCode ?? ""] })
        }
    }
}
