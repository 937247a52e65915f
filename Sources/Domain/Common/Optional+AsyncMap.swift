extension Optional {
    /// `map` with an async transform: resolves an optional name or code to a record.
    public func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
