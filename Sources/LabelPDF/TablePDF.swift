import CPangoCairo
import Foundation

extension LabelPDF {
    /// A printed list on A4 (a box's manifest): title lines, then a table whose columns take
    /// the given shares of the width, 40 rows a page with the header on each. The pages are
    /// numbered, so a sheet left behind is missed.
    public static func table(title: [String], header: [String], shares: [Double], rows: [[String]]) throws -> Data {
        let mm = pointsPerMillimetre
        let (left, top, width) = (15 * mm, 15 * mm, 180 * mm)
        let perPage = 40
        let pages = pageCount(rows.count, perPage)
        let total = shares.reduce(0, +)
        let columns = shares.reduce(into: [Double]()) { xs, share in
            xs.append((xs.last ?? 0) + share / total * width)
        }
        return try document(pageWidth: 210 * mm, pageHeight: 297 * mm, pages: pages) { canvas, page in
            canvas.text(title + ["\(page + 1) / \(pages)"], at: left, top, width: width, fontSize: 11)
            var y = top + 26 * mm
            func line(_ cells: [String]) {
                for (index, cell) in cells.enumerated() where index < columns.count {
                    let x = left + (index == 0 ? 0 : columns[index - 1])
                    canvas.text(
                        [cell], at: x, y, width: columns[index] - (index == 0 ? 0 : columns[index - 1]) - 2,
                        fontSize: 9)
                }
                y += 6 * mm
            }
            line(header)
            cairo_set_line_width(canvas.context, 0.5)
            cairo_move_to(canvas.context, left, y - 1.5 * mm)
            cairo_line_to(canvas.context, left + width, y - 1.5 * mm)
            cairo_stroke(canvas.context)
            for row in rows.dropFirst(page * perPage).prefix(perPage) { line(row) }
        }
    }
}
