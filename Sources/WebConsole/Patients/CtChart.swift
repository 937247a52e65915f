import Domain
import Foundation

/// A patient's N-gene Ct values over time as an SVG line, with the release threshold drawn
/// across: a clinician sees at a glance how far the last tests are from clearing. It has a Ct
/// axis and the sampling dates, and shows a negative test (no Ct) as a hollow mark at the top.
struct CtChart {
    let tests: [NucleicAcidTest]
    let threshold: Double
    let words: Catalogue
    let timeZone: TimeZone

    static let width = 340.0
    static let height = 160.0
    static let left = 34.0
    static let right = 12.0
    static let top = 12.0
    static let bottom = 34.0
    /// The axis's highest Ct: a negative test is drawn here, above every positive one.
    static let ceiling = 45.0

    var svg: String {
        let tests = tests.sorted { $0.sampledAt < $1.sampledAt }
        guard let first = tests.first?.sampledAt, let last = tests.last?.sampledAt else { return "" }
        let span = last.timeIntervalSince(first)
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        // A single test, or several at one instant, sit in the middle.
        func x(_ date: Date) -> Double {
            Self.left + (span > 0 ? plotWidth * date.timeIntervalSince(first) / span : plotWidth / 2)
        }
        func y(_ ct: Double) -> Double { Self.top + plotHeight * (1 - min(ct, Self.ceiling) / Self.ceiling) }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        let summary = tests.map { test in
            "\(LocalTimeText.dayAndTime(test.sampledAt, timeZone)) "
                + (test.nGeneCt.map { String(format: "%.1f", $0) } ?? words["test_\(test.result.rawValue)"])
        }.joined(separator: ", ")
        let label = "\(words["patient_ct_chart"]): \(summary); \(words["patient_threshold"]) \(threshold)"
        var svg =
            #"<svg class="chart" role="img" viewBox="0 0 \#(Int(Self.width)) \#(Int(Self.height))" "#
            + #"aria-label="\#(HTML.escape(label))">"#
        // The Ct axis: a low Ct is much virus, so it sits low; 40 and more is as good as none.
        for ct in [0.0, 10, 20, 30, 40] {
            svg +=
                #"<line class="grid" x1="\#(f(Self.left))" x2="\#(f(Self.width - Self.right))" y1="\#(f(y(ct)))" y2="\#(f(y(ct)))"/>"#
            svg += #"<text x="\#(f(Self.left - 4))" y="\#(f(y(ct)))" dy="3" text-anchor="end">\#(Int(ct))</text>"#
        }
        svg += #"<text x="2" y="\#(f(Self.top - 2))">Ct</text>"#
        let line = f(y(threshold))
        svg +=
            #"<line class="threshold" x1="\#(f(Self.left))" x2="\#(f(Self.width - Self.right))" y1="\#(line)" y2="\#(line)"/>"#
        svg +=
            #"<text class="threshold" x="\#(f(Self.width - Self.right))" y="\#(f(y(threshold) - 3))" text-anchor="end">\#(HTML.escape(words["patient_threshold"])) \#(threshold)</text>"#
        let positives = tests.compactMap { test in test.nGeneCt.map { (test.sampledAt, $0) } }
        if positives.count > 1 {
            let path = positives.map { "\(f(x($0.0))),\(f(y($0.1)))" }.joined(separator: " ")
            svg += #"<polyline class="ct" points="\#(path)"/>"#
        }
        for test in tests {
            if let ct = test.nGeneCt {
                svg += #"<circle class="ct" cx="\#(f(x(test.sampledAt)))" cy="\#(f(y(ct)))" r="3.5"/>"#
            } else {
                svg +=
                    #"<circle class="ct negative" cx="\#(f(x(test.sampledAt)))" cy="\#(f(y(Self.ceiling)))" r="3.5"/>"#
            }
        }
        // The dates: the first and the last, and the middle when there are three or more tests.
        var dated = [tests[0]]
        if tests.count >= 3 { dated.append(tests[tests.count / 2]) }
        if tests.count >= 2 { dated.append(tests[tests.count - 1]) }
        for test in dated {
            let day = String(LocalTimeText.dayAndTime(test.sampledAt, timeZone).prefix(10).suffix(5))
            svg +=
                #"<text x="\#(f(x(test.sampledAt)))" y="\#(f(Self.height - Self.bottom + 16))" text-anchor="middle">\#(day)</text>"#
        }
        svg += #"<circle class="ct negative" cx="\#(f(Self.left + 4))" cy="\#(f(Self.height - 8))" r="3.5"/>"#
        svg +=
            #"<text x="\#(f(Self.left + 12))" y="\#(f(Self.height - 5))">\#(HTML.escape(words["patient_negative_mark"]))</text>"#
        return svg + "</svg>"
    }
}
