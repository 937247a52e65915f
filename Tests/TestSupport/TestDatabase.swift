import Crypto
import Domain
import Foundation
import Logging
import PostgresNIO
import Services
import Storage

/// A database of its own for one test, cloned from a template that has every migration applied.
///
/// The server comes from `CORDON_TEST_DATABASE_URL` (its maintenance database, e.g.
/// `postgres://postgres:…@127.0.0.1:55432/postgres`); `Deploy/test.sh` sets it. Without it the
/// tests fail: they never run against anything but a real PostgreSQL.
public final class TestDatabase: Sendable {
    /// The clone's `postgres://` URL, as the application role (`Template.appRole`) for a migrated
    /// database, so every test runs with the privileges a real server has; as the superuser
    /// for an empty one, which only migrations touch.
    public let url: String
    /// The clone's URL as the superuser, for what only a schema owner may do.
    public let ownerURL: String
    public let name: String
    public let client: PostgresClient
    public let logger: Logger
    private let runTask: Task<Void, Never>

    init(url: String, ownerURL: String, name: String, maximumConnections: Int) throws {
        self.url = url
        self.ownerURL = ownerURL
        self.name = name
        var logger = Logger(label: "test")
        logger.logLevel = .error
        self.logger = logger
        let client = PostgresClient(
            configuration: try DatabaseConfiguration(url: url).clientConfiguration(
                maximumConnections: maximumConnections, limits: ServiceSettings.forTests.databaseLimits),
            backgroundLogger: logger)
        self.client = client
        self.runTask = Task { await client.run() }
    }

    /// Storage's entry point over this database's pool.
    public func database(settings: ServiceSettings = .forTests) -> Database {
        Database(
            client: client, logger: logger, idempotencyRetention: settings.idempotencyRetention,
            limits: settings.databaseLimits)
    }

    /// Services over this database, with the tests' settings unless given.
    public func services(settings: ServiceSettings = .forTests) -> CordonServices {
        CordonServices(database: database(settings: settings), settings: settings)
    }

    /// Runs `body` with a fresh migrated database, and drops it afterwards.
    public static func withMigrated<T>(maximumConnections: Int = 24, _ body: (TestDatabase) async throws -> T)
        async throws -> T
    {
        let name = try await Template.shared.clone()
        return try await with(name: name, asApplication: true, maximumConnections: maximumConnections, body)
    }

    /// Runs `body` with a fresh empty database (no migrations), and drops it afterwards.
    public static func withEmpty<T>(_ body: (TestDatabase) async throws -> T) async throws -> T {
        let name = try await Template.shared.createEmpty()
        return try await with(name: name, asApplication: false, maximumConnections: 8, body)
    }

    private static func with<T>(
        name: String, asApplication: Bool, maximumConnections: Int, _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        let ownerURL = try Template.serverURL(database: name)
        let url = asApplication ? try Template.appURL(database: name) : ownerURL
        let db = try TestDatabase(url: url, ownerURL: ownerURL, name: name, maximumConnections: maximumConnections)
        let result: Result<T, any Error>
        do { result = .success(try await body(db)) } catch { result = .failure(error) }
        db.runTask.cancel()
        await db.runTask.value
        try? await Template.shared.drop(name)
        return try result.get()
    }

    /// Runs `sql` on this database as its owner: what the application role may not do (rename a
    /// table behind the server's back, say).
    public func asOwner(_ sql: String) async throws {
        let owner = PostgresClient(
            configuration: try DatabaseConfiguration(url: ownerURL).clientConfiguration(
                maximumConnections: 1, limits: nil),
            backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await owner.run() }
            defer { group.cancelAll() }
            try await owner.query(PostgresQuery(unsafeSQL: sql))
        }
    }

    /// Runs one SQL query on this database and returns the first column of the first row as an Int.
    public func count(_ sql: String) async throws -> Int {
        for try await n in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return n }
        return 0
    }

    /// Runs one SQL query on this database and returns the first column of every row as text.
    public func strings(_ sql: String) async throws -> [String] {
        var out: [String] = []
        for try await s in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(String.self) { out.append(s) }
        return out
    }
}

