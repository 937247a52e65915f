import Domain
import Foundation
import Logging
import Storage

/// Settings the use cases read; `CordonConfiguration` reads each from its environment variable.
public struct ServiceSettings: Sendable {
    /// The release-from-isolation thresholds (`DISCHARGE_CT_THRESHOLD`, `DISCHARGE_MIN_INTERVAL_HOURS`).
    public var dischargeRule: DischargeRule
    /// How many days the census shows by default.
    public var censusDays: Int
    /// Lots expiring within this many days are dispensed only with an override (`STOCK_EXPIRY_MARGIN_DAYS`).
    public var expiryMarginDays: Int
    /// Days of cover below which a medicine is alerted (`STOCK_COVER_ALERT_DAYS`).
    public var coverAlertDays: Double
    /// The public address a check-in QR code points at (`CHECKIN_BASE_URL`).
    public var checkInBaseURL: String = "http://127.0.0.1:8080"
    /// How long a check-in code stays valid by default (`CHECKIN_CODE_DAYS`).
    public var checkInCodeDays: Int = 14
    /// Hours a residential committee has to acknowledge who comes home (`COMMITTEE_ACK_HOURS`).
    public var committeeAckHours: Int = 2
    /// Minutes a deterioration alert may wait for a clinician before it goes to the site's
    /// managers (`ALERT_ESCALATE_MINUTES`).
    public var alertEscalateMinutes: Int = 15
    /// Time targets of referral steps per urgency (`REFERRAL_TARGETS`).
    public var referralTargets: ReferralTargets = .defaults
    /// Webhook delivery: backoff, dead letter, timeout, concurrency (`WEBHOOK_*`).
    public var webhooks = WebhookSettings()
    /// How long a bearer token lives unless issued for another time (`TOKEN_DAYS`).
    public var tokenLifetime: TimeInterval = 90 * 86_400
    /// How long the first answer to an `Idempotency-Key` is kept (`IDEMPOTENCY_KEY_HOURS`).
    public var idempotencyRetention: TimeInterval = 24 * 3600
    /// How long the database may take (`DATABASE_TIMEOUT_SECONDS`, `DATABASE_STATEMENT_TIMEOUT_SECONDS`).
    public var databaseLimits = DatabaseLimits()
    /// Console sessions and sign-in throttling (`CONSOLE_IDLE_MINUTES`).
    public var consoleSessions = ConsoleSessionPolicy()

    public init(
        dischargeRule: DischargeRule = DischargeRule(), censusDays: Int = 14, expiryMarginDays: Int = 7,
        coverAlertDays: Double = 3
    ) {
        self.dischargeRule = dischargeRule
        self.censusDays = censusDays
        self.expiryMarginDays = expiryMarginDays
        self.coverAlertDays = coverAlertDays
    }
}

/// Where the database is and how Cordon uses it (`DATABASE_*`).
public typealias DatabaseSettings = Storage.DatabaseSettings
/// How long the database may take.
public typealias DatabaseLimits = Storage.DatabaseLimits

/// Every use case of Cordon, over one database. The HTTP API and the CLI both call these.
public struct CordonServices: Sendable {
    /// The connection pool: run it as a lifecycle service for as long as the services are used.
    public let database: Database
    public let settings: ServiceSettings
    public let sites: SiteService
    public let beds: BedService
    public let patients: PatientService
    public let intake: IntakeService
    public let districts: DistrictService
    public let census: CensusService
    public let reports: DailyReportService
    public let access: AccessService
    public let audit: AuditService
    public let health: HealthService
    public let schema: SchemaService
    public let stock: StockService
    public let stockCover: StockCoverService
    public let care: CareService
    public let swabs: SwabService
    public let laboratories: LaboratoryService
    public let labResults: LabResultService
    public let releases: ReleaseService
    public let certificates: CertificateService
    public let committees: CommitteeService
    public let buses: BusService
    public let committeeNotices: CommitteeNoticeService
    public let vitalSigns: VitalSignsService
    public let alerts: AlertService
    public let staff: StaffService
    public let roster: RosterService
    public let rosterFiles: RosterFiles
    public let branch: BranchService
    public let hospitals: HospitalService
    public let referrals: ReferralService
    public let webhooks: WebhookService
    public let security: SecurityLogService
    public let console: ConsoleAccessService

