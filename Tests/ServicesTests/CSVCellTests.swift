import Domain
import Testing

@testable import Services

@Suite("CSV cells a spreadsheet would run")
struct CSVCellTests {
    static let cells = ["=1+1", "+7", "-3", "-3.5", "+8613900000000", "@x", "-x", "plain"]

    @Test("a formula cell gets a leading quote; a plain number does not; reading takes the quote off again")
    func inertAndBack() throws {
        let csv = try CSVText.write(header: Self.cells.indices.map { "c\($0)" }, rows: [Self.cells])
        #expect(csv.contains("'=1+1,+7,-3,-3.5,+8613900000000,'@x,'-x,plain"), "\(csv)")
        let read = try CSVTable(csv, required: Self.cells.indices.map { "c\($0)" })
        #expect(Self.cells.indices.map { read.rows[0].fields["c\($0)"] } == Self.cells)
    }
}
