import Foundation

/// What `poll` throws when the wait runs out; the test fails with its description.
public struct TimedOut: Error, CustomStringConvertible {
    public var description: String
}

/// Waits until `value` gives something and returns it, looking every 20 ms for at most `seconds`.
public func poll<T>(_ what: String, within seconds: TimeInterval = 20, _ value: () async throws -> T?) async throws -> T
{
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let found = try await value() { return found }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TimedOut(description: "timed out after \(seconds) s waiting until \(what)")
}

/// Waits until `condition` holds, for at most `seconds`.
public func eventually(_ what: String, within seconds: TimeInterval = 20, _ condition: () async throws -> Bool)
    async throws
{
    _ = try await poll(what, within: seconds) { try await condition() ? true : nil }
}
