import NIOCore
import NIOPosix

/// Where Swift Concurrency runs Cordon's tasks: on NIO's event loops rather than a second pool
/// of threads, so a request's handler runs on the thread that read it instead of hopping to
/// the cooperative pool and back (issue 30's benchmark: GET a patient 2,448 against 1,954
/// req/s, `/me` 10,081 against 8,648, in one run each).
enum ConcurrencyExecutor {
    /// Installs the event loops as the global executor; before any task is enqueued.
    static func install() {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
