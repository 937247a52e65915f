import Domain
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt, on a thread of its own with a bounded queue. A check takes about a quarter of a
/// second of CPU; on the shared blocking pool a flood of them would hold up the name lookups
/// of webhook deliveries, and on the cooperative threads every other request. Here a flood
/// takes one core at most, and past `maximumWaiting` checks in line the next is refused at
/// once (429) instead of waiting minutes.
public final class PasswordHasher: Sendable {
    /// The one hasher of the process: its thread serves every console of every test, too.
    public static let shared = PasswordHasher(threads: 1, maximumWaiting: 16)

    private let pool: NIOThreadPool
    private let inLine = Mutex(0)
    private let done = Atomic(0)
    let maximumWaiting: Int

    /// Hashes and checks done so far.
    public var operations: Int { done.load(ordering: .relaxed) }

    /// A hasher with threads of its own, that refuses work past `maximumWaiting` in line. The
    /// threads live as long as the process.
    public init(threads: Int, maximumWaiting: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        self.maximumWaiting = maximumWaiting
    }

    /// Whether `password` matches `hash`.
    func verify(_ password: String, hash: String) async throws -> Bool {
        try await run { Bcrypt.verify(password, hash: hash) }
    }

    /// A new bcrypt hash of `password` at `cost`.
    func hash(_ password: String, cost: UInt8) async throws -> String {
        try await run { Bcrypt.hash(password, cost: cost) }
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        let admitted = inLine.withLock { waiting in
            guard waiting < maximumWaiting else { return false }
            waiting += 1
            return true
        }
        guard admitted else { throw DomainError.tooManyAttempts("password checks (the server is busy)", retryAfter: 2) }
        defer { inLine.withLock { $0 -= 1 } }
        let result = try await pool.runIfActive(work)
        done.add(1, ordering: .relaxed)
        return result
    }
}
