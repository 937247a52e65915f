import Domain
import Foundation
import Services
import Settings
import Testing

@Suite("Settings")
struct SettingsTests {
    @Test("with nothing set, every default is what the catalogue documents")
    func defaults() throws {
        let c = try CordonConfiguration.load(environment: [:])
        #expect(c.http.port == 8080 && c.http.host == "127.0.0.1")
        #expect(c.http.limits == RequestLimits())
        #expect(c.database.poolSize == 20 && c.database.ownerURL == nil && c.database.appRole == "cordon_app")
        #expect(c.services.webhooks == WebhookSettings())
        #expect(c.services.tokenLifetime == 90 * 86_400)
        #expect(c.logLevel == .info)
    }

    @Test("values set are read: numbers, durations, booleans")
    func reads() throws {
        let c = try CordonConfiguration.load(environment: [
            "WEBHOOK_RETRY_BASE_SECONDS": "5", "WEBHOOK_MAX_ATTEMPTS": "3", "WEBHOOK_CONCURRENCY": "2",
            "DATABASE_POOL_SIZE": "7",
            "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true", "MAX_BODY_BYTES": "2048", "TOKEN_DAYS": "30",
            "LOG_LEVEL": "DEBUG",
        ])
        #expect(c.services.webhooks.retry == WebhookRetryPolicy(baseDelay: 5, maximumDelay: 3_600, maximumAttempts: 3))
        #expect(c.services.webhooks.concurrency == 2 && c.services.webhooks.allowPrivateNetworks)
        #expect(
            c.database.poolSize == 7 && c.http.limits.jsonBodyBytes == 2048 && c.services.tokenLifetime == 30 * 86_400)
        #expect(c.logLevel == .debug)
    }

    @Test("a value that cannot be used is refused by the variable's name, never silently replaced by a default")
    func refusesByName() {
        let cases: [(String, String)] = [
            ("DATABASE_POOL_SIZE", "lots"), ("DATABASE_POOL_SIZE", "0"), ("PORT", "70000"),
            ("WEBHOOK_MAX_ATTEMPTS", "0"),
            ("WEBHOOK_MAX_ATTEMPTS", "2.5"), ("WEBHOOK_TIMEOUT_SECONDS", "soon"),
            ("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "maybe"),
            ("LOG_LEVEL", "loud"), ("MAX_BODY_BYTES", "-1"), ("CHECKIN_BASE_URL", "ftp://x"),
            ("DISCHARGE_CT_THRESHOLD", "nan"),
            ("DATABASE_URL", "mysql://x"), ("DATABASE_APP_ROLE", "Robert'); DROP"), ("TOKEN_DAYS", "0"),
        ]
        for (name, value) in cases {
            do {
                _ = try CordonConfiguration.load(environment: [name: value])
                Issue.record("\(name)=\(value) was accepted")
            } catch {
                #expect(
                    "\(error)".contains(name.hasPrefix("DATABASE_URL") ? "DATABASE_URL" : name),
                    "\(name)=\(value): \(error)")
            }
        }
        #expect(throws: ConfigurationError.self) {
            try CordonConfiguration.load(environment: [
                "WEBHOOK_RETRY_BASE_SECONDS": "60", "WEBHOOK_RETRY_MAX_SECONDS": "10",
            ])
        }
    }

    @Test("a refused secret is not repeated back")
    func secretsStaySecret() {
        do {
            _ = try CordonConfiguration.load(environment: [
                "DATABASE_URL": "postgres://app:hunter2@db:5432/cordon?sslmode=sometimes"
            ])
            Issue.record("accepted")
        } catch {
            #expect(!"\(error)".contains("hunter2"), "\(error)")
        }
        let shown = SettingsDocumentation.current(environment: [
            "DATABASE_URL": "postgres://app:p@ss:w/rd@db:5432/cordon"
        ])
        let url = shown.first { $0.setting.name == "DATABASE_URL" }!.value
        #expect(url == "postgres://app:***@db:5432/cordon", "\(url)")
    }

    @Test("the README's configuration table is the catalogue's, word for word")
    func readmeMatches() throws {
        let readme = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../README.md").standardized, encoding: .utf8)
        #expect(
            readme.contains(SettingsDocumentation.markdownTable),
            "run `cordon settings --markdown` and paste it into README.md")
        for setting in Setting.all { #expect(readme.contains("`\(setting.name)`")) }
    }
}
