import Domain

/// Records delivery attempts as they finish, several in one statement when they finish together.
///
/// The first attempt to finish is written at once. Attempts that finish while that write is in
/// flight wait, and go together in the next write (group commit). A quiet dispatcher thus records
/// each attempt without delay, and a busy one pays one round trip for many.
actor AttemptRecorder {
    private let write: @Sendable ([WebhookAttemptRecord]) async throws -> Void
    private var waiting: [(WebhookAttemptRecord, CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    init(write: @escaping @Sendable ([WebhookAttemptRecord]) async throws -> Void) { self.write = write }

    /// Returns once `attempt` is written, or throws what the write that carried it threw.
    func record(_ attempt: WebhookAttemptRecord) async throws {
        if writing {
            try await withCheckedThrowingContinuation { waiting.append((attempt, $0)) }
            return
        }
        writing = true
        defer { writing = false }
        // This caller writes its own attempt, then whatever arrived meanwhile, until none waits.
        var batch: [(WebhookAttemptRecord, CheckedContinuation<Void, any Error>?)] = [(attempt, nil)]
        var ownResult: Result<Void, any Error> = .success(())
        while !batch.isEmpty {
            let result: Result<Void, any Error>
            do {
                try await write(batch.map(\.0))
                result = .success(())
            } catch {
                result = .failure(error)
            }
            for (_, waiter) in batch {
                if let waiter { waiter.resume(with: result) } else { ownResult = result }
            }
            batch = waiting.map { ($0.0, $0.1) }
            waiting = []
        }
        try ownResult.get()
    }
}
