import Foundation
import NIOCore
import NIOPosix

/// A wait that went on too long: the operation named `what` had `seconds` and did not finish.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public var what: String
    public var seconds: Double
    public var description: String { "\(what) did not finish within \(seconds.formattedSeconds) s" }
}

/// Runs `operation` and returns its result, or throws `DeadlineExceeded` after `seconds`,
/// whether or not the operation heeds cancellation. An operation stuck on a connection that
/// died never answers its cancellation; the caller is answered anyway and the operation is
/// left to end on its own (it is cancelled, and its result is dropped).
public func withDeadline<T: Sendable>(
    seconds: Double, _ what: String,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let outcome = Outcome<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            outcome.install(continuation)
            let work = Task {
                do { outcome.finish(.success(try await operation())) } catch { outcome.finish(.failure(error)) }
            }
            // A timer on an event loop, not a sleeping task: it costs no task and no dispatch
            // timer, and most calls finish long before it and cancel it.
            let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(
                in: .milliseconds(Int64(seconds * 1000))
            ) {
                if outcome.finish(.failure(DeadlineExceeded(what: what, seconds: seconds))) { work.cancel() }
            }
            outcome.onFinish {
                work.cancel()
                timer.cancel()
            }
        }
    } onCancel: {
        outcome.finish(.failure(CancellationError()))
    }
}

/// The one answer of a race between an operation, its timer and cancellation.
private final class Outcome<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var early: Result<T, any Error>?
    private var done = false
    private var cleanup: (@Sendable () -> Void)?

    func install(_ c: CheckedContinuation<T, any Error>) {
        let ready: Result<T, any Error>? = lock.withLock {
            if let early { return early }
            continuation = c
            return nil
        }
        if let ready { c.resume(with: ready) }
    }

    func onFinish(_ body: @escaping @Sendable () -> Void) {
        let now: Bool = lock.withLock {
            if done { return true }
            cleanup = body
            return false
        }
        if now { body() }
    }

    /// Delivers `result` if nothing was delivered yet; returns whether this call did.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (c, after, first): (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?, Bool) = lock.withLock {
            if done { return (nil, nil, false) }
            done = true
            if continuation == nil { early = result }
            defer {
                continuation = nil
                cleanup = nil
            }
            return (continuation, cleanup, true)
        }
        c?.resume(with: result)
        after?()
        return first
    }
}

extension Double {
    /// Seconds as a person writes them: `5`, `0.5`.
    var formattedSeconds: String { self == rounded() ? String(Int(self)) : String(self) }
}
