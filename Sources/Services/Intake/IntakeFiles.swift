import Domain
import Foundation

/// Transfer lists as files: a CSV from the district command's spreadsheet.
extension IntakeService {
    /// Reads a transfer list CSV and imports it as `importList` does. Every problem, in the file's
    /// format or in its people, is reported by line, and nothing is written unless all pass.
    public func importCSV(siteId: Site.ID, _ text: String, reference: String, expectedAt: Date?, actor: Actor)
        async throws -> IntakeBatch
    {
        try actor.require(Self.receivers, at: siteId)
        let timeZone = try await database.read(actor) { tx in try await tx.site(siteId).timeZone }
        let table = try CSVTable(text, required: TransferListRow.required, optional: TransferListRow.optional)
        var issues = table.issues
        var persons: [TransferPerson] = []
        var lines: [Int] = []
        for row in table.rows {
            switch TransferListRow.parse(row.fields, timeZone: timeZone) {
            case .success(let person):
                persons.append(person)
                lines.append(row.line)
            case .failure(.invalid(let rowIssues)):
                issues += rowIssues.map {
                    FieldIssue(field: "line \(row.line)", detail: "\(TransferListRow.column($0.field)): \($0.detail)")
                }
            case .failure(let other): throw other
            }
        }
        return try await importList(
            siteId: siteId, TransferList(reference: reference, expectedAt: expectedAt, persons: persons),
            positions: .file(lines: lines, column: TransferListRow.column), formatIssues: issues, actor: actor)
    }

    /// Issues in line order, those about the whole list first; a JSON list's keep their order.
    static func byLine(_ issues: [FieldIssue]) -> [FieldIssue] {
        func line(_ issue: FieldIssue) -> Int {
            issue.field.hasPrefix("line ") ? Int(issue.field.dropFirst(5)) ?? 0 : 0
        }
        return issues.enumerated().sorted { (line($0.element), $0.offset) < (line($1.element), $1.offset) }.map(
            \.element)
    }
}
