import Crypto
import Domain
import Foundation
import Storage

/// A bearer token as issued: the secret is shown once and stored only as a hash.
public struct IssuedToken: Sendable, Codable {
    public var id: Int64
    public var username: String
    public var token: String
    public var expiresAt: Date?
}

/// Users, grants, bearer tokens, and turning a token into an `Actor`.
public struct AccessService: Sendable {
    let database: Database
    /// How long a token lives unless issued for another time (`TOKEN_DAYS`).
    let tokenLifetime: TimeInterval
    /// Users behind recently seen tokens; used only while `cordon serve` listens for changes.
    public let tokenCache: TokenCache

    /// The longest a token may be issued for.
    public static let longestValidity: TimeInterval = 3650 * 86_400

    /// The actor behind a bearer token, or `unauthenticated`.
    public func authenticate(token: String, origin: Origin) async throws -> Actor {
        guard token.hasPrefix("cdn_"), token.count < 200 else { throw DomainError.unauthenticated }
        let hash = Secret.hash(token)
        let user: UserRecord
        if let remembered = tokenCache.user(tokenHash: hash) {
            user = remembered
        } else {
            let generation = tokenCache.currentGeneration
            let found = try await database.read(.system("authentication")) { tx in
                try await tx.access.user(tokenHash: hash)
            }
            guard let found else { throw DomainError.unauthenticated }
            tokenCache.remember(found.user, tokenExpiresAt: found.tokenExpiresAt, tokenHash: hash, since: generation)
            user = found.user
        }
        return Actor(
            userId: user.id, username: user.username, grants: user.grants, origin: origin, hospitalId: user.hospitalId,
            laboratoryId: user.laboratoryId)
    }

    /// Creates a user. Admin only.
    public func createUser(username: String, displayName: String, actor: Actor) async throws -> UserRecord {
        try actor.requireAdmin()
        var v = Validator()
        v.check(
            username.range(of: #"^[a-z0-9][a-z0-9._-]{1,63}$"#, options: .regularExpression) != nil, "username",
            "must be 2-64 lower-case letters, digits, dots, dashes or underscores")
        v.text(displayName, "displayName", max: 100)
        try v.finish()
        return try await database.transaction(actor) { tx in
            let repo = tx.access
            let id = try await repo.insertUser(username: username, displayName: displayName)
            let user = UserRecord(id: id, username: username, displayName: displayName, grants: [])
            try await tx.audit.record("create", entity: "user", id: id, siteId: nil, before: Nothing?.none, after: user)
            return user
        }
    }

    /// Every user with their grants. Admin only.
    public func users(actor: Actor) async throws -> [UserRecord] {
        try actor.requireAdmin()
        return try await database.read(actor) { tx in try await tx.access.users() }
    }

    /// Grants or revokes a role. Admin only.
    public func setGrant(username: String, _ grant: Grant, revoke: Bool = false, actor: Actor) async throws
        -> UserRecord
    {
        try actor.requireAdmin()
        try grant.validate()
        return try await database.transaction(actor) { tx in
            let repo = tx.access
            let before = try await repo.user(username: username).orThrow(DomainError.notFound("no user \(username)"))
            if let siteId = grant.siteId, try await tx.sites.get(siteId) == nil {
                throw DomainError.notFound("site not found")
            }
            if revoke {
                guard try await repo.deleteGrant(userId: before.id, grant) else {
                    throw DomainError.conflict("\(username) does not hold that grant", field: "role")
                }
                // A browser signed in under the old grants signs in again.
                _ = try await tx.consoleSessions.endSessions(userId: before.id)
            } else {
                try await repo.insertGrant(userId: before.id, grant)
            }
            let after = try await repo.user(username: username)!
            try await tx.audit.record(
                revoke ? "revoke" : "grant", entity: "user", id: before.id, siteId: grant.siteId, before: before,
                after: after)
            return after
        }
    }

    /// Issues a new bearer token for a user, valid for `validFor` (the configured lifetime,
    /// 90 days by default). Admin only. The secret is in the result and nowhere else.
    public func issueToken(username: String, label: String = "", validFor: TimeInterval? = nil, actor: Actor)
        async throws -> IssuedToken
    {
        try actor.requireAdmin()
        return try await database.transaction(actor) { tx in
            let user = try await tx.access.user(username: username).orThrow(DomainError.notFound("no user \(username)"))
            return try await Self.insertToken(
                userId: user.id, username: username, label: label, validFor: validFor ?? tokenLifetime, tx)
        }
    }

    /// Stores a new token's hash in `tx` and audits it.
    static func insertToken(userId: Int64, username: String, label: String, validFor: TimeInterval, _ tx: Transaction)
        async throws -> IssuedToken
    {
        guard validFor > 0 && validFor <= longestValidity else {
            throw DomainError.invalid("days", "must be between 1 and \(Int(longestValidity / 86_400)) days")
        }
        let secret = Secret.generate(prefix: "cdn_")
        let expiresAt = Date().addingTimeInterval(validFor)
        let id = try await tx.access.insertToken(
            userId: userId, hash: Secret.hash(secret), label: label, expiresAt: expiresAt)
        try await tx.audit.created(
            "api_token", id: id, siteId: nil,
            ["user": username, "label": label, "expiresAt": ISO8601DateFormatter().string(from: expiresAt)],
            action: "issue")
        return IssuedToken(id: id, username: username, token: secret, expiresAt: expiresAt)
    }

    /// How long a replaced integration token keeps working, so the system can switch over.
    public static let rotationOverlap: TimeInterval = 86_400

    /// Issues a token to an integration user (a hospital's or a laboratory's system): earlier
    /// tokens keep working for `rotationOverlap`, then expire. Audited.
    static func rotateIntegrationToken(
        userId: Int64, username: String, label: String, validFor: TimeInterval, _ tx: Transaction
    ) async throws -> IssuedToken {
        let issued = try await insertToken(userId: userId, username: username, label: label, validFor: validFor, tx)
        let shortened = try await tx.access.shortenLiveTokens(
            userId: userId, by: Date().addingTimeInterval(rotationOverlap), except: issued.id)
        if shortened > 0 {
            try await tx.audit.record(
                "rotate", entity: "api_token", id: issued.id, siteId: nil, before: Nothing?.none,
                after: ["user": username, "earlierTokensEndWithin": "24h", "earlierTokens": String(shortened)])
        }
        return issued
    }

    /// Revokes a token by id. Admin only.
    public func revokeToken(id: Int64, actor: Actor) async throws {
        try actor.requireAdmin()
        try await database.transaction(actor) { tx in
            let owner = try await tx.access.revokeToken(id: id).orThrow(
                DomainError.notFound("no live token with id \(id)"))
            try await tx.audit.record(
                "revoke", entity: "api_token", id: id, siteId: nil, before: ["user": owner], after: Nothing?.none)
        }
    }
}
