import CSV
import Domain
import Foundation

/// CSV text written with the CSV library, quoting what needs quoting. Every CSV Cordon writes
/// goes through here, so no cell of it runs as a formula when a spreadsheet opens the file.
enum CSVText {
    static func write(header: [String], rows: [[String]]) throws -> String {
        let writer = try CSVWriter(stream: .toMemory())
        try writer.write(row: header.map(inert))
        for row in rows { try writer.write(row: row.map(inert)) }
        writer.stream.close()
        let data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// What a spreadsheet would run as a formula: a cell starting with one of these.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// The cell as written: free text that a spreadsheet would read as a formula gets a leading
    /// `'` (OWASP's advice), which spreadsheets show as text; a plain number such as `-2` or
    /// `+8` stays as it is. `CSVTable` takes the mark off again, so an export reads back.
    static func inert(_ cell: String) -> String {
        guard let first = cell.first, formulaStarts.contains(first), !isPlainNumber(cell) else { return cell }
        return "'" + cell
    }

    /// The reverse of `inert`, for a file Cordon may have written.
    static func restored(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let second = cell.dropFirst().first, formulaStarts.contains(second) else {
            return cell
        }
        return String(cell.dropFirst())
    }

    private static func isPlainNumber(_ cell: String) -> Bool {
        let unsigned = cell.first == "-" || cell.first == "+" ? cell.dropFirst() : Substring(cell)
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return !unsigned.isEmpty && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}

/// A CSV file with a header, read into rows of named fields with the line each starts on.
struct CSVTable {
    struct Row {
        var line: Int
        /// Trimmed fields by lower-cased header name.
        var fields: [String: String]
    }
    var rows: [Row] = []
    /// Rows whose field count does not match the header, by line.
    var issues: [FieldIssue] = []
    /// The header's column names, lower-cased, in the file's order.
    var header: [String] = []
    /// The cells of the rows `issues` names, by line, for a reader that keeps every row.
    var unevenRows: [(line: Int, cells: [String])] = []

    /// Reads `text`, whose header must hold every `required` column and nothing beyond `optional`
    /// ones; a header that does not fit is thrown at once, since no row can be read without it.
    /// Blank rows are skipped.
    init(_ text: String, required: [String], optional: [String] = []) throws {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw DomainError.invalid(
                "line 1", "the file is empty; it needs the header \(required.joined(separator: ","))")
        }
        let header = (reader.headerRow ?? []).map { $0.trimmedOfWhitespace.lowercased() }
        var headerIssues: [FieldIssue] = []
        let missing = required.filter { !header.contains($0) }
        let unknown = header.filter { !required.contains($0) && !optional.contains($0) }
        if !missing.isEmpty {
            headerIssues.append(
                FieldIssue(field: "line 1", detail: "missing column(s): \(missing.joined(separator: ", "))"))
        }
        let repeated = Set(header.filter { name in header.filter { $0 == name }.count > 1 })
        if !repeated.isEmpty {
            headerIssues.append(
                FieldIssue(
                    field: "line 1", detail: "column(s) given twice: \(repeated.sorted().joined(separator: ", "))"))
        }
        if !unknown.isEmpty {
            headerIssues.append(
                FieldIssue(field: "line 1", detail: "unknown column(s): \(unknown.joined(separator: ", "))"))
        }
        if !headerIssues.isEmpty { throw DomainError.invalid(headerIssues) }
        var line = 2 + header.joined().filter { $0 == "\n" }.count
        while let raw = reader.next() {
            defer { line += 1 + raw.reduce(0) { $0 + $1.utf8.count(where: { $0 == UInt8(ascii: "\n") }) } }
            let fields = raw.map { CSVText.restored($0.trimmedOfWhitespace) }
            if fields.allSatisfy({ $0.isEmpty }) { continue }
            if fields.count != header.count {
                issues.append(
                    FieldIssue(
                        field: "line \(line)", detail: "has \(fields.count) fields; the header has \(header.count)"))
                unevenRows.append((line, fields))
                continue
            }
            rows.append(Row(line: line, fields: Dictionary(uniqueKeysWithValues: zip(header, fields))))
        }
        if rows.isEmpty && issues.isEmpty { throw DomainError.invalid("line 2", "the file has no rows") }
        self.header = header
    }
}
