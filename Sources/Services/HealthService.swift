import Storage

/// Liveness and readiness: ready means the database answers within a second and no migration
/// is pending. Both answer within two seconds whatever the database does, so a load balancer
/// can take an instance out of rotation while its database is away.
public struct HealthService: Sendable {
    let schema: SchemaService

    /// How long readiness waits for the database.
    public static let readinessSeconds = 1.0

    /// What is not ready, or an empty list when all is well.
    public func readinessProblems() async -> [String] {
        let schema = schema
        do {
            let status = try await withDeadline(seconds: Self.readinessSeconds, "the database") {
                try await schema.status()
            }
            return status.pending.isEmpty
                ? [] : ["migrations pending: \(status.pending.joined(separator: ", ")); run `cordon migrate`"]
        } catch let error as DeadlineExceeded {
            return ["database not ready: \(error)"]
        } catch {
            return [
                "database not ready: \(DatabaseErrorMapper.logSummary(error) ?? String(describing: type(of: error)))"
            ]
        }
    }
}
