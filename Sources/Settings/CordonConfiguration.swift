import Configuration
import Domain
import Foundation
import Logging
import Services

/// Everything Cordon is configured with, read once at start-up from the environment and checked:
/// a value that cannot be used stops the command with the variable's name and what it must be.
public struct CordonConfiguration: Sendable {
    public var database: DatabaseSettings
    /// How long `cordon serve` keeps trying an unreachable database at start (0: one 10 s try).
    public var startupWaitSeconds: Double
    /// On SIGTERM, how long the server keeps answering while it says it is not ready.
    public var shutdownDrainSeconds: Double
    /// On SIGTERM, after the drain, how long work in flight may take to finish.
    public var shutdownGraceSeconds: Double
    public var http: HTTPSettings
    public var logLevel: Logger.Level
    /// Log lines as JSON objects (`LOG_FORMAT=json`) rather than text.
    public var logAsJSON: Bool
    /// Where `GET /metrics` listens: `METRICS_HOST` and `METRICS_PORT`; nil when `off` (nothing
    /// is measured then).
    public var metricsHost: String
    public var metricsPort: Int?
    /// Where the laboratories' MLLP listener listens (`LAB_MLLP_HOST`, `LAB_MLLP_PORT`); no port, none.
    public var labMLLPHost: String = "127.0.0.1"
    public var labMLLPPort: Int?
    public var services: ServiceSettings

    /// Reads and checks every setting in `environment` (the process's by default).
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> CordonConfiguration
    {
        let secrets = Set(Setting.all.filter(\.isSecret).map(\.name))
        let provider = EnvironmentVariablesProvider(
            environmentVariables: environment, secretsSpecifier: .specific(secrets))
        return try load(SettingsReader(reader: ConfigReader(provider: provider)))
    }

