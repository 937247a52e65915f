import Domain
import Foundation
import Storage

/// A signed-in browser, as each console page sees it.
public struct ConsoleSession: Sendable {
    /// Who is acting, with their grants as they are now (read on every page).
    public let actor: Actor
    public let displayName: String
    /// The token every form of this session must carry (derived from the session's secret).
    public let csrfToken: String
}

/// How long console sessions last and how failed sign-ins are throttled.
public struct ConsoleSessionPolicy: Sendable {
    /// A session unused for this long ends (`CONSOLE_IDLE_MINUTES`).
    public var idle: TimeInterval
    /// A session ends this long after sign-in however busy it is.
    public var absolute: TimeInterval
    /// Failed sign-ins allowed per user name, and per address, in `failureWindow`.
    public var failuresPerUser: Int
    public var failuresPerAddress: Int
    public var failureWindow: TimeInterval
    /// Password resets tried per address in `failureWindow`, whatever their outcome.
    public var resetsPerAddress: Int
    /// How long a password-reset link stays usable.
    public var resetLinkLifetime: TimeInterval
    /// bcrypt's cost: 2^cost rounds (12 takes about a quarter of a second on one core).
    public var bcryptCost: UInt8

    public init(
        idle: TimeInterval = 30 * 60, absolute: TimeInterval = 12 * 3600, failuresPerUser: Int = 5,
        failuresPerAddress: Int = 20, failureWindow: TimeInterval = 15 * 60, resetsPerAddress: Int = 10,
        resetLinkLifetime: TimeInterval = 86_400, bcryptCost: UInt8 = 12
    ) {
        self.idle = idle
        self.absolute = absolute
        self.failuresPerUser = failuresPerUser
        self.failuresPerAddress = failuresPerAddress
        self.failureWindow = failureWindow
        self.resetsPerAddress = resetsPerAddress
        self.resetLinkLifetime = resetLinkLifetime
        self.bcryptCost = bcryptCost
    }
}

/// Passwords, sign-in and sessions of the web console. Sessions live in PostgreSQL (hashed), so
/// every `cordon serve` replica knows them; failed sign-ins are counted there too.
public struct ConsoleAccessService: Sendable {
    let database: Database
    let security: SecurityLogService
    public let policy: ConsoleSessionPolicy
    /// Where bcrypt runs: the process's one hasher, unless a test gives its own.
    let passwords: PasswordHasher

    public init(
        database: Database, security: SecurityLogService, policy: ConsoleSessionPolicy,
        passwords: PasswordHasher = .shared
    ) {
        self.database = database
        self.security = security
        self.policy = policy
        self.passwords = passwords
    }

    /// Passwords shorter than this are refused; bcrypt reads no further than 72 bytes.
    public static let passwordLengths = (fewest: 10, mostBytes: 72)

