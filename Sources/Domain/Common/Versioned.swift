/// A record changed under optimistic concurrency: every change bumps its version, and the API's
/// ETag and If-Match (the CLI's `--if-version`) carry it.
public protocol Versioned {
    var version: Int { get }
}

extension Versioned {
    /// Refuses a change made against another version than the stored one, with 412 and the
    /// current version; `nil` (no If-Match where it is optional) accepts any.
    public func check(expectedVersion: Int?) throws {
        if let expectedVersion, version != expectedVersion {
            throw DomainError.preconditionFailed(currentVersion: version)
        }
    }
}

extension Site: Versioned {}
extension Bed: Versioned {}
extension Patient: Versioned {}
extension StaffMember: Versioned {}
extension Team: Versioned {}
extension RosterRules: Versioned {}
extension Assignment: Versioned {}
extension CarePlan: Versioned {}
extension Referral: Versioned {}
extension Hospital: Versioned {}
extension Branch: Versioned {}
extension BranchTask: Versioned {}
