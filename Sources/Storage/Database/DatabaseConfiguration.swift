import Domain
import Foundation
import Logging
import PostgresNIO

/// Connection settings parsed from a `postgres://user:password@host:port/database?sslmode=…` URL.
public struct DatabaseConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// `sslrootcert`: a PEM file of the certificate authorities to trust; the system's otherwise.
    public var rootCertificatePath: String?

    /// libpq's `sslmode`, honoured as libpq does (`allow` is not offered: it tries plain text first).
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain text.
        case disable
        /// TLS when the server offers it, without checking its certificate; plain text otherwise. libpq's default.
        case prefer
        /// TLS or nothing; the certificate is checked only when `sslrootcert` names a CA (as libpq does).
        case require
        /// TLS, with a certificate signed by a trusted authority.
        case verifyCA = "verify-ca"
        /// TLS, with a trusted certificate issued for the host connected to.
        case verifyFull = "verify-full"
    }

    public init(url: String) throws {
        guard let components = URLComponents(string: url),
            ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError(
                "DATABASE_URL must look like postgres://user:password@host:5432/database, got \(Self.redact(url))")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = components.user?.removingPercentEncoding ?? "postgres"
        self.password = components.password?.removingPercentEncoding
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.database = path.isEmpty ? "cordon" : path
        let query = components.queryItems ?? []
        let mode = query.last { $0.name == "sslmode" }?.value ?? TLSMode.prefer.rawValue
        guard let tls = TLSMode(rawValue: mode) else {
            throw ConfigurationError(
                "sslmode=\(mode) in the database URL is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        self.tls = tls
        self.rootCertificatePath = query.last { $0.name == "sslrootcert" }?.value
        if let path = rootCertificatePath, !FileManager.default.isReadableFile(atPath: path) {
            throw ConfigurationError("sslrootcert=\(path) in the database URL is not a readable file")
        }
    }

    /// Where this connects, for messages: `host:port/database`, never the user's password.
    public var endpoint: String { "\(host):\(port)/\(database)" }

    /// A `PostgresClient` configuration for these settings.
    /// A `PostgresClient` configuration for these settings; with `limits`, every session starts
    /// with their statement and idle-in-transaction limits (maintenance work passes none).
    public func clientConfiguration(maximumConnections: Int = 20, limits: DatabaseLimits? = DatabaseLimits()) throws
        -> PostgresClient.Configuration
    {
        var config = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: try clientTLS())
        config.options.maximumConnections = maximumConnections
        if let limits {
            config.options.connectTimeout = .seconds(Int64(max(1, limits.callSeconds / 2)))
            config.options.additionalStartupParameters = limits.startupParameters
        }
        return config
    }

    /// The settings of one connection outside the pool (a start-up probe sees the real error
    /// of a refused connection or handshake, which the pool would retry and hide), given up
    /// after `connectTimeout` seconds.
    public func connectionConfiguration(connectTimeout: Double = 5) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch self.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: try tlsConfiguration()))
        case .require, .verifyCA, .verifyFull: tls = .require(try NIOSSLContext(configuration: try tlsConfiguration()))
        }
        var config = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        config.options.connectTimeout = .milliseconds(Int64(max(0.1, connectTimeout) * 1000))
        return config
    }

    /// Connects once, runs `SELECT 1` and closes, within `seconds`; throws what went wrong.
    public func probe(seconds: Double, logger: Logger) async throws {
        // The connection may take the whole of `seconds`: a loaded server is slow to let one in.
        let configuration = try connectionConfiguration(connectTimeout: seconds)
        let logger = logger.forDatabaseDriver
        try await withDeadline(seconds: seconds, "connecting to \(host):\(port)") {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            defer { Task { try? await connection.close() } }
            try await connection.query("SELECT 1", logger: logger)
        }
    }

    func tlsConfiguration() throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let rootCertificatePath { tls.trustRoots = .file(rootCertificatePath) }
        switch self.tls {
        case .disable, .prefer: tls.certificateVerification = .none
        case .require: tls.certificateVerification = rootCertificatePath == nil ? .none : .noHostnameVerification
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        return tls
    }

    func clientTLS() throws -> PostgresClient.Configuration.TLS {
        switch tls {
        case .disable: .disable
        case .prefer: .prefer(try tlsConfiguration())
        case .require, .verifyCA, .verifyFull: .require(try tlsConfiguration())
        }
    }

    /// The documented default: the application role on a local cluster, database `cordon`.
    public static let defaultURL = "postgres://cordon_app@127.0.0.1:5432/cordon"

    /// The URL with its password hidden, whatever the password holds (`@`, `/`, `:` included):
    /// everything between the scheme and the last `@` of the authority is the user's, and only
    /// the part before its first `:` is kept. A string that is not a URL at all is hidden whole.
    public static func redact(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "(hidden)" }
        let rest = url[schemeEnd.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return url }
        let userInfo = rest[..<at]
        let user = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let hidden = userInfo.contains(":") ? "\(user):***" : String(user)
        return String(url[..<schemeEnd.upperBound]) + hidden + String(rest[at...])
    }
}

/// How Cordon uses its database: where it is, as which roles, and how many connections.
public struct DatabaseSettings: Sendable {
    /// The application role's URL (`DATABASE_URL`).
    public var url: String
    /// The schema owner's URL for migrations (`DATABASE_OWNER_URL`); `url` when nil.
    public var ownerURL: String?
    /// The role granted row access by `cordon migrate` (`DATABASE_APP_ROLE`).
    public var appRole: String
    /// Connections the server may open (`DATABASE_POOL_SIZE`).
    public var poolSize: Int

    public init(
        url: String = DatabaseConfiguration.defaultURL, ownerURL: String? = nil, appRole: String = "cordon_app",
        poolSize: Int = 20
    ) throws {
        _ = try DatabaseConfiguration(url: url)
        if let ownerURL { _ = try DatabaseConfiguration(url: ownerURL) }
        self.url = url
        self.ownerURL = ownerURL
        self.appRole = appRole
        self.poolSize = poolSize
    }

    /// The URL migrations connect with.
    public var migrationURL: String { ownerURL ?? url }
}
