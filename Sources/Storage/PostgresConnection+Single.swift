import Logging
import PostgresNIO

extension PostgresConnection {
    /// The first column of the only row `query` returns (an `INSERT ... RETURNING id`, a count).
    func single<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self, logger: Logger) async throws
        -> T
    {
        for try await value in try await self.query(query, logger: logger).decode(T.self) { return value }
        throw PostgresSingleRowMissing(query: query.sql)
    }
}

/// A query that must return one row returned none: a bug, not a user error.
struct PostgresSingleRowMissing: Error, CustomStringConvertible {
    var query: String
    var description: String { "expected one row from: \(query)" }
}
