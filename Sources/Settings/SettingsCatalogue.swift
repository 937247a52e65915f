/// Every setting Cordon reads, in the order `cordon settings` and the README list them.
extension Setting {
    // The server
    static let host = Setting(
        "HOST", "127.0.0.1", "HTTP address of `cordon serve` (`0.0.0.0` to listen on every interface)")
    static let port = Setting("PORT", "8080", "HTTP port of `cordon serve` (0 picks a free one; the log says which)")
    static let logLevel = Setting(
        "LOG_LEVEL", "info",
        "`trace` … `critical`; `info` logs one line per request (the database driver never logs below `debug`)")
    static let logFormat = Setting(
        "LOG_FORMAT", "text", "`text` for a terminal, or `json`: one object a line for a log shipper")
    static let metricsHost = Setting(
        "METRICS_HOST", "127.0.0.1",
        "address of the Prometheus endpoint `GET /metrics`, on a port of its own, never the API's")
    static let metricsPort = Setting(
        "METRICS_PORT", "9464",
        "port of `GET /metrics` (0 picks a free one; the log says which; `off`: no metrics at all)")
    static let maxBodyBytes = Setting("MAX_BODY_BYTES", "1048576", "largest JSON request body; larger ones get 413")
    static let maxImportBytes = Setting(
        "MAX_IMPORT_BYTES", "8388608",
        "largest file upload (a roster CSV, a laboratory's results as CSV, HL7 v2 or FHIR); larger ones get 413")
    static let labMLLPHost = Setting(
        "LAB_MLLP_HOST", "127.0.0.1",
        "address of the laboratories' HL7 v2 MLLP listener; MLLP has no sign-in (MSH-4 names the laboratory), so expose it only on the laboratories' private link"
    )
    static let labMLLPPort = Setting(
        "LAB_MLLP_PORT", "off", "port of the laboratories' HL7 v2 MLLP listener (`off`: none; 0 picks a free one)")
    static let idleTimeout = Setting(
        "HTTP_IDLE_TIMEOUT_SECONDS", "30",
        "a connection that sends nothing (or an unfinished request head) for this long is closed")
    static let trustedProxies = Setting(
        "TRUSTED_PROXIES", "",
        "load balancers (addresses or networks, e.g. `127.0.0.1,10.0.0.0/8`) whose `X-Forwarded-For` names the client; from any other peer the header is ignored"
    )

    // The database
    static let databaseURL = Setting(
        "DATABASE_URL", "postgres://cordon_app@127.0.0.1:5432/cordon",
        "the database, as the application role; `?sslmode=require|verify-ca|verify-full` (and `sslrootcert=FILE`) for TLS",
        secret: true)
    static let databaseOwnerURL = Setting(
        "DATABASE_OWNER_URL", "",
        "the database as the role that owns the schema, for `cordon migrate` only; DATABASE_URL when unset",
        secret: true)
    static let databaseAppRole = Setting(
        "DATABASE_APP_ROLE", "cordon_app",
        "the role `cordon migrate` grants row access to (read and write rows; append only to the audit trail, security log and ledger)"
    )
    static let poolSize = Setting("DATABASE_POOL_SIZE", "20", "connections the server may open")
    static let databaseTimeout = Setting(
        "DATABASE_TIMEOUT_SECONDS", "10",
        "the longest one use of the database may take, waiting for a connection included; past it the client gets 503 and nothing is written"
    )
    static let statementTimeout = Setting(
        "DATABASE_STATEMENT_TIMEOUT_SECONDS", "5",
        "the longest one statement may run on the server (a roster import may take 120 s)")
    static let startupWait = Setting(
        "DATABASE_STARTUP_WAIT_SECONDS", "0",
        "how long `cordon serve` keeps trying an unreachable database at start, a line per attempt; 0 gives up after one 10 s try"
    )
    static let requestTimeout = Setting(
        "REQUEST_TIMEOUT_SECONDS", "15",
        "the longest a request may take in all, its body included; past it the client gets 503")
    static let shutdownDrain = Setting(
        "SHUTDOWN_DRAIN_SECONDS", "2",
        "on SIGTERM, how long the server keeps accepting and answering while `/health/ready` says 503, so a load balancer takes it out of rotation before it closes its port"
    )
    static let shutdownGrace = Setting(
        "SHUTDOWN_GRACE_SECONDS", "10", "on SIGTERM, how long requests and deliveries in flight may take to finish")

