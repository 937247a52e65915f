import Domain

/// A stock alert as a line on a page: the medicine by name with its code, what to do in the
/// reader's language, and a link to the medicine's ledger. The board, the worklist, the stock
/// page and the daily report show the same line.
struct StockAlertLine: Sendable {
    var medication: String
    var code: String
    /// HTML: the catalogue's sentence, with the lot and shelf marked as data.
    var detail: String
    var ledger: String

    init(_ alert: StockAlert, words: Catalogue, site: Site) {
        medication = alert.medicationName
        code = alert.medicationCode
        detail = words.explainMarked(alert.explanation)
        ledger =
            "/console/sites/\(SitePages.pathCode(site))/stock/ledger?medication="
            + (alert.medicationCode.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")
    }

    /// The alerts once each: two alerts that read the same are one thing to do.
    static func lines(_ alerts: [StockAlert], words: Catalogue, site: Site) -> [StockAlertLine] {
        var seen = Set<String>()
        return alerts.map { StockAlertLine($0, words: words, site: site) }.filter {
            seen.insert($0.code + $0.detail).inserted
        }
    }
}
