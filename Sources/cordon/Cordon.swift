import ArgumentParser

/// The one Cordon executable: the server, the migrator, the demo-data loader and admin commands.
@main
struct Cordon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cordon",
        abstract: "Records of a centralised isolation and treatment site.",
        discussion: """
            Configuration comes from the environment:
              DATABASE_URL   postgres://user:password@host:port/database (default \(CordonEnvironment.defaultDatabaseURL))
              PORT           HTTP port for `cordon serve` (default 8080)
              HOST           HTTP address for `cordon serve` (default 127.0.0.1)
              LOG_LEVEL      trace, debug, info, notice, warning, error (default info)
              DISCHARGE_CT_THRESHOLD, DISCHARGE_MIN_INTERVAL_HOURS   release rule (default 35 and 24)
              STOCK_EXPIRY_MARGIN_DAYS   short-dated lots need an override (default 7)
              STOCK_COVER_ALERT_DAYS     alert when cover is shorter (default 3)
              REFERRAL_TARGETS           referral time targets, e.g. urgent.respond=2h,urgent.arrive=24h
              CHECKIN_BASE_URL           where check-in QR codes point (default http://127.0.0.1:8080)
              CHECKIN_CODE_DAYS          how long a check-in code is valid (default 14)
              WEBHOOK_RETRY_BASE_SECONDS first wait after a failed delivery, doubling (default 30)
              WEBHOOK_RETRY_MAX_SECONDS  longest wait between attempts (default 3600)
              WEBHOOK_MAX_ATTEMPTS       attempts before the dead letter (default 12)
              WEBHOOK_TIMEOUT_SECONDS    one attempt's time limit (default 10)
              WEBHOOK_CONCURRENCY        deliveries in flight at once (default 8)
              WEBHOOK_POLL_SECONDS       longest sleep between looks at the outbox (default 1)
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, SeedCommand.self,
            SiteCommand.self, ZoneCommand.self, BedCommand.self, PatientCommand.self, TestResultCommand.self,
            CensusCommand.self, UserCommand.self, GrantCommand.self, TokenCommand.self, AuditCommand.self,
            MedicationCommand.self, StockCommand.self, CarePlanCommand.self, WorklistCommand.self,
            TeamCommand.self, StaffCommand.self, TrainingCommand.self, ShiftCommand.self, RosterCommand.self, BranchCommand.self,
            HospitalCommand.self, ReferralCommand.self, WebhookCommand.self,
        ])
}
