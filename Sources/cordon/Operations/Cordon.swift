import ArgumentParser
import Settings

/// The one Cordon executable: the server, the migrator, the demo-data loader and admin commands.
@main
struct Cordon: AsyncParsableCommand {
    /// Runs the command, once malloc's arenas are limited (before any other thread allocates).
    static func main() async {
        MallocArenas.limit()
        ConcurrencyExecutor.install()
        await main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "cordon",
        abstract: "Records of a centralised isolation and treatment site.",
        discussion:
            "Settings come from the environment; `cordon settings` shows each with its meaning and the value in force.\n"
            + SettingsDocumentation.helpText,
        version: BuildInfo.description,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, SeedCommand.self, SettingsCommand.self,
            SiteCommand.self, ZoneCommand.self, BedCommand.self, PatientCommand.self, TestResultCommand.self,
            CensusCommand.self, UserCommand.self, GrantCommand.self, TokenCommand.self, AuditCommand.self,
            SecurityLogCommand.self,
            MedicationCommand.self, StockCommand.self, CarePlanCommand.self, WorklistCommand.self,
            TeamCommand.self, StaffCommand.self, TrainingCommand.self, ShiftCommand.self, RosterCommand.self,
            BranchCommand.self,
            HospitalCommand.self, ReferralCommand.self, WebhookCommand.self, MaintenanceCommand.self,
            ReportCommand.self, IntakeCommand.self, DistrictCommand.self, SwabCommand.self, LaboratoryCommand.self,
            ReleaseCommand.self, CommitteeCommand.self, VitalsCommand.self, AlertsCommand.self,
        ])
}
