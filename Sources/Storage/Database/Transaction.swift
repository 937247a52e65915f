import Domain
import Logging
import PostgresNIO

/// One unit of work on the database: a transaction (or, for a read, one connection) with every
/// repository on it, and the actor whose changes its audit trail records. Services describe what
/// they need of it; only Storage holds the connection, so only Storage writes SQL.
///
///     try await database.transaction(actor) { tx in
///         let shelf = try await tx.stock.lockStock(...)
///         try await tx.audit.record("dispense", ...)
///     }
public struct Transaction: Sendable {
    let connection: SQLConnection
    let logger: Logger
    /// Who acts: authorisation was checked for them, and the audit trail names them.
    public let actor: Actor

    init(_ connection: PostgresConnection, logger: Logger, actor: Actor) {
        self.connection = SQLConnection(connection)
        self.logger = logger
        self.actor = actor
    }

    /// The audit entries of this unit's changes, written in its transaction.
    public var audit: AuditTrail { AuditTrail(repository: auditLog, actor: actor) }

    /// The audit trail naming `actor` instead: for work whose actor is known only inside it,
    /// such as a patient found by a check-in.
    public func audit(as actor: Actor) -> AuditTrail { AuditTrail(repository: auditLog, actor: actor) }

    public var access: AccessRepository { .init(connection, logger: logger) }
    public var auditLog: AuditRepository { .init(connection, logger: logger) }
    public var beds: BedRepository { .init(connection, logger: logger) }
    public var branch: BranchRepository { .init(connection, logger: logger) }
    public var calendarFeeds: CalendarFeedRepository { .init(connection, logger: logger) }
    public var consoleSessions: ConsoleSessionRepository { .init(connection, logger: logger) }
    public var care: CareRepository { .init(connection, logger: logger) }
    public var census: CensusRepository { .init(connection, logger: logger) }
    public var hospitals: HospitalRepository { .init(connection, logger: logger) }
    public var intake: IntakeRepository { .init(connection, logger: logger) }
    public var laboratories: LaboratoryRepository { .init(connection, logger: logger) }
    public var labResults: LabResultRepository { .init(connection, logger: logger) }
    public var districts: DistrictRepository { .init(connection, logger: logger) }
    public var patients: PatientRepository { .init(connection, logger: logger) }
    public var releases: ReleaseRepository { .init(connection, logger: logger) }
    public var certificates: CertificateRepository { .init(connection, logger: logger) }
    public var committees: CommitteeRepository { .init(connection, logger: logger) }
    public var buses: BusRepository { .init(connection, logger: logger) }
    public var committeeNotices: CommitteeNoticeRepository { .init(connection, logger: logger) }
    public var vitalSigns: VitalSignsRepository { .init(connection, logger: logger) }
    public var alerts: DeteriorationAlertRepository { .init(connection, logger: logger) }
    public var rateLimits: RateLimitRepository { .init(connection, logger: logger) }
    public var referrals: ReferralRepository { .init(connection, logger: logger) }
    public var reports: ReportRepository { .init(connection, logger: logger) }
    public var securityLog: SecurityLogRepository { .init(connection, logger: logger) }
    public var shifts: ShiftRepository { .init(connection, logger: logger) }
    public var sites: SiteRepository { .init(connection, logger: logger) }
    public var specimens: SpecimenRepository { .init(connection, logger: logger) }
    public var staff: StaffRepository { .init(connection, logger: logger) }
    public var stock: StockRepository { .init(connection, logger: logger) }
    public var webhooks: WebhookRepository { .init(connection, logger: logger) }
    public var metrics: MetricsRepository { .init(connection, logger: logger) }
    public var idempotency: IdempotencyRepository { .init(connection, logger: logger) }

    /// Makes this transaction a read-only snapshot; must come before its first query.
    func beginSnapshot() async throws {
        try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
    }

    /// Waits for the advisory lock named `name` (for `scope`, e.g. a site) and holds it until the
    /// transaction ends: work that must not run twice at once, across every instance.
    public func lock<Tag>(_ name: String, scope: Tagged<Tag, Int64>) async throws {
        try await lock(name, scope: scope.rawValue)
    }

    public func lock(_ name: String, scope: Int64 = 0) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtext(\(name)), \(Int32(truncatingIfNeeded: scope)))",
            logger: logger)
    }

    /// Takes the advisory lock named `name` if no one holds it, until the transaction ends.
    public func tryLock(_ name: String, scope: Int64 = 0) async throws -> Bool {
        try await connection.single(
            "SELECT pg_try_advisory_xact_lock(hashtext(\(name)), \(Int32(truncatingIfNeeded: scope)))",
            as: Bool.self, logger: logger)
    }
}
