import Domain
import Foundation

/// A patient's Ct values over time as an SVG line, with the release threshold drawn across: a
/// clinician sees at a glance how far the last tests are from clearing.
struct CtChart {
    let tests: [NucleicAcidTest]
    let threshold: Double
    let words: Catalogue

    static let width = 320.0
    static let height = 140.0
    static let top = NucleicAcidTestEntry.ctRange.upperBound

    var svg: String {
        let points = tests.compactMap { test in test.nGeneCt.map { (test.sampledAt, $0) } }
        guard let first = points.first?.0, let last = points.last?.0 else { return "" }
        let span = max(1, last.timeIntervalSince(first))
        func x(_ date: Date) -> Double { 20 + (Self.width - 30) * date.timeIntervalSince(first) / span }
        func y(_ ct: Double) -> Double { 10 + (Self.height - 20) * (1 - min(ct, Self.top) / Self.top) }
        let summary = points.map { String(format: "%.1f", $0.1) }.joined(separator: ", ")
        let label = "\(words["patient_ct_chart"]): \(summary); \(words["patient_threshold"]) \(threshold)"
        var svg =
            #"<svg class="chart" role="img" viewBox="0 0 \#(Int(Self.width)) \#(Int(Self.height))" "#
            + #"aria-label="\#(SVGText.escape(label))">"#
        let line = String(format: "%.1f", y(threshold))
        svg += #"<line class="threshold" x1="20" x2="\#(Int(Self.width - 10))" y1="\#(line)" y2="\#(line)"/>"#
        svg += #"<text x="22" y="\#(String(format: "%.1f", y(threshold) - 3))">\#(threshold)</text>"#
        let path = points.map { String(format: "%.1f,%.1f", x($0.0), y($0.1)) }.joined(separator: " ")
        svg += #"<polyline class="ct" points="\#(path)"/>"#
        for point in points {
            svg += String(format: #"<circle class="ct" cx="%.1f" cy="%.1f" r="3"/>"#, x(point.0), y(point.1))
        }
        return svg + "</svg>"
    }
}
