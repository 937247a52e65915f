import Logging
import Metrics
import PostgresNIO
import Tracing

/// A connection as the repositories use it: each statement gets a span and a timing named after
/// the repository method that sent it (`PatientRepository.get`), never its SQL's parameters.
/// With no tracer bootstrapped and metrics off, both cost next to nothing.
public struct SQLConnection: Sendable {
    let base: PostgresConnection

    init(_ base: PostgresConnection) { self.base = base }

    @discardableResult
    func query(
        _ query: PostgresQuery, logger: Logger, function: String = #function, file: String = #fileID
    ) async throws -> PostgresRowSequence {
        try await Self.traced(function, file) { try await base.query(query, logger: logger) }
    }

    /// Runs a prepared statement (named, so PostgreSQL plans it once per connection).
    func execute<Statement: PostgresPreparedStatement>(
        _ statement: Statement, logger: Logger, function: String = #function, file: String = #fileID
    ) async throws -> AsyncThrowingMapSequence<PostgresRowSequence, Statement.Row> {
        try await Self.traced(function, file) { try await base.execute(statement, logger: logger) }
    }

    /// The one row `query` returns, decoded; none is a bug (`PostgresSingleRowMissing`).
    func single<T: PostgresDecodable>(
        _ query: PostgresQuery, as type: T.Type = T.self, logger: Logger, function: String = #function,
        file: String = #fileID
    ) async throws -> T {
        for try await value in try await self.query(query, logger: logger, function: function, file: file)
            .decode(T.self)
        {
            return value
        }
        throw PostgresSingleRowMissing(query: query.sql)
    }

    /// `PatientRepository.get` from `Storage/PatientRepository.swift` and `get(siteId:id:)`.
    static func operation(_ function: String, _ file: String) -> String {
        let type = file.split(separator: "/").last.map { $0.split(separator: ".").first ?? $0 } ?? "SQL"
        return "\(type).\(function.prefix { $0 != "(" })"
    }

    static func traced<T>(_ function: String, _ file: String, _ run: () async throws -> T) async throws -> T {
        let operation = operation(function, file)
        let started = ContinuousClock.now
        defer {
            Timer(label: "cordon_db_statement_seconds", dimensions: [("operation", operation)])
                .record(duration: ContinuousClock.now - started)
        }
        // A statement is a step of something traced, never a trace of its own (the dispatcher's
        // and housekeeping's polls would fill the tracing backend with one-span traces).
        guard ServiceContext.current != nil else { return try await run() }
        return try await withSpan(operation, ofKind: .client) { span in
            span.attributes["db.system.name"] = "postgresql"
            span.attributes["db.operation.name"] = operation
            return try await run()
        }
    }
}

/// A query that must return one row returned none: a bug, not a user error.
struct PostgresSingleRowMissing: Error, CustomStringConvertible {
    var query: String
    var description: String { "expected one row from: \(query)" }
}
