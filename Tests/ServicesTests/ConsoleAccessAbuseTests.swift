import Domain
import Foundation
import Services
import TestSupport
import Testing

/// Sign-in and password resets under abuse: bursts of parallel guesses and floods of made-up
/// reset links, counted in the bcrypt work they cost.
@Suite("Console access: parallel guesses and reset floods")
struct ConsoleAccessAbuseTests {
    static let password = "correct horse 42"

    /// The console's access service over its own hasher, so its bcrypt work can be counted; at
    /// production's cost, so a flood would show.
    static func console(_ db: TestDatabase) async throws -> (ConsoleAccessService, PasswordHasher) {
        let services = db.services()
        _ = try await DemoFixture.make(services)
        try await services.console.setPassword(
            username: "cliniciana", password: password, actor: DemoFixture.operatorActor)
        let hasher = PasswordHasher(threads: 1, maximumWaiting: 64)
        let console = ConsoleAccessService(
            database: services.database, security: services.security, policy: ConsoleSessionPolicy(),
            passwords: hasher)
        return (console, hasher)
    }

    static func from(_ address: String) -> Origin { .http(requestId: UUID().uuidString, address: address) }

    @Test("twenty guesses at once: only as many are checked as the limit allows, the rest get 429")
    func parallelGuesses() async throws {
        try await TestDatabase.withMigrated { db in
            let (console, hasher) = try await Self.console(db)
            let outcomes = await withTaskGroup(of: String.self) { group in
                for n in 0..<20 {
                    group.addTask {
                        do {
                            _ = try await console.signIn(
                                username: "clinicianA", password: "guess number \(n)",
                                origin: Self.from("203.0.113.\(n)"))
                            return "signed in"
                        } catch DomainError.unauthenticated {
                            return "refused"
                        } catch DomainError.tooManyAttempts {
                            return "throttled"
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            }
            let limit = console.policy.failuresPerUser
            #expect(outcomes == ["refused": limit, "throttled": 20 - limit], "\(outcomes)")
            #expect(hasher.operations == limit)
            #expect(
                try await db.count("SELECT count(*)::int FROM security_events WHERE kind = 'rate_limited'") == 20
                    - limit)
        }
    }

    @Test("a successful sign-in takes its attempt back: a person signing in often is never throttled")
    func successIsForgiven() async throws {
        try await TestDatabase.withMigrated { db in
            let (console, _) = try await Self.console(db)
            for _ in 0..<(console.policy.failuresPerUser * 2) {
                _ = try await console.signIn(
                    username: "clinicianA", password: Self.password, origin: Self.from("10.0.0.1"))
            }
        }
    }

    @Test("sixty resets with made-up links cost no bcrypt work, are throttled per address, and sign-in still answers")
    func resetFlood() async throws {
        try await TestDatabase.withMigrated { db in
            let (console, hasher) = try await Self.console(db)
            let (outcomes, signedIn) = await withTaskGroup(of: String.self) { group in
                for n in 0..<60 {
                    group.addTask {
                        do {
                            try await console.resetPassword(
                                secret: "cdr_made-up-\(n)", password: "a long enough password",
                                origin: Self.from("198.51.100.\(n % 3)"))
                            return "reset"
                        } catch DomainError.invalid(let issues) where issues.first?.field == "link" {
                            return "dead link"
                        } catch DomainError.tooManyAttempts {
                            return "throttled"
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                group.addTask {
                    do {
                        _ = try await console.signIn(
                            username: "clinicianA", password: Self.password, origin: Self.from("192.0.2.1"))
                        return "signed in"
                    } catch {
                        return "sign-in failed: \(error)"
                    }
                }
                var outcomes: [String: Int] = [:]
                var signedIn = false
                for await outcome in group {
                    if outcome == "signed in" { signedIn = true } else { outcomes[outcome, default: 0] += 1 }
                }
                return (outcomes, signedIn)
            }
            #expect(signedIn)
            let perAddress = console.policy.resetsPerAddress
            #expect(outcomes == ["dead link": 3 * perAddress, "throttled": 60 - 3 * perAddress], "\(outcomes)")
            // The one bcrypt check was the sign-in's.
            #expect(hasher.operations == 1)
        }
    }
}
