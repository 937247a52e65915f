import Foundation

/// The numbered `.sql` files of this folder, shipped as resources so the migrator always applies
/// exactly the files it was built with.
public enum MigrationFiles {
    /// Each file's name and text, in name order.
    public static func all() throws -> [(name: String, sql: String)] {
        guard let folder = Bundle.module.resourceURL else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
            .map { ($0, try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
    }
}
