import Domain
import Foundation

/// Admissions and discharges per day as an SVG bar chart, drawn on the server so it shows
/// without script and prints. Every number is also in the chart's text alternative.
struct MovementChart {
    let days: [DayMovement]
    let words: Catalogue

    static let height = 120.0
    static let barWidth = 9.0
    static let dayWidth = 24.0

    var svg: String {
        let largest = max(1, days.map { max($0.admissions, $0.discharges) }.max() ?? 1)
        let width = max(1, Double(days.count)) * Self.dayWidth + 10
        let summary = days.map {
            "\($0.date): \(words["board_admissions"]) \($0.admissions), \(words["board_discharges"]) \($0.discharges)"
        }.joined(separator: "; ")
        var parts = [
            #"<svg class="chart" role="img" viewBox="0 0 \#(Int(width)) \#(Int(Self.height + 20))" "#
                + #"aria-label="\#(SVGText.escape(words["board_movements"] + ": " + summary))">"#
        ]
        for (index, day) in days.enumerated() {
            let x = 5 + Double(index) * Self.dayWidth
            parts.append(bar(x: x, value: day.admissions, largest: largest, kind: "admissions"))
            parts.append(bar(x: x + Self.barWidth + 1, value: day.discharges, largest: largest, kind: "discharges"))
            let label = String(day.date.description.suffix(2))
            parts.append(
                #"<text x="\#(format(x + Self.barWidth))" y="\#(format(Self.height + 14))" text-anchor="middle">\#(label)</text>"#
            )
        }
        parts.append("</svg>")
        return parts.joined()
    }

    func bar(x: Double, value: Int, largest: Int, kind: String) -> String {
        let height = Self.height * Double(value) / Double(largest)
        return #"<rect class="\#(kind)" x="\#(format(x))" y="\#(format(Self.height - height))" "#
            + #"width="\#(format(Self.barWidth))" height="\#(format(height))"><title>\#(value)</title></rect>"#
    }

    func format(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// Text placed inside markup the console builds itself (the charts); templates escape on their own.
enum SVGText {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
