/// A client-chosen key that makes a create safe to retry.
public struct IdempotencyKey: Sendable, Equatable {
    public let value: String

    /// Validates a key: 1 to 200 visible ASCII characters.
    public init(_ value: String) throws {
        guard (1...200).contains(value.count), value.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline })
        else {
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

    public init(value: Value, replayed: Bool) {
        self.value = value
        self.replayed = replayed
    }

    /// The same outcome with its value transformed (narrowed for the reader, say).
    public func map<T>(_ transform: (Value) throws -> T) rethrows -> Created<T> {
        Created<T>(value: try transform(value), replayed: replayed)
    }
}

extension Actor {
    /// Cordon itself, doing its own work (delivering webhooks, housekeeping, a check-in by code):
    /// named in the audit trail, holding no grant.
    public static func system(_ name: String) -> Actor {
        Actor(userId: nil, username: name, grants: [], origin: .system)
    }
}
