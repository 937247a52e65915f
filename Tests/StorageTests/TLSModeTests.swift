import Foundation
import Logging
import PostgresNIO
import Storage
import Testing

@Suite("sslmode, as libpq honours it")
struct TLSModeTests {
    /// The tests' server (Deploy/postgres.sh) speaks TLS with a certificate for "localhost" from a CA of its own.
    func url(host: String, query: String) throws -> String {
        guard let base = ProcessInfo.processInfo.environment["CORDON_TEST_DATABASE_URL"],
            var components = URLComponents(string: base)
        else { throw TestSetupError("CORDON_TEST_DATABASE_URL is not set") }
        components.host = host
        components.path = "/postgres"
        components.percentEncodedQuery = query
        return components.string!
    }

    var ca: String {
        get throws {
            guard let path = ProcessInfo.processInfo.environment["CORDON_TEST_TLS_CA"] else {
                throw TestSetupError("CORDON_TEST_TLS_CA is not set")
            }
            return path
        }
    }

    /// Whether the session is encrypted; throws when no session could be had (a refused
    /// handshake fails at once: one connection, outside any pool).
    func encrypted(_ url: String) async throws -> Bool {
        var quiet = Logger(label: "tls-test")
        quiet.logLevel = .critical
        let logger = quiet
        let configuration = try DatabaseConfiguration(url: url).connectionConfiguration(connectTimeout: 30)
        do {
            return try await connectAndAsk(configuration, logger: logger)
        } catch let error as PSQLError {
            // The driver's own description hides the cause; a failure here should say it.
            throw TestSetupError(String(reflecting: error))
        }
    }

    func connectAndAsk(_ configuration: PostgresConnection.Configuration, logger: Logger) async throws -> Bool {
        try await withDeadline(seconds: 30, "connecting") {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            defer { Task { try? await connection.close() } }
            for try await ssl in try await connection.query(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: logger
            )
            .decode(Bool.self) { return ssl }
            return false
        }
    }

    @Test(
        "disable is plain text; prefer (the default) and require encrypt without checking; verify-ca checks the authority; verify-full the host too"
    )
    func modes() async throws {
        let ca = try ca
        #expect(try await encrypted(url(host: "127.0.0.1", query: "sslmode=disable")) == false)
        #expect(try await encrypted(url(host: "127.0.0.1", query: "")) == true)
        #expect(try await encrypted(url(host: "127.0.0.1", query: "sslmode=require")) == true)
        #expect(try await encrypted(url(host: "127.0.0.1", query: "sslmode=verify-ca&sslrootcert=\(ca)")) == true)
        #expect(try await encrypted(url(host: "localhost", query: "sslmode=verify-full&sslrootcert=\(ca)")) == true)
        // The certificate names localhost, not the address: verify-full refuses, as libpq does.
        await #expect(throws: (any Error).self) {
            _ = try await encrypted(url(host: "127.0.0.1", query: "sslmode=verify-full&sslrootcert=\(ca)"))
        }
        // Without our CA the certificate is not trusted: verify-ca and verify-full refuse instead of going on in plain text.
        await #expect(throws: (any Error).self) {
            _ = try await encrypted(url(host: "localhost", query: "sslmode=verify-full"))
        }
        await #expect(throws: (any Error).self) {
            _ = try await encrypted(url(host: "localhost", query: "sslmode=verify-ca"))
        }
    }

    @Test("an sslmode that is not one, or a CA file that cannot be read, stops the start with what to fix")
    func refused() throws {
        #expect(throws: ConfigurationErrorLike.self) {
            try ConfigurationErrorLike.wrap {
                _ = try DatabaseConfiguration(url: "postgres://u@h/db?sslmode=sometimes")
            }
        }
        #expect(throws: ConfigurationErrorLike.self) {
            try ConfigurationErrorLike.wrap {
                _ = try DatabaseConfiguration(
                    url: "postgres://u@h/db?sslmode=verify-full&sslrootcert=/nonexistent/ca.crt")
            }
        }
    }

    @Test(
        "redaction hides any password, whatever it holds",
        arguments: [
            ("postgres://app:hunter2@db:5432/cordon", "postgres://app:***@db:5432/cordon"),
            ("postgres://app:p@ss:w/rd@db:5432/cordon", "postgres://app:***@db:5432/cordon"),
            ("postgres://app:%40%2Fx@db/cordon?sslmode=require", "postgres://app:***@db/cordon?sslmode=require"),
            ("postgres://app@db/cordon", "postgres://app@db/cordon"),
            ("not a url with secret", "(hidden)"),
        ])
    func redaction(url: String, shown: String) {
        #expect(DatabaseConfiguration.redact(url) == shown)
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Any configuration refusal, whichever module's type it is.
struct ConfigurationErrorLike: Error {
    static func wrap(_ body: () throws -> Void) throws {
        do { try body() } catch let error where "\(type(of: error))" == "ConfigurationError" {
            throw ConfigurationErrorLike()
        }
    }
}
