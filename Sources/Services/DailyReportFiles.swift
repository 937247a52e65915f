import CSV
import Domain
import Foundation

/// The daily report as files: a CSV row per site and day under one header.
public enum DailyReportFiles {
    /// `reports` as CSV, one row each, so that every site's file stacks into one sheet.
    public static func csv(_ reports: [DailyReport]) throws -> String {
        try CSVText.write(header: DailyReport.csvColumns, rows: reports.map(\.csvFields))
    }
}

/// CSV text written with the CSV library, quoting what needs quoting.
enum CSVText {
    static func write(header: [String], rows: [[String]]) throws -> String {
        let writer = try CSVWriter(stream: .toMemory())
        try writer.write(row: header)
        for row in rows { try writer.write(row: row) }
        writer.stream.close()
        let data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