    /// The services over a pool of `poolSize` connections to `url`; run `database` (a lifecycle
    /// service) for as long as they are used.
    public init(url: String, poolSize: Int, settings: ServiceSettings, logger: Logger) throws {
        self.init(
            database: try Database(
                url: url, poolSize: poolSize, limits: settings.databaseLimits,
                idempotencyRetention: settings.idempotencyRetention, logger: logger),
            settings: settings)
    }

    /// The services over `database`.
    public init(database: Database, settings: ServiceSettings) {
        self.database = database
        self.settings = settings
        self.sites = SiteService(database: database)
        self.beds = BedService(database: database)
        let patients = PatientService(database: database, rule: settings.dischargeRule)
        self.patients = patients
        self.census = CensusService(database: database, settings: settings)
        let access = AccessService(database: database, tokenLifetime: settings.tokenLifetime, tokenCache: TokenCache())
        self.access = access
        self.audit = AuditService(database: database)
        self.schema = SchemaService(database: database)
        self.health = HealthService(schema: schema)
        let stock = StockService(database: database, picker: FEFOPicker(marginDays: settings.expiryMarginDays))
        self.stock = stock
        let stockCover = StockCoverService(database: database, coverAlertDays: settings.coverAlertDays)
        self.stockCover = stockCover
        self.reports = DailyReportService(database: database, stockCover: stockCover)
        self.districts = DistrictService(
            database: database, stockCover: stockCover, referralTargets: settings.referralTargets,
            committeeAckHours: settings.committeeAckHours)
        self.care = CareService(database: database, stock: stock, stockCover: stockCover)
        self.swabs = SwabService(database: database)
        self.laboratories = LaboratoryService(database: database, settings: settings)
        self.labResults = LabResultService(database: database, rule: settings.dischargeRule)
        self.releases = ReleaseService(database: database)
        self.committees = CommitteeService(
            database: database, allowPrivateNetworks: settings.webhooks.allowPrivateNetworks)
        let noticeLinks = CommitteeNoticeLinks(
            baseURL: settings.checkInBaseURL, ackHours: settings.committeeAckHours)
        self.buses = BusService(database: database, noticeLinks: noticeLinks)
        self.committeeNotices = CommitteeNoticeService(database: database, links: noticeLinks)
        self.vitalSigns = VitalSignsService(database: database)
        self.alerts = AlertService(database: database, escalateMinutes: settings.alertEscalateMinutes)
        self.certificates = CertificateService(
            database: database, rule: settings.dischargeRule, baseURL: settings.checkInBaseURL)
        self.staff = StaffService(database: database)
        let roster = RosterService(database: database)
        self.roster = roster
        self.rosterFiles = RosterFiles(database: database, roster: roster)
        self.branch = BranchService(database: database, settings: settings)
        self.hospitals = HospitalService(database: database, settings: settings)
        self.referrals = ReferralService(database: database, targets: settings.referralTargets)
        self.webhooks = WebhookService(database: database)
        let security = SecurityLogService(database: database)
        self.security = security
        self.intake = IntakeService(database: database, patients: patients, security: security)
        self.console = ConsoleAccessService(database: database, security: security, policy: settings.consoleSessions)
    }

    /// The service that prunes what is kept only for a while (see `Housekeeping`).
    public func housekeeping(interval: TimeInterval = 600) -> Housekeeping {
        Housekeeping(
            database: database, interval: interval, consoleIdle: settings.consoleSessions.idle,
            webhookRetention: settings.webhooks.retention)
    }

    /// The service that listens for token, grant and user changes and keeps the token cache true.
    public func accessChangeListener() -> AccessChangeListener {
        AccessChangeListener(database: database, cache: access.tokenCache, logger: database.logger)
    }

    /// The service that brings the stored release flags in line with the configured rule.
    public func releaseFlagsCheck() -> ReleaseFlagsCheck {
        ReleaseFlagsCheck(patients: patients, logger: database.logger)
    }

    /// The service that records the sites' figures as metrics every `interval` seconds.
    public func siteGauges(interval: TimeInterval = 30) -> SiteGauges {
        SiteGauges(services: self, interval: interval)
    }

    /// The service that delivers the webhook outbox, with these settings.
    public func webhookDispatcher(settings: WebhookSettings? = nil) -> WebhookDispatcher {
        WebhookDispatcher(database: database, settings: settings ?? self.settings.webhooks, logger: database.logger)
    }
}
