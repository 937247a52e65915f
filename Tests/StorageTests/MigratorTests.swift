import Domain
import Foundation
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite("Migrator")
struct MigratorTests {
    @Test("applies every file once, in order, recording checksums; a second run applies nothing")
    func appliesOnce() async throws {
        try await TestDatabase.withEmpty { db in
            let migrations = try Migration.bundled()
            let migrator = Migrator(client: db.client, migrations: migrations, logger: db.logger)
            #expect(try await migrator.status().pending == migrations.map(\.name))
            #expect(try await migrator.migrate() == migrations.map(\.name))
            #expect(try await migrator.migrate() == [])
            let status = try await migrator.status()
            #expect(status.applied == migrations.map(\.name) && status.pending.isEmpty)
            #expect(
                try await db.count("SELECT count(*)::int FROM schema_migrations WHERE length(checksum) = 64")
                    == migrations.count)
            #expect(try await db.count("SELECT count(*)::int FROM pg_extension WHERE extname = 'btree_gist'") == 1)
        }
    }

    @Test("refuses to continue when an applied file has been edited")
    func refusesEditedFile() async throws {
        try await TestDatabase.withEmpty { db in
            let migrations = try Migration.bundled()
            try await Migrator(client: db.client, migrations: migrations, logger: db.logger).migrate()
            var edited = migrations
            edited[0] = Migration(name: edited[0].name, sql: edited[0].sql + "\n-- an innocent-looking edit\n")
            let migrator = Migrator(client: db.client, migrations: edited, logger: db.logger)
            await #expect(throws: MigrationError.changedAfterApply(name: migrations[0].name)) {
                try await migrator.migrate()
            }
            await #expect(throws: MigrationError.changedAfterApply(name: migrations[0].name)) {
                try await migrator.status()
            }
        }
    }

    @Test("a failing file rolls back whole and is not recorded")
    func failingFileRollsBack() async throws {
        try await TestDatabase.withEmpty { db in
            let broken =
                try Migration.bundled() + [
                    Migration(
                        name: "9999_broken.sql", sql: "CREATE TABLE half_done (id int);\nSELECT no_such_function();")
                ]
            let migrator = Migrator(client: db.client, migrations: broken, logger: db.logger)
            await #expect(throws: (any Error).self) { try await migrator.migrate() }
            #expect(try await migrator.status().pending == ["9999_broken.sql"])
            #expect(try await db.count("SELECT count(*)::int FROM pg_tables WHERE tablename = 'half_done'") == 0)
        }
    }

    @Test("two migrators started at once apply each file exactly once")
    func concurrentRuns() async throws {
        try await TestDatabase.withEmpty { db in
            let migrations = try Migration.bundled()
            let results = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await Migrator(client: db.client, migrations: migrations, logger: db.logger).migrate()
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.flatMap { $0 }.sorted() == migrations.map(\.name).sorted())
            #expect(try await db.count("SELECT count(*)::int FROM schema_migrations") == migrations.count)
        }
    }
}

@Suite("SQL script splitting")
struct SQLScriptTests {
    @Test("semicolons in quotes, dollar quotes and comments do not split a statement")
    func splits() {
        let sql = """
            -- a comment; with a semicolon
            CREATE TABLE a (t text DEFAULT 'x;y');
            /* block; comment */
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'no; never'; END $$;
            SELECT $tag$ ; $tag$, "odd;name" FROM a;
            """
        let statements = SQLScript.statements(sql)
        #expect(statements.count == 3)
        #expect(statements[0].hasSuffix("CREATE TABLE a (t text DEFAULT 'x;y')"))
        #expect(statements[1].hasSuffix("BEGIN RAISE EXCEPTION 'no; never'; END $$"))
        #expect(statements[2] == #"SELECT $tag$ ; $tag$, "odd;name" FROM a"#)
    }
}

@Suite("Migration files")
struct MigrationFilesTests {
    @Test("the build ships every .sql file of SQL/ (build with --manifest-cache none: see Package.swift)")
    func bundleMatchesFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../SQL")
            .standardized
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }
            .sorted()
        #expect(try Migration.bundled().map(\.name) == onDisk)
    }
}
