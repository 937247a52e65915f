import Domain
import Foundation
import PostgresNIO
import Services
import TestSupport
import Testing

@Suite("Tokens expire")
struct TokenLifetimeTests {
    @Test("a token lives TOKEN_DAYS (90 by default) and is refused once past its end")
    func tokensExpire() async throws {
        try await TestDatabase.withMigrated { db in
            let services = db.services()
            _ = try await DemoFixture.make(services)
            let issued = try await services.access.issueToken(username: "clinicianb", actor: DemoFixture.operatorActor)
            let days = try #require(issued.expiresAt).timeIntervalSinceNow / 86_400
            #expect(days > 89.9 && days <= 90)
            _ = try await services.access.authenticate(token: issued.token, origin: .cli(operator: "t"))

            try await Self.end(tokenId: issued.id, db)
            await #expect(throws: DomainError.unauthenticated) {
                try await services.access.authenticate(token: issued.token, origin: .cli(operator: "t"))
            }
        }
    }

    @Test("a hospital's new token leaves its earlier ones a day to switch over, then only the new one works")
    func hospitalRotation() async throws {
        try await TestDatabase.withMigrated { db in
            let f = try await ReferralFixture.make(db)
            let first = try await f.services.hospitals.issueToken(hospitalCode: "PJ1", actor: f.op)
            let second = try await f.services.hospitals.issueToken(hospitalCode: "PJ1", actor: f.op)
            _ = try await f.services.access.authenticate(token: first.token, origin: .cli(operator: "hospital"))
            let firstEnds = try await db.count(
                "SELECT ceil(extract(epoch FROM expires_at - now()))::int FROM api_tokens WHERE id = \(first.id)")
            #expect(
                firstEnds > 86_000 && firstEnds <= 86_400,
                "the earlier token ends within a day, not after \(firstEnds) s")
            #expect(
                try #require(second.expiresAt).timeIntervalSinceNow > 89 * 86_400, "the new one lives its full time")

            try await Self.end(tokenId: first.id, db)
            await #expect(throws: DomainError.unauthenticated) {
                try await f.services.access.authenticate(token: first.token, origin: .cli(operator: "hospital"))
            }
            _ = try await f.services.access.authenticate(token: second.token, origin: .cli(operator: "hospital"))
        }
    }

    /// Moves a token's end to a second ago, as time passing would.
    static func end(tokenId: Int64, _ db: TestDatabase) async throws {
        try await db.client.query(
            "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = \(tokenId)")
    }
}

@Suite("Token cache")
struct TokenCacheTests {
    @Test(
        "a token's user is remembered only while listening; a revocation or a grant taken on another replica ends it at once"
    )
    func cacheFollowsChanges() async throws {
        try await TestDatabase.withMigrated { db in
            let replica = db.services()
            let other = db.services()
            _ = try await DemoFixture.make(replica)
            let op = DemoFixture.operatorActor
            let origin = Origin.cli(operator: "t")
            let issued = try await replica.access.issueToken(username: "clinicianb", actor: op)
            _ = try await replica.access.authenticate(token: issued.token, origin: origin)
            #expect(replica.access.tokenCache.count == 0, "nothing is remembered while nobody listens")

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await replica.accessChangeListener().run() }
                // Listening starts in the background; the first lookup after it is remembered.
                try await Self.eventually {
                    _ = try await replica.access.authenticate(token: issued.token, origin: origin)
                    return replica.access.tokenCache.count == 1
                }
                let remembered = try await replica.access.authenticate(token: issued.token, origin: origin)
                #expect(remembered.grants.map(\.role) == [.clinician])

                // Another replica takes the grant away: this one hears it and looks again.
                let siteB = try #require(remembered.grants.first?.siteId)
                _ = try await other.access.setGrant(
                    username: "clinicianb", Grant(role: .clinician, siteId: siteB), revoke: true, actor: op)
                try await Self.eventually {
                    try await replica.access.authenticate(token: issued.token, origin: origin).grants.isEmpty
                }

                // And revokes the token: refused at once, not after the cache's minute.
                try await other.access.revokeToken(id: issued.id, actor: op)
                try await Self.eventually {
                    do {
                        _ = try await replica.access.authenticate(token: issued.token, origin: origin)
                        return false
                    } catch DomainError.unauthenticated {
                        return true
                    }
                }
                group.cancelAll()
            }
            #expect(replica.access.tokenCache.count == 0, "the cache is off again once the listener stops")
        }
    }

    /// Tries `condition` every 20 ms for up to 5 s: a notification arrives moments after commit.
    static func eventually(_ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the condition did not hold within 5 s")
    }
}
