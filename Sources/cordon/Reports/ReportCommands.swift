import ArgumentParser
import Domain
import Services

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports a site owes the district command.",
        subcommands: [DailyReportCommand.self])
}

struct DailyReportCommand: OneSiteCommand {
    static let configuration = CommandConfiguration(
        commandName: "daily",
        abstract:
            "One day in the site's time zone: admitted, discharged (transferred to hospital among them), in care by severity, staff on duty, stock alerts."
    )
    @Argument(help: "Site code.") var site: String
    @Option(help: "The day, YYYY-MM-DD (default today in the site's time zone, so far).") var date: String?
    @Flag(help: "Print one CSV row under its header, to stack with other sites' files.") var csv = false
    @OptionGroup var output: OutputOptions

    var siteCode: String { site }

    func validate() throws {
        if csv && output.json { throw ValidationError("choose one of --csv and --json") }
    }

    func run(_ cli: CLI, site: Site) async throws {
        let day = try date.map { try parseDate($0, "--date") }
        let report = try await cli.services.reports.daily(siteId: site.id, date: day, actor: cli.actor)
        if output.json { return try Output.json(report) }
        if csv { return print(try DailyReportFiles.csv([report]), terminator: "") }
        print(
            "\(report.siteName) (\(report.siteCode)), \(report.date) \(report.timeZone)\(report.dayIsOpen ? ", so far" : "")\n"
        )
        let d = report.discharged
        Output.table(
            ["", "COUNT"],
            [
                ["admitted", String(report.admitted)], ["discharged", String(d.total)],
                ["  released, recovered", String(d.recovered)], ["  transferred to hospital", String(d.transferred)],
                ["  other", String(d.other)], ["in care at the end of the day", String(report.inCare.total)],
            ] + Severity.allCases.map { ["  \($0.rawValue)", String(report.inCare[$0])] } + [
                ["staff on duty", String(report.staffOnDuty)]
            ])
        print("\nStock alerts (\(report.stockAlerts.count)):")
        Output.table(["MEDICATION", "ALERT"], report.stockAlerts.map { [$0.medicationCode, $0.detail] })
    }
}