/// Creates the migrated template once per test process, and clones it per test.
actor Template {
    static let shared = Template()
    /// One build shared by every caller: actor methods interleave at each `await`, so a plain
    /// "already built?" flag would let several tests build the template at once.
    private var templateTask: Task<String, any Error>?

    /// The login role the tests' services connect as, granted what `cordon migrate` grants.
    public static let appRole = "cordon_test_app"

    static func serverURL(database: String) throws -> String {
        guard let base = ProcessInfo.processInfo.environment["CORDON_TEST_DATABASE_URL"] else {
            throw ConfigurationError("CORDON_TEST_DATABASE_URL is not set; run the tests with Deploy/test.sh")
        }
        var components = URLComponents(string: base)!
        components.path = "/" + database
        return components.string!
    }

    /// `database` as the application role, whose password is derived from the superuser's so no
    /// secret is stored anywhere.
    static func appURL(database: String) throws -> String {
        var components = URLComponents(string: try serverURL(database: database))!
        components.user = appRole
        components.password = appPassword
        return components.string!
    }

    static var appPassword: String {
        let base = ProcessInfo.processInfo.environment["CORDON_TEST_DATABASE_URL"] ?? ""
        return SHA256.hash(data: Data("cordon-test-app:\(base)".utf8)).prefix(16).hexString
    }

    private func withMaintenance<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        var logger = Logger(label: "test-template")
        logger.logLevel = .error
        let url = try Self.serverURL(database: "postgres")
        let client = PostgresClient(
            configuration: try DatabaseConfiguration(url: url).clientConfiguration(maximumConnections: 2, limits: nil),
            backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// The template's name carries the migrations' checksums, so a changed migration gets a new template.
    private func template() async throws -> String {
        if let templateTask { return try await templateTask.value }
        let task = Task { try await self.buildTemplate() }
        templateTask = task
        return try await task.value
    }

    private func buildTemplate() async throws -> String {
        let migrations = try Migration.bundled()
        // The recipe's version joins the checksums: a template built the old way is never reused.
        let recipe = "row-access-1"
        let digest = SHA256.hash(data: Data((migrations.map(\.checksum) + [recipe]).joined().utf8)).prefix(6).hexString
        let name = "cordon_template_\(digest)"
        try await withMaintenance { client in
            // Leftovers of earlier runs that stopped before dropping their clones.
            for try await stale in try await client.query(
                "SELECT datname FROM pg_database WHERE datname LIKE 'cordon_t\\_%' OR (datname LIKE 'cordon_template_%' AND datname <> \(name))"
            ).decode(String.self) {
                try? await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(stale)\" WITH (FORCE)"))
            }
            let exists =
                try await client.query("SELECT count(*)::int FROM pg_database WHERE datname = \(name)")
                .decode(Int.self).first { _ in true } ?? 0
            // The application's login role, as Deploy/postgres.sh makes cordon_app (roles are the server's, not a database's).
            let role =
                try await client.query("SELECT count(*)::int FROM pg_roles WHERE rolname = \(Self.appRole)")
                .decode(Int.self).first { _ in true } ?? 0
            if role == 0 { try? await client.query(PostgresQuery(unsafeSQL: "CREATE ROLE \(Self.appRole) LOGIN")) }
            try await client.query(
                PostgresQuery(unsafeSQL: "ALTER ROLE \(Self.appRole) LOGIN PASSWORD '\(Self.appPassword)'"))
            if exists == 0 {
                let building = name + "_building"
                try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(building)\" WITH (FORCE)"))
                try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(building)\""))
                try await Self.migrate(database: building)
                try await client.query(PostgresQuery(unsafeSQL: "ALTER DATABASE \"\(building)\" RENAME TO \"\(name)\""))
            }
        }
        return name
    }

    private static func migrate(database: String) async throws {
        var logger = Logger(label: "test-migrate")
        logger.logLevel = .error
        let client = PostgresClient(
            configuration: try DatabaseConfiguration(url: try serverURL(database: database)).clientConfiguration(
                maximumConnections: 1, limits: nil),
            backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await Migrator(client: client, migrations: try Migration.bundled(), logger: logger).migrate()
            _ = try await client.withConnection { try await RowAccess.grant(to: appRole, on: $0, logger: logger) }
        }
    }

    func clone() async throws -> String {
        let template = try await template()
        let name = "cordon_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await withMaintenance { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\" TEMPLATE \"\(template)\""))
        }
        return name
    }

    func createEmpty() async throws -> String {
        _ = try await template()
        let name = "cordon_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await withMaintenance { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\""))
        }
        return name
    }

    func drop(_ name: String) async throws {
        try await withMaintenance { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)"))
        }
    }
}

extension ServiceSettings {
    /// The defaults, in a lab: webhook receivers the tests start listen on loopback over plain
    /// http, and every suite runs at once on two cores, so the database gets a minute rather
    /// than seconds (the tests of deadlines set their own).
    public static var forTests: ServiceSettings {
        var settings = ServiceSettings()
        settings.webhooks.allowPrivateNetworks = true
        settings.databaseLimits = DatabaseLimits(callSeconds: 60, statementSeconds: 30)
        // bcrypt's fewest rounds: the tests check hashing, not its cost.
        settings.consoleSessions.bcryptCost = 4
        return settings
    }
}