    // Access
    static let tokenDays = Setting("TOKEN_DAYS", "90", "how long a bearer token lives unless issued with `--days`")
    static let consoleIdle = Setting(
        "CONSOLE_IDLE_MINUTES", "30",
        "a web console session unused for this long ends (every session ends 12 h after sign-in)")
    static let idempotencyHours = Setting(
        "IDEMPOTENCY_KEY_HOURS", "24", "how long the first answer to an `Idempotency-Key` is kept for replays")

    // Clinical rules and stock
    static let dischargeCt = Setting(
        "DISCHARGE_CT_THRESHOLD", "35", "Ct value at or above which a test counts as clear")
    static let dischargeInterval = Setting(
        "DISCHARGE_MIN_INTERVAL_HOURS", "24", "least time between the two qualifying tests")
    static let expiryMargin = Setting(
        "STOCK_EXPIRY_MARGIN_DAYS", "7",
        "lots expiring within this many days are dispensed only with an override and a reason")
    static let coverAlert = Setting(
        "STOCK_COVER_ALERT_DAYS", "3", "alert when a medicine's stock covers fewer days of its current orders")

    // Referrals and webhooks
    static let referralTargets = Setting(
        "REFERRAL_TARGETS", "",
        "time targets over the defaults (urgent: respond 2h, schedule 6h, arrive 24h; emergency 30m/1h/6h; routine 1d/3d/7d), e.g. `urgent.respond=2h,routine.arrive=7d`"
    )
    static let webhookRetryBase = Setting(
        "WEBHOOK_RETRY_BASE_SECONDS", "30", "wait after a failed webhook delivery; each later wait doubles")
    static let webhookRetryMax = Setting("WEBHOOK_RETRY_MAX_SECONDS", "3600", "longest wait between two attempts")
    static let webhookAttempts = Setting(
        "WEBHOOK_MAX_ATTEMPTS", "12", "attempts before an event is dead-lettered (about 5 hours with the defaults)")
    static let webhookTimeout = Setting(
        "WEBHOOK_TIMEOUT_SECONDS", "10", "time limit of one delivery attempt, reading the answer included")
    static let webhookConcurrency = Setting("WEBHOOK_CONCURRENCY", "8", "deliveries in flight at once")
    static let webhookPoll = Setting(
        "WEBHOOK_POLL_SECONDS", "30",
        "longest sleep between looks at the outbox when nothing is due (new events wake the dispatcher at once, retries at their time)"
    )
    static let webhookRetention = Setting(
        "WEBHOOK_RETENTION_DAYS", "30",
        "delivered webhook events and their attempts are removed this long after delivery (pending and dead ones stay)")
    static let webhookPrivate = Setting(
        "WEBHOOK_ALLOW_PRIVATE_NETWORKS", "false",
        "let webhook URLs reach loopback and private addresses, and use plain http there (a lab, the tests)")

    // The Party branch
    static let checkInBaseURL = Setting(
        "CHECKIN_BASE_URL", "http://127.0.0.1:8080",
        "Cordon's public address: check-in QR codes (`…/check-in?code=…`) and password-reset links point at it, and console cookies are `Secure` when it is https"
    )
    static let checkInDays = Setting(
        "CHECKIN_CODE_DAYS", "14",
        "how long a check-in code stays valid unless issued for another number of days (1-90)")

    // Going home
    static let committeeAckHours = Setting(
        "COMMITTEE_ACK_HOURS", "2",
        "hours a residential committee has to acknowledge who comes home on a bus before the notice is overdue (1-72)")

    // The deterioration watch
    static let alertEscalateMinutes = Setting(
        "ALERT_ESCALATE_MINUTES", "15",
        "minutes a deterioration alert (NEWS2 5 or more, or a 3 in one parameter) may wait for a clinician's acknowledgement before it goes to the site's managers (1-240)"
    )

    /// Every setting, in the order they are documented.
    public static let all: [Setting] = [
        host, port, logLevel, logFormat, metricsHost, metricsPort, maxBodyBytes, maxImportBytes, labMLLPHost,
        labMLLPPort, idleTimeout,
        trustedProxies, databaseURL, databaseOwnerURL, databaseAppRole, poolSize, databaseTimeout, statementTimeout,
        startupWait,
        requestTimeout, shutdownDrain, shutdownGrace,
        tokenDays, consoleIdle, idempotencyHours,
        dischargeCt, dischargeInterval, expiryMargin, coverAlert,
        referralTargets, webhookRetryBase, webhookRetryMax, webhookAttempts, webhookTimeout, webhookConcurrency,
        webhookPoll, webhookRetention, webhookPrivate,
        checkInBaseURL, checkInDays, committeeAckHours, alertEscalateMinutes,
    ]
}
