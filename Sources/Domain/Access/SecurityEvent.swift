import Foundation

/// What was refused at the door.
public enum SecurityEventKind: String, Sendable, Codable, CaseIterable {
    /// A bearer token was presented and is not valid (unknown, revoked or expired).
    case badToken = "bad_token"
    /// A signed-in caller asked for something their role may not do.
    case forbidden
    /// Too many attempts (check-ins, sign-ins) from one address.
    case rateLimited = "rate_limited"
    /// A person's sign-in was refused.
    case signInFailed = "sign_in_failed"
    /// A transfer list was refused for naming people already at the site, to a caller who may
    /// not see whole ID numbers (it could be someone trying numbers).
    case identityMatch = "identity_match"
}

/// One line of the append-only security log.
public struct SecurityEvent: Sendable, Codable, Equatable {
    public var id: Int64
    public var at: Date
    public var kind: SecurityEventKind
    public var status: Int
    public var method: String
    public var path: String
    public var address: String?
    public var requestId: String?
    /// Who was signed in (for a 403), or who was named (a failed sign-in); never a token.
    public var username: String?
    public var detail: String

    public init(
        id: Int64 = 0, at: Date = Date(), kind: SecurityEventKind, status: Int, method: String, path: String,
        address: String?,
        requestId: String?, username: String?, detail: String
    ) {
        self.id = id
        self.at = at
        self.kind = kind
        self.status = status
        self.method = method
        self.path = path
        self.address = address
        self.requestId = requestId
        self.username = username
        self.detail = detail
    }
}
