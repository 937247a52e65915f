import Foundation
import Logging
import ServiceLifecycle
import Services

/// Runs the HTTP server so that SIGTERM loses no request that reached it. On the signal,
/// readiness turns 503 at once while the server goes on accepting and answering for
/// `drainSeconds` (`SHUTDOWN_DRAIN_SECONDS`): connections already in the accept queue, and
/// requests already sent on open ones, are answered, and a load balancer has time to take the
/// instance out of rotation. Only then does the server close its port and finish what is in
/// flight, as Hummingbird's graceful shutdown does.
struct DrainingServer<Server: Service>: Service {
    let server: Server
    let drainSeconds: Double
    let shutdown: ShutdownState
    let logger: Logger

    func run() async throws {
        // The server runs in a group of its own, in a detached task: a nested group would hear
        // the outer group's shutdown at once, and the drain is to come first.
        let inner = ServiceGroup(
            configuration: .init(services: [.init(service: server)], gracefulShutdownSignals: [], logger: logger))
        let serving = Task.detached { try await inner.run() }
        try await withTaskCancellationHandler {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await serving.value
                    return true
                }
                group.addTask {
                    try await gracefulShutdown()
                    shutdown.beginDraining()
                    logger.info(
                        "draining: not ready, still answering", metadata: ["drain_seconds": "\(drainSeconds)"])
                    try await Task.sleep(for: .milliseconds(Int64(drainSeconds * 1000)))
                    await inner.triggerGracefulShutdown()
                    return false
                }
                while let serverEnded = try await group.next() {
                    if serverEnded {
                        group.cancelAll()
                        return
                    }
                }
            }
        } onCancel: {
            serving.cancel()
        }
    }
}
