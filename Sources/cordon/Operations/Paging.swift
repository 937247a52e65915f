import Domain

/// Walks every page of a listing, for commands that print it whole.
func allPages<T: Sendable>(_ fetch: (PageRequest) async throws -> Page<T>) async throws -> [T] {
    var items: [T] = []
    var page = PageRequest(limit: PageRequest.maximumLimit)
    while true {
        let result = try await fetch(page)
        items += result.items
        guard let next = result.nextCursor else { return items }
        page = try PageRequest(cursor: next, limit: PageRequest.maximumLimit)
    }
}
