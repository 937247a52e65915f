/// Keyset pagination: items after `afterId`, at most `limit` of them.
public struct PageRequest: Sendable, Equatable {
    public var afterId: Int64?
    public var limit: Int

    public static let defaultLimit = 50
    public static let maximumLimit = 500

    public init(afterId: Int64? = nil, limit: Int = PageRequest.defaultLimit) {
        self.afterId = afterId
        self.limit = limit
    }

    /// Validates a client-supplied cursor and limit.
    public init(cursor: String?, limit: Int?) throws {
        var v = Validator()
        var after: Int64?
        if let cursor {
            after = PageCursor.decode(cursor)
            v.check(after != nil, "cursor", "is not a cursor this service issued; use the `next` link as given")
        }
        let limit = limit ?? Self.defaultLimit
        v.check((1...Self.maximumLimit).contains(limit), "limit", "must be between 1 and \(Self.maximumLimit)")
        try v.finish()
        self.init(afterId: after, limit: limit)
    }
}

/// One page of a list, with the cursor for the next page when there is one.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// Builds a page from up to `limit + 1` rows fetched in id order: the extra row only proves
    /// that another page exists.
    /// The same, for items whose id is typed.
    public init<Tag>(fetched: [Item], limit: Int, id: (Item) -> Tagged<Tag, Int64>) {
        self.init(fetched: fetched, limit: limit, id: { id($0).rawValue })
    }

    public init(fetched: [Item], limit: Int, id: (Item) -> Int64) {
        if fetched.count > limit {
            let items = Array(fetched.prefix(limit))
            self.init(items: items, nextCursor: PageCursor.encode(id(items.last!)))
        } else {
            self.init(items: fetched, nextCursor: nil)
        }
    }

    public func map<T>(_ transform: (Item) throws -> T) rethrows -> Page<T> {
        Page<T>(items: try items.map(transform), nextCursor: nextCursor)
    }
}

/// Opaque cursors: clients pass them back unchanged and must not build them.
public enum PageCursor {
    public static func encode(_ id: Int64) -> String { "c" + String(id, radix: 36) }

    public static func decode(_ cursor: String) -> Int64? {
        guard cursor.first == "c", let id = Int64(cursor.dropFirst(), radix: 36), id > 0 else { return nil }
        return id
    }
}
