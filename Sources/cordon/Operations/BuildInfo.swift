import Foundation

/// Which Cordon this is: the release in the source, and the git commit it was built from when
/// the deploy scripts say (`CORDON_GIT_COMMIT`, set by Deploy/run.sh and Deploy/cordon).
enum BuildInfo {
    static let version = "0.15.0"
    static let commit =
        ProcessInfo.processInfo.environment["CORDON_GIT_COMMIT"].flatMap { $0.isEmpty ? nil : $0 }
        ?? "unknown"
    static var description: String { "\(version) (commit \(commit))" }
}