    /// Signs a person in and returns the new session's secret (for the cookie, and nowhere else).
    /// A wrong name and a wrong password get the same answer, after the same work.
    ///
    /// Each attempt is counted against the user name and the address before the password is
    /// checked, in one atomic statement per bucket, so a burst of parallel guesses gets no more
    /// checks than the limit; a sign-in that succeeds takes its own count back.
    public func signIn(username: String, password: String, origin: Origin) async throws -> String {
        let address = origin.address ?? "unknown"
        let name = username.lowercased().trimmingCharacters(in: .whitespaces)
        let buckets = (user: "sign-in:user:\(name)", address: "sign-in:address:\(address)")
        let (user, byAddress, credentials) = try await database.transaction(.system("sign-in")) { tx in
            (
                try await tx.rateLimits.hit(bucket: buckets.user, window: policy.failureWindow),
                try await tx.rateLimits.hit(bucket: buckets.address, window: policy.failureWindow),
                try await tx.consoleSessions.credentials(username: name)
            )
        }
        if user.hits > policy.failuresPerUser || byAddress.hits > policy.failuresPerAddress {
            await record(.rateLimited, status: 429, username: name, origin: origin, "sign-in throttled")
            let wait = max(
                user.hits > policy.failuresPerUser ? user.secondsLeft : 0,
                byAddress.hits > policy.failuresPerAddress ? byAddress.secondsLeft : 0)
            throw DomainError.tooManyAttempts("sign-in", retryAfter: max(1, Int(wait.rounded(.up))))
        }
        // An unknown user is checked against a hash of nothing, so the answer takes as long.
        let hash = credentials?.passwordHash ?? Self.unusableHash
        let matches = try await passwords.verify(password, hash: hash)
        guard let credentials, credentials.passwordHash != nil, matches else {
            try await database.transaction(.system("sign-in")) { tx in
                try await tx.audit.record(
                    "sign_in_failed", entity: "console_session", id: nil, siteId: nil, before: Nothing?.none,
                    after: ["user": name])
            }
            await record(.signInFailed, status: 401, username: name, origin: origin, "wrong user name or password")
            throw DomainError.unauthenticated
        }
        let secret = Secret.generate(prefix: "cds_")
        let actor = Actor(userId: credentials.userId, username: name, grants: [], origin: origin)
        try await database.transaction(actor) { tx in
            try await tx.rateLimits.forgive(bucket: buckets.user)
            try await tx.rateLimits.forgive(bucket: buckets.address)
            try await tx.consoleSessions.insertSession(
                secretHash: Secret.hash(secret), userId: credentials.userId,
                endsAt: Date().addingTimeInterval(policy.absolute))
            try await tx.audit.created("console_session", id: nil, siteId: nil, ["user": name], action: "sign_in")
        }
        return secret
    }

    /// The session behind a cookie's secret, or nil when it is unknown, idle too long, past its
    /// end, or its user holds no grant any more.
    public func session(secret: String, origin: Origin) async throws -> ConsoleSession? {
        guard secret.hasPrefix("cds_"), secret.count < 100 else { return nil }
        let user = try await database.statement(.system("console-session")) { tx in
            try await tx.consoleSessions.touch(secretHash: Secret.hash(secret), idle: policy.idle)
        }
        guard let user, !user.grants.isEmpty else { return nil }
        return ConsoleSession(
            actor: Actor(
                userId: user.id, username: user.username, grants: user.grants, origin: origin,
                hospitalId: user.hospitalId),
            displayName: user.displayName, csrfToken: Self.csrfToken(secret: secret))
    }

    /// The token a session's forms carry: a hash of the session's secret, so it is stored nowhere.
    public static func csrfToken(secret: String) -> String { Secret.hash("csrf:" + secret) }

    /// Ends this browser's session.
    public func signOut(secret: String, actor: Actor) async throws {
        try await database.transaction(actor) { tx in
            if try await tx.consoleSessions.endSession(secretHash: Secret.hash(secret)) {
                try await tx.audit.record(
                    "sign_out", entity: "console_session", id: nil, siteId: nil, before: Nothing?.none,
                    after: Nothing?.none)
            }
        }
    }

    /// Ends every session of the acting user, in every browser; returns how many ended.
    public func signOutEverywhere(actor: Actor) async throws -> Int {
        guard let userId = actor.userId else { throw DomainError.unauthenticated }
        return try await database.transaction(actor) { tx in
            let ended = try await tx.consoleSessions.endSessions(userId: userId)
            try await tx.audit.record(
                "sign_out_everywhere", entity: "console_session", id: nil, siteId: nil, before: Nothing?.none,
                after: ["sessions": ended])
            return ended
        }
    }

    /// Sets a user's password and ends their sessions. Admin only (the CLI's operator).
    public func setPassword(username: String, password: String, actor: Actor) async throws {
        try actor.requireAdmin()
        let hash = try await hashChecked(password)
        try await database.transaction(actor) { tx in
            let user = try await tx.access.user(username: username).orThrow(DomainError.notFound("no user \(username)"))
            try await store(hash, for: user.id, tx)
        }
    }

