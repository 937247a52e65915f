import Storage
import Synchronization

/// Liveness and readiness: ready means the database answers within a second and no migration
/// is pending. Both answer within two seconds whatever the database does, so a load balancer
/// can take an instance out of rotation while its database is away.
public struct HealthService: Sendable {
    let schema: SchemaService
    /// Set once a shutdown has begun: readiness says 503 from then on.
    public let shutdown = ShutdownState()
    /// The look at the database in progress, shared by every probe that asks meanwhile.
    let look = SchemaLook()

    /// How long readiness waits for the database.
    public static let readinessSeconds = 1.0

    /// What is not ready, or an empty list when all is well.
    public func readinessProblems() async -> [String] {
        if shutdown.isDraining {
            return ["shutting down: finishing the requests that reached it; send new ones elsewhere"]
        }
        let schema = schema
        let look = look.current { try await schema.status() }
        do {
            let status = try await withDeadline(seconds: Self.readinessSeconds, "the database") {
                try await look.value
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

/// One look at the schema at a time. A probe answers after its second either way, but the look
/// itself goes on: cancelling a query closes its connection, so under load every probe would
/// cancel the connection the next one needs and readiness would never come back. The next
/// probe waits on the same look instead.
final class SchemaLook: Sendable {
    private let running = Mutex<Task<SchemaStatus, any Error>?>(nil)

    /// The look in progress, or a new one by `read`.
    func current(_ read: @escaping @Sendable () async throws -> SchemaStatus) -> Task<SchemaStatus, any Error> {
        running.withLock { running in
            if let running { return running }
            let task = Task { try await read() }
            running = task
            Task { [self] in
                _ = try? await task.value
                self.running.withLock { if $0 == task { $0 = nil } }
            }
            return task
        }
    }
}
