import ArgumentParser
import Foundation

/// `--json` on every listing; a readable table otherwise.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
}

/// Plain-text tables and JSON for command output.
enum Output {
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Prints rows under headers, each column as wide as its widest cell.
    static func table(_ headers: [String], _ rows: [[String]]) {
        let widths = headers.indices.map { i in ([headers[i]] + rows.map { $0[i] }).map(displayWidth).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                cell + String(repeating: " ", count: max(0, widths[i] - displayWidth(cell)))
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        print(line(headers))
        print(line(widths.map { String(repeating: "-", count: $0) }))
        for row in rows { print(line(row)) }
        if rows.isEmpty { print("(none)") }
    }

    /// Chinese characters take two columns in a terminal.
    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && $1.properties.isIdeographic ? 2 : 1) }
    }

    /// `date` as the site's clock showed it (UTC when no site is in view).
    static func time(_ date: Date?, zone: TimeZone = TimeZone(identifier: "UTC")!) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
