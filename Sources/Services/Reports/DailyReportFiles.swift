import Domain

/// The daily report as files: a CSV row per site and day under one header.
public enum DailyReportFiles {
    /// `reports` as CSV, one row each, so that every site's file stacks into one sheet.
    public static func csv(_ reports: [DailyReport]) throws -> String {
        try CSVText.write(header: DailyReport.csvColumns, rows: reports.map(\.csvFields))
    }
}