    /// Issues a one-time link secret with which a person sets their own password. Admin only.
    public func issueResetLink(username: String, actor: Actor) async throws -> (secret: String, expiresAt: Date) {
        try actor.requireAdmin()
        return try await database.transaction(actor) { tx in
            let user = try await tx.access.user(username: username).orThrow(DomainError.notFound("no user \(username)"))
            let secret = Secret.generate(prefix: "cdr_")
            let expiresAt = Date().addingTimeInterval(policy.resetLinkLifetime)
            try await tx.consoleSessions.insertReset(
                tokenHash: Secret.hash(secret), userId: user.id, expiresAt: expiresAt)
            try await tx.audit.created(
                "password_reset", id: user.id, siteId: nil, ["user": username], action: "issue")
            return (secret, expiresAt)
        }
    }

    /// Whether a reset link can still be used (to show its form, or say it has expired).
    public func resetLinkIsLive(_ secret: String) async throws -> Bool {
        guard secret.hasPrefix("cdr_"), secret.count < 100 else { return false }
        return try await database.read(.system("password-reset")) { tx in
            try await tx.consoleSessions.resetIsLive(tokenHash: Secret.hash(secret))
        }
    }

    /// Sets the password of the reset link's user and uses the link up. Attempts are counted
    /// per address first, and a link that is not live is refused before any hashing, so nobody
    /// without a link can make the server spend a bcrypt hash.
    public func resetPassword(secret: String, password: String, origin: Origin) async throws {
        do {
            try await RateLimiter(database: database).admit(
                bucket: "reset:address:\(origin.address ?? "unknown")", limit: policy.resetsPerAddress,
                window: policy.failureWindow, what: "password reset")
        } catch DomainError.tooManyAttempts(let what, let seconds) {
            await record(.rateLimited, status: 429, path: "/console/reset", origin: origin, "password reset throttled")
            throw DomainError.tooManyAttempts(what, retryAfter: seconds)
        }
        guard try await resetLinkIsLive(secret) else { throw Self.deadLink }
        let hash = try await hashChecked(password)
        try await database.transaction(Actor(userId: nil, username: "password-reset", grants: [], origin: origin)) {
            tx in
            let userId = try await tx.consoleSessions.useReset(tokenHash: Secret.hash(secret)).orThrow(Self.deadLink)
            try await store(hash, for: userId, tx)
        }
    }

    static let deadLink = DomainError.invalid(
        "link", "this link has been used or has expired; ask an admin for a new one")

    /// Stores the hash, ends the user's sessions and audits it (never the password or its hash).
    private func store(_ hash: String, for userId: Int64, _ tx: Transaction) async throws {
        try await tx.consoleSessions.setPasswordHash(userId: userId, hash)
        let ended = try await tx.consoleSessions.endSessions(userId: userId)
        try await tx.audit.record(
            "set_password", entity: "user", id: userId, siteId: nil, before: Nothing?.none,
            after: ["sessionsEnded": ended])
    }

    private func hashChecked(_ password: String) async throws -> String {
        var v = Validator()
        v.check(
            password.count >= Self.passwordLengths.fewest, "password",
            "must be at least \(Self.passwordLengths.fewest) characters")
        v.check(
            password.utf8.count <= Self.passwordLengths.mostBytes, "password",
            "must be at most \(Self.passwordLengths.mostBytes) bytes (bcrypt reads no further)")
        try v.finish()
        return try await passwords.hash(password, cost: policy.bcryptCost)
    }

    private func record(
        _ kind: SecurityEventKind, status: Int, username: String? = nil, path: String = "/console/sign-in",
        origin: Origin, _ detail: String
    ) async {
        await security.record(
            SecurityEvent(
                kind: kind, status: status, method: "POST", path: path, address: origin.address,
                requestId: origin.requestId, username: username.map { String($0.prefix(64)) }, detail: detail))
    }

    /// A well-formed hash that no password matches, for sign-ins of unknown users.
    static let unusableHash = "$2b$12$" + String(repeating: ".", count: 53)
}

extension Origin {
    /// The client's address, when the request came over HTTP.
    public var address: String? {
        if case .http(_, let address) = self { return address }
        return nil
    }

    /// The request's id, when the request came over HTTP.
    public var requestId: String? {
        if case .http(let requestId, _) = self { return requestId }
        return nil
    }
}
