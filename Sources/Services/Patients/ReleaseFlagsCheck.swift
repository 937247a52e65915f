import Logging
import ServiceLifecycle

/// Inside `cordon serve`, once the schema is current: brings every admitted patient's stored
/// release flag in line with the configured rule (nothing to do unless the rule's numbers
/// changed), then waits for shutdown. A database that is away is tried again every 30 s.
public struct ReleaseFlagsCheck: Service {
    let patients: PatientService
    let logger: Logger

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                if let changed = try await patients.reconcileReleaseFlags() {
                    logger.info("release flags worked out for the configured rule", metadata: ["changed": "\(changed)"])
                }
                break
            } catch {
                logger.warning(
                    "release flags not checked yet; trying again in 30 s",
                    metadata: ["error_type": "\(type(of: error))"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(30)) }
            }
        }
        try? await gracefulShutdown()
    }
}
