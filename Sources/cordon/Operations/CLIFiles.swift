import ArgumentParser
import Foundation

/// Files an operator names on the command line.
enum CLIFiles {
    /// The file's text, or a plain error saying it cannot be read as UTF-8.
    static func text(_ path: String) throws -> String {
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ValidationError("cannot read \(path) as UTF-8 text")
        }
    }
}
