import Domain
import Foundation
import PostgresNIO

/// Connection settings parsed from a `postgres://user:password@host:port/database` URL.
public struct DatabaseConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// `sslmode=require` in the URL; plain connections otherwise (loopback development clusters).
    public var requireTLS: Bool

    /// The documented default: a local cluster on the standard port, database `cordon`.
    public static let defaultURL = "postgres://postgres@127.0.0.1:5432/cordon"

    public init(url: String) throws {
        guard let components = URLComponents(string: url),
              ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty else {
            throw ConfigurationError("DATABASE_URL must look like postgres://user:password@host:5432/database, got \(Self.redact(url))")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = components.user?.removingPercentEncoding ?? "postgres"
        self.password = components.password?.removingPercentEncoding
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.database = path.isEmpty ? "cordon" : path
        self.requireTLS = components.queryItems?.contains { $0.name == "sslmode" && $0.value == "require" } ?? false
    }

    /// A `PostgresClient` configuration for these settings.
    public func clientConfiguration(maximumConnections: Int = 20) -> PostgresClient.Configuration {
        var config = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: requireTLS ? .require(.makeClientConfiguration()) : .disable)
        config.options.maximumConnections = maximumConnections
        return config
    }

    /// The URL with its password hidden, for messages.
    public static func redact(_ url: String) -> String {
        url.replacingOccurrences(of: #"://([^:@/]+):[^@/]*@"#, with: "://$1:***@", options: .regularExpression)
    }
}
