import Domain
import Foundation

/// Admissions and discharges per day as an SVG bar chart, drawn on the server so it shows
/// without script and prints: a count axis, the days as dates, and a sentence instead of an
/// empty box when nobody came or went. Every number is also in the chart's text alternative.
struct MovementChart {
    let days: [DayMovement]
    let words: Catalogue

    static let height = 120.0
    static let barWidth = 9.0
    static let dayWidth = 24.0
    /// Room on the left for the count axis, below for the dates.
    static let left = 30.0
    static let bottom = 30.0

    var svg: String {
        let largest = days.map { max($0.admissions, $0.discharges) }.max() ?? 0
        guard largest > 0 else {
            return #"<p class="muted" data-chart="empty">"#
                + HTML.escape(words["board_no_movements"].replacingOccurrences(of: "{n}", with: String(days.count)))
                + "</p>"
        }
        let width = Self.left + max(1, Double(days.count)) * Self.dayWidth + 10
        let summary = days.map {
            "\($0.date): \(words["board_admissions"]) \($0.admissions), \(words["board_discharges"]) \($0.discharges)"
        }.joined(separator: "; ")
        var parts = [
            #"<svg class="chart" role="img" viewBox="0 0 \#(Int(width)) \#(Int(Self.height + Self.bottom))" "#
                + #"aria-label="\#(HTML.escape(words["board_movements"] + ": " + summary))">"#
        ]
        // The count axis: zero, half and the largest day, with light guide lines.
        for value in Set([0, largest / 2, largest]).sorted() {
            let y = format(Self.height - Self.height * Double(value) / Double(largest) + 2)
            parts.append(
                #"<line class="grid" x1="\#(format(Self.left))" x2="\#(format(width - 5))" y1="\#(y)" y2="\#(y)"/>"#
                    + #"<text x="\#(format(Self.left - 4))" y="\#(y)" text-anchor="end" dy="3">\#(value)</text>"#)
        }
        // Every day's bars; a date under every third day and the last, as MM-DD.
        for (index, day) in days.enumerated() {
            let x = Self.left + 5 + Double(index) * Self.dayWidth
            parts.append(bar(x: x, value: day.admissions, largest: largest, kind: "admissions"))
            parts.append(bar(x: x + Self.barWidth + 1, value: day.discharges, largest: largest, kind: "discharges"))
            if index % 3 == 0 || index == days.count - 1 {
                let label = String(day.date.description.suffix(5))
                parts.append(
                    #"<text x="\#(format(x + Self.barWidth))" y="\#(format(Self.height + 16))" text-anchor="middle">\#(label)</text>"#
                )
            }
        }
        parts.append("</svg>")
        return parts.joined()
    }

    func bar(x: Double, value: Int, largest: Int, kind: String) -> String {
        let height = Self.height * Double(value) / Double(largest)
        return #"<rect class="\#(kind)" x="\#(format(x))" y="\#(format(Self.height - height + 2))" "#
            + #"width="\#(format(Self.barWidth))" height="\#(format(height))"><title>\#(value)</title></rect>"#
    }

    func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
