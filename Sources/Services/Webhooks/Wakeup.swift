import Foundation

/// A doorbell for a loop that sleeps: `signal()` ends the current (or next) `wait`. Signals
/// while nobody waits fold into one, so a burst of notifications costs one extra look.
final class Wakeup: @unchecked Sendable {
    private let lock = NSLock()
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?

    func signal() {
        let toResume: CheckedContinuation<Void, Never>? = lock.withLock {
            if let w = waiter {
                waiter = nil
                return w
            }
            rung = true
            return nil
        }
        toResume?.resume()
    }

    /// Returns on a signal, after `seconds`, or when the task is cancelled.
    func wait(atMost seconds: TimeInterval) async {
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .seconds(seconds))
            if !Task.isCancelled { self?.signal() }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let ready: Bool = lock.withLock {
                    if rung {
                        rung = false
                        return true
                    }
                    waiter = c
                    return false
                }
                if ready { c.resume() }
            }
        } onCancel: {
            self.signal()
        }
        timer.cancel()
    }
}
