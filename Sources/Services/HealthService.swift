import Logging
import PostgresNIO
import Storage

/// Liveness and readiness: ready means the database answers and no migration is pending.
public struct HealthService: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// What is not ready, or an empty list when all is well.
    public func readinessProblems() async -> [String] {
        do {
            let status = try await SchemaService(client: client, logger: logger).status()
            return status.pending.isEmpty ? [] : ["migrations pending: \(status.pending.joined(separator: ", ")); run `cordon migrate`"]
        } catch {
            return ["database not ready: \(String(describing: error).prefix(200))"]
        }
    }
}