    static func load(_ r: SettingsReader) throws -> CordonConfiguration {
        guard let logLevel = Logger.Level(rawValue: r.text(.logLevel).lowercased()) else {
            throw r.refused(
                .logLevel, "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))",
                r.text(.logLevel))
        }
        let format = r.text(.logFormat).lowercased()
        guard format == "text" || format == "json" else {
            throw r.refused(.logFormat, "must be text or json", r.text(.logFormat))
        }
        let host = r.text(.host)
        guard !host.isEmpty, host.count <= 255, host.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw r.refused(.host, "must be an address or host name", host)
        }
        let http = HTTPSettings(
            host: host, port: try r.int(.port, 0...65535, "port"),
            limits: RequestLimits(
                jsonBodyBytes: try r.int(.maxBodyBytes, 1024...(64 << 20), "bytes"),
                importBodyBytes: try r.int(.maxImportBytes, 1024...(256 << 20), "bytes"),
                idleTimeoutSeconds: try r.int(.idleTimeout, 1...3600, "seconds"),
                requestSeconds: try r.double(.requestTimeout, 1...3600, "seconds")),
            trustedProxies: try trustedProxies(r))
        var services = try services(r)
        services.databaseLimits = DatabaseLimits(
            callSeconds: try r.double(.databaseTimeout, 0.5...600, "seconds"),
            statementSeconds: try r.double(.statementTimeout, 0.1...600, "seconds"))
        guard services.databaseLimits.statementSeconds < services.databaseLimits.callSeconds else {
            throw ConfigurationError(
                "DATABASE_STATEMENT_TIMEOUT_SECONDS (\(r.text(.statementTimeout))) must be below DATABASE_TIMEOUT_SECONDS (\(r.text(.databaseTimeout))): the server gives up first, so a slow statement ends in an answer"
            )
        }
        var configuration = CordonConfiguration(
            database: try database(r), startupWaitSeconds: try r.double(.startupWait, 0...86_400, "seconds"),
            shutdownDrainSeconds: try r.double(.shutdownDrain, 0...60, "seconds"),
            shutdownGraceSeconds: try r.double(.shutdownGrace, 0...600, "seconds"),
            http: http, logLevel: logLevel, logAsJSON: format == "json", metricsHost: r.text(.metricsHost),
            metricsPort: r.text(.metricsPort).lowercased() == "off" ? nil : try r.int(.metricsPort, 0...65535, "port"),
            services: services)
        configuration.labMLLPHost = r.text(.labMLLPHost)
        configuration.labMLLPPort =
            r.text(.labMLLPPort).lowercased() == "off" ? nil : try r.int(.labMLLPPort, 0...65535, "port")
        return configuration
    }

    static func trustedProxies(_ r: SettingsReader) throws -> TrustedProxies {
        let text = r.optionalText(.trustedProxies) ?? ""
        do {
            return try TrustedProxies(parsing: text)
        } catch let error as TrustedProxiesError {
            throw r.refused(.trustedProxies, "must list IP addresses or networks: \(error)", text)
        }
    }

    static func database(_ r: SettingsReader) throws -> DatabaseSettings {
        let url = r.text(.databaseURL)
        do {
            return try DatabaseSettings(
                url: url, ownerURL: r.optionalText(.databaseOwnerURL).flatMap { $0.isEmpty ? nil : $0 },
                appRole: try role(r), poolSize: try r.int(.poolSize, 1...1000, "connections"))
        } catch let error as ConfigurationError {
            throw error
        }
    }

    static func role(_ r: SettingsReader) throws -> String {
        let role = r.text(.databaseAppRole)
        guard role.range(of: #"^[a-z_][a-z0-9_]{0,62}$"#, options: .regularExpression) != nil else {
            throw r.refused(
                .databaseAppRole, "must be a PostgreSQL role name (lower-case letters, digits, underscores)", role)
        }
        return role
    }

    static func services(_ r: SettingsReader) throws -> ServiceSettings {
        var s = ServiceSettings()
        s.dischargeRule.ctThreshold = try r.double(.dischargeCt, NucleicAcidTestEntry.ctRange, "cycles")
        s.dischargeRule.minimumInterval = try r.double(.dischargeInterval, 0...336, "hours") * 3600
        s.expiryMarginDays = try r.int(.expiryMargin, 0...365, "days")
        s.coverAlertDays = try r.double(.coverAlert, 0...365, "days")
        s.tokenLifetime = Double(try r.int(.tokenDays, 1...3650, "days")) * 86_400
        s.idempotencyRetention = Double(try r.int(.idempotencyHours, 1...720, "hours")) * 3600
        s.consoleSessions.idle = Double(try r.int(.consoleIdle, 1...720, "minutes")) * 60
        if let targets = r.optionalText(.referralTargets), !targets.isEmpty {
            s.referralTargets = try ReferralTargets.parse(targets)
        }
        s.checkInCodeDays = try r.int(.checkInDays, 1...90, "days")
        s.committeeAckHours = try r.int(.committeeAckHours, 1...72, "hours")
        s.alertEscalateMinutes = try r.int(.alertEscalateMinutes, 1...240, "minutes")
        let base = r.text(.checkInBaseURL)
        guard let url = URL(string: base), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
            !base.hasSuffix("/")
        else {
            throw r.refused(
                .checkInBaseURL, "must be an http(s) address without a trailing slash, e.g. https://cordon.example.org",
                base)
        }
        s.checkInBaseURL = base
        s.webhooks = try webhooks(r)
        return s
    }

    static func webhooks(_ r: SettingsReader) throws -> WebhookSettings {
        var w = WebhookSettings()
        w.retry.baseDelay = try r.double(.webhookRetryBase, 0.01...86_400, "seconds")
        w.retry.maximumDelay = try r.double(.webhookRetryMax, 0.01...604_800, "seconds")
        w.retry.maximumAttempts = try r.int(.webhookAttempts, 1...100, "attempts")
        w.timeout = try r.double(.webhookTimeout, 0.1...300, "seconds")
        w.concurrency = try r.int(.webhookConcurrency, 1...256, "deliveries")
        w.pollInterval = try r.double(.webhookPoll, 0.01...3600, "seconds")
        w.allowPrivateNetworks = try r.bool(.webhookPrivate)
        w.retention = Double(try r.int(.webhookRetention, 1...3650, "days")) * 86_400
        guard w.retry.maximumDelay >= w.retry.baseDelay else {
            throw ConfigurationError(
                "WEBHOOK_RETRY_MAX_SECONDS (\(r.text(.webhookRetryMax))) must not be below WEBHOOK_RETRY_BASE_SECONDS (\(r.text(.webhookRetryBase)))"
            )
        }
        return w
    }
}
