import ArgumentParser
import Domain
import Services

struct CensusCommand: OneSiteCommand {
    static let configuration = CommandConfiguration(
        commandName: "census",
        abstract: "Beds by zone and status, admissions and discharges per day, and who may be released.")
    @Argument(help: "Site code.") var site: String
    @Option(help: "Last day shown, YYYY-MM-DD (default today in the site's time zone).") var until: String?
    @Option(help: "How many days to show.") var days: Int?
    @OptionGroup var output: OutputOptions

    var siteCode: String { site }

    func run(_ cli: CLI, site: Site) async throws {
        let through = try until.map { try parseDate($0, "--until") }
        let census = try await cli.services.census.census(
            siteId: site.id, through: through, days: days, actor: cli.actor)
        if output.json { return try Output.json(census) }
        print(
            "\(site.name): \(census.admittedPatients) patients admitted, \(census.totals.occupied) of \(census.totals.total) beds occupied\n"
        )
        Output.table(
            ["ZONE", "KIND", "FREE", "OCCUPIED", "CLEANING", "OUT OF SERVICE", "TOTAL"],
            census.bedsByZone.map { z in
                [
                    z.zoneCode, z.zoneKind.rawValue, String(z.beds.free), String(z.beds.occupied),
                    String(z.beds.cleaning),
                    String(z.beds.outOfService), String(z.beds.total),
                ]
            })
        print("")
        Output.table(
            ["DATE", "ADMISSIONS", "DISCHARGES"],
            census.days.map { [$0.date.description, String($0.admissions), String($0.discharges)] })
        let listed = census.eligibleForDischarge.count
        print(
            "\nEligible for release (\(census.eligibleForDischargeCount)\(listed < census.eligibleForDischargeCount ? ", the first \(listed)" : "")):"
        )
        Output.table(
            ["PATIENT", "NAME", "BED"],
            census.eligibleForDischarge.map { [String($0.patientId), $0.name, $0.bedCode ?? ""] })
    }
}
