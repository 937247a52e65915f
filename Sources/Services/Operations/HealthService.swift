import Storage
import Synchronization

/// Liveness and readiness: ready means the database answers within a second and no migration
/// is pending. Both answer within two seconds whatever the database does, so a load balancer
/// can take an instance out of rotation while its database is away.
public struct HealthService: Sendable {
    let schema: SchemaService
    /// Set once a shutdown has begun: readiness says 503 from then on.
    public let shutdown = ShutdownState()

    /// How long readiness waits for the database.
    public static let readinessSeconds = 1.0

    /// What is not ready, or an empty list when all is well.
    public func readinessProblems() async -> [String] {
        if shutdown.isDraining {
            return ["shutting down: finishing the requests that reached it; send new ones elsewhere"]
        }
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

/// Whether the server is draining before it stops: still answering, no longer ready.
public final class ShutdownState: Sendable {
    private let draining = Atomic(false)

    public init() {}

    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// Readiness turns 503 from now on.
    public func beginDraining() { draining.store(true, ordering: .relaxed) }
}
