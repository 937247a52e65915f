import Domain
import Foundation
import Logging
import Storage

/// Reaching the database before anything else, so an operator hears at once where it is not:
/// `cordon serve` and every command say the same thing, naming host and port, never the password.
public enum DatabaseStartup {
    /// How long one attempt may take.
    public static let attemptSeconds = 10.0

    /// Connects once (outside any pool, so the real cause is seen) or throws a
    /// `ConfigurationError` that names where and why.
    public static func probe(url: String, logger: Logger) async throws {
        let configuration = try DatabaseConfiguration(url: url)
        do {
            try await configuration.probe(seconds: attemptSeconds, logger: logger)
        } catch {
            throw ConfigurationError(
                """
                cannot reach PostgreSQL at \(configuration.host):\(configuration.port) \
                (\(DatabaseConfiguration.redact(url))): \(DatabaseErrorMapper.connectionCause(error)).
                Start the local one with `Deploy/postgres.sh start`, or set DATABASE_URL.
                """)
        }
    }

    /// Probes until the database answers or `wait` seconds have passed (0: one attempt),
    /// logging each failure; throws the last one's error.
    public static func waitUntilReachable(url: String, wait: Double, logger: Logger) async throws {
        let giveUp = Date().addingTimeInterval(wait)
        var attempt = 1
        while true {
            do {
                return try await probe(url: url, logger: logger)
            } catch let error as ConfigurationError {
                guard Date() < giveUp else { throw error }
                logger.warning(
                    "database not reachable yet; trying again in 2 s",
                    metadata: [
                        "attempt": "\(attempt)", "error": "\(error.description.split(separator: "\n").first ?? "")",
                    ])
                attempt += 1
                try await Task.sleep(for: .seconds(2))
            }
        }
    }
}
