import Foundation

/// A row of a laboratory's result spreadsheet, and the readings of values every form shares.
public enum LabResultRow {
    /// The columns a file must have.
    public static let required = ["accession", "result"]
    /// The columns a file may have.
    public static let optional = ["sampled_at", "tested_at", "n_gene_ct", "orf1ab_ct"]

    /// Reads one row (fields by lower-cased column) from line `line`; what cannot be read is
    /// named in `unreadable` by column, so the row can still go to review.
    public static func read(_ fields: [String: String], line: Int, raw: String) -> ReceivedResult {
        var received = ReceivedResult(place: "line \(line)", accessionText: fields["accession"] ?? "", raw: raw)
        var issues: [FieldIssue] = []
        let resultText = fields["result"] ?? ""
        received.result = result(resultText)
        if received.result == nil {
            issues.append(
                FieldIssue(field: "result", detail: "'\(resultText.prefix(40))' is not positive or negative"))
        }
        for (column, path) in [("n_gene_ct", \ReceivedResult.nGeneCt), ("orf1ab_ct", \ReceivedResult.orf1abCt)] {
            switch ct(fields[column] ?? "") {
            case .success(let value): received[keyPath: path] = value
            case .failure(let issue): issues.append(FieldIssue(field: column, detail: issue.detail))
            }
        }
        for (column, path) in [("sampled_at", \ReceivedResult.sampled), ("tested_at", \ReceivedResult.tested)] {
            guard let text = fields[column], !text.isEmpty else { continue }
            if let time = time(text) {
                received[keyPath: path] = time
            } else {
                issues.append(
                    FieldIssue(
                        field: column,
                        detail: "'\(text.prefix(40))' is not a time as YYYY-MM-DD HH:MM, or ISO 8601 with an offset"))
            }
        }
        received.unreadable = issues
        return received
    }

    /// A qualitative result as laboratories write it, in English or Chinese.
    public static func result(_ text: String) -> TestResultKind? {
        switch text.trimmedOfWhitespace.lowercased() {
        case "positive", "pos", "detected", "阳性", "+": .positive
        case "negative", "neg", "not detected", "阴性", "-": .negative
        default: nil
        }
    }

    /// What a Ct cell may say when the target was not detected: no value.
    static let noCt: Set<String> = ["", "-", "n/a", "na", "nd", "undetermined", "not detected", "未检出", "无"]

    /// A Ct value: a number in 0...50, or none.
    public static func ct(_ text: String) -> Result<Double?, UnreadableValue> {
        let trimmed = text.trimmedOfWhitespace
        if noCt.contains(trimmed.lowercased()) { return .success(nil) }
        guard let value = Double(trimmed), value.isFinite else {
            return .failure(UnreadableValue(detail: "'\(trimmed.prefix(40))' is not a number"))
        }
        guard NucleicAcidTestEntry.ctRange.contains(value) else {
            return .failure(UnreadableValue(detail: "\(trimmed.prefix(40)) is not between 0 and 50"))
        }
        return .success(value)
    }

    /// An RFC 3339 instant, or `YYYY-MM-DD HH:MM[:SS]` read later in the tube's site's time zone.
    public static func time(_ text: String) -> LabTime? {
        if let instant = RFC3339.date(text) { return .instant(instant) }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let day = CalendarDate(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":").map { Int($0) }
        guard (2...3).contains(clock.count), clock.allSatisfy({ $0 != nil }) else { return nil }
        let (h, m, s) = (clock[0]!, clock[1]!, clock.count == 3 ? clock[2]! : 0)
        guard (0..<24).contains(h), (0..<60).contains(m), (0..<60).contains(s) else { return nil }
        return .local(year: day.year, month: day.month, day: day.day, hour: h, minute: m, second: s)
    }
}

/// Why a value a laboratory wrote cannot be read.
public struct UnreadableValue: Error, Sendable, Equatable {
    public var detail: String
}
