import Crypto
import Domain
import Foundation
import PostgresNIO
import Storage

/// A client-chosen key that makes a create safe to retry.
public struct IdempotencyKey: Sendable, Equatable {
    public let value: String

    /// Validates a key: 1 to 200 visible ASCII characters.
    public init(_ value: String) throws {
        guard (1...200).contains(value.count), value.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
            throw DomainError.invalid("Idempotency-Key", "must be 1-200 visible ASCII characters, e.g. a UUID")
        }
        self.value = value
    }
}

/// The outcome of a create that may have been a retry.
public struct Created<Value: Sendable>: Sendable {
    public var value: Value
    /// True when this answer is the stored first answer to an earlier request with the same key.
    public var replayed: Bool

    /// The same outcome with its value transformed (narrowed for the reader, say).
    func map<T>(_ transform: (Value) throws -> T) rethrows -> Created<T> {
        Created<T>(value: try transform(value), replayed: replayed)
    }
}

/// Runs a create once per key: the key is claimed in the same transaction as the write, and a
/// retry with the same key and request gets the stored first answer without writing anything.
struct IdempotentCreate {
    let database: Database

    /// Runs `body` in a transaction, unless `key` was already used by this actor for this operation.
    func run<Request: Encodable, Value: Codable & Sendable>(
        key: IdempotencyKey?, actor: Actor, operation: String, request: Request,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws -> Created<Value> {
        guard let key else { return Created(value: try await database.transaction(.request, body), replayed: false) }
        let scope = "\(actor.userId.map(String.init) ?? actor.username):\(operation)"
        let fingerprint = SHA256.hash(data: Data(try AuditJSON.encode(request).utf8)).hexString
        return try await database.transaction { connection in
            let keys = IdempotencyRepository(connection, logger: database.logger)
            if try await keys.claim(scope: scope, key: key.value, fingerprint: fingerprint, retention: database.idempotencyRetention) {
                let value = try await body(connection)
                try await keys.complete(scope: scope, key: key.value, response: try AuditJSON.encode(value))
                return Created(value: value, replayed: false)
            }
            guard let stored = try await keys.stored(scope: scope, key: key.value) else {
                throw DomainError.conflict("the Idempotency-Key is in use by a request still running; retry shortly")
            }
            guard stored.fingerprint == fingerprint else {
                throw DomainError.invalid("Idempotency-Key", "was already used for a different request; use a new key for a new request")
            }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return Created(value: try decoder.decode(Value.self, from: Data(stored.response.utf8)), replayed: true)
        }
    }
}
