/// One field that failed validation, with a sentence a person can act on.
public struct FieldIssue: Sendable, Equatable, Codable {
    /// The field at fault, as the client named it (camelCase, dotted for nesting).
    public var field: String
    /// Why it was refused.
    public var detail: String
    /// The same, as a key and values, when a rule gave it so: for a reader in another language.
    public var explanation: Explanation? = nil

    enum CodingKeys: String, CodingKey { case field, detail }

    public init(field: String, detail: String) {
        self.field = field
        self.detail = detail
    }

    /// Two issues are the same when they name the same field with the same words; the
    /// explanation is those words in another form.
    public static func == (a: FieldIssue, b: FieldIssue) -> Bool { a.field == b.field && a.detail == b.detail }

    /// An issue whose detail is a rule's explanation, worded in English.
    public init(field: String, explanation: Explanation) {
        self.field = field
        detail = explanation.english
        self.explanation = explanation
    }
}

/// The errors every layer speaks. The HTTP layer maps each case to one status code, the CLI to one
/// message on stderr, so that a rule broken anywhere reads the same everywhere.
public enum DomainError: Error, Sendable, Equatable {
    /// Input that cannot be accepted as it stands (422).
    case invalid([FieldIssue])
    /// The record does not exist, or the caller may not know that it exists (404).
    case notFound(String)
    /// The request clashes with the current state (409), e.g. a bed that is already occupied.
    case conflict(String, field: String? = nil)
    /// A state change that the state machine does not allow from here (409).
    case illegalTransition(from: String, to: String, allowed: [String])
    /// The `If-Match` version is stale (412).
    case preconditionFailed(currentVersion: Int)
    /// An update arrived without `If-Match` (428).
    case preconditionRequired
    /// No valid credentials (401).
    case unauthenticated
    /// Authenticated, but the role may not do this (403).
    case forbidden(String)
    /// A credential that was good once and is no longer, e.g. an expired check-in code (410).
    case expired(String)
    /// Too many attempts from one place; try again after `retryAfter` seconds (429).
    case tooManyAttempts(String, retryAfter: Int)
    /// The database cannot be reached or did not answer in time; nothing was written (503).
    case unavailable(String)
    /// The connection died after the change was sent to be committed: it may or may not have
    /// been saved. A retry with the same Idempotency-Key finds out (503).
    case outcomeUnknown(String)

    /// Shorthand for a single invalid field.
    public static func invalid(_ field: String, _ detail: String) -> DomainError {
        .invalid([FieldIssue(field: field, detail: detail)])
    }
}

/// Collects every validation issue before failing, so a person fixes all of them in one go.
public struct Validator: Sendable {
    public private(set) var issues: [FieldIssue] = []

    public init() {}

    /// Records an issue when `condition` is false.
    public mutating func check(_ condition: Bool, _ field: String, _ detail: @autoclosure () -> String) {
        if !condition { issues.append(FieldIssue(field: field, detail: detail())) }
    }

    /// Records an issue unconditionally.
    public mutating func fail(_ field: String, _ detail: String) {
        issues.append(FieldIssue(field: field, detail: detail))
    }

    /// Throws `DomainError.invalid` when anything was recorded.
    public func finish() throws {
        if !issues.isEmpty { throw DomainError.invalid(issues) }
    }
}

extension Validator {
    /// Checks a required free-text field: trimmed, not empty, at most `max` characters.
    public mutating func text(_ value: String, _ field: String, max: Int = 200) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        check(!trimmed.isEmpty, field, "must not be empty")
        check(value.count <= max, field, "must be at most \(max) characters")
    }

    /// Checks a phone number: 5 to 20 digits, spaces and dashes between them, a leading +, at
    /// most 30 characters in all.
    public mutating func phone(_ value: String?, _ field: String) {
        guard let value else { return }
        let digits = value.filter { $0.isASCII && $0.isNumber }
        let shaped =
            value.count <= 30
            && value.enumerated().allSatisfy { i, c in
                (c.isASCII && c.isNumber) || c == "-" || c == " " || (c == "+" && i == 0)
            }
        check(
            shaped && (5...20).contains(digits.count), field,
            "must be 5-20 digits, optionally with a leading +, spaces or dashes")
    }

    /// Checks an optional free-text field's length.
    public mutating func optionalText(_ value: String?, _ field: String, max: Int = 200) {
        if let value { check(value.count <= max, field, "must be at most \(max) characters") }
    }
}

extension DomainError: CustomStringConvertible {
    /// One line for a person at a terminal.
    public var description: String {
        switch self {
        case .invalid(let issues):
            "invalid input: " + issues.map { "\($0.field): \($0.detail)" }.joined(separator: "; ")
        case .notFound(let what): "not found: \(what)"
        case .conflict(let why, _): "conflict: \(why)"
        case .illegalTransition(let from, let to, let allowed):
            "cannot go from \(from) to \(to)" + (allowed.isEmpty ? "" : "; allowed: \(allowed.joined(separator: ", "))")
        case .preconditionFailed(let v): "the record changed meanwhile (now version \(v)); read it again"
        case .preconditionRequired: "this update needs the version you read (If-Match)"
        case .unauthenticated: "no valid token"
        case .forbidden(let why): "forbidden: \(why)"
        case .expired(let what): "expired: \(what)"
        case .tooManyAttempts(let what, let seconds): "too many attempts: \(what); try again in \(seconds) s"
        case .unavailable(let why): "the database is unavailable: \(why); nothing was written, try again shortly"
        case .outcomeUnknown(let why): "the change may or may not have been saved: \(why); check before trying again"
        }
    }
}

/// A setting that cannot be used, with what to do about it.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Optional {
    /// The value, or a 404 naming `what`: `try await tx.shifts.shift(...).orNotFound("shift")`.
    public func orNotFound(_ what: String) throws -> Wrapped {
        guard let self else { throw DomainError.notFound("\(what) not found") }
        return self
    }
}

extension Optional {
    /// The value, or `error` thrown: `try staff.first { ... }.orThrow(DomainError.notFound("no team T1 at this
    /// site"))`.
    public func orThrow(_ error: @autoclosure () -> DomainError) throws -> Wrapped {
        guard let self else { throw error() }
        return self
    }
}
