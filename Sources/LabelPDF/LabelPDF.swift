import CPangoCairo
import CZint
import Foundation

/// Printable PDF of barcoded labels: sheets of tube labels (A4 sheets of 24, or one 50 x 25 mm
/// thermal label a page) and patient wristbands. zint draws each Code 128 symbol as rectangles,
/// cairo writes them into the PDF as vectors (so a printer of any resolution prints clean bars),
/// and Pango sets the text, Chinese names included, in Noto Sans CJK.
public enum LabelPDF {
    /// One label: the code its barcode holds (printed beneath it too) and lines of text.
    public struct Label: Sendable, Equatable {
        public var code: String
        public var lines: [String]

        public init(code: String, lines: [String]) {
            self.code = code
            self.lines = lines
        }
    }

    /// The stock a sheet of labels is printed on.
    public enum Sheet: String, Sendable, CaseIterable {
        /// A4 sheets of 3 x 8 labels of 70 x 37 mm.
        case a4
        /// A roll of 50 x 25 mm thermal labels, one per page.
        case thermal
    }

    /// A label could not be drawn (a code zint refuses, or cairo failing to write).
    public struct RenderError: Error, CustomStringConvertible {
        public var description: String
    }

    static let pointsPerMillimetre = 72.0 / 25.4

    /// The labels on sheets of `sheet`, in order.
    public static func labels(_ labels: [Label], on sheet: Sheet) throws -> Data {
        let mm = pointsPerMillimetre
        switch sheet {
        case .a4:
            let (columns, rows) = (3, 8)
            let (width, height) = (70 * mm, 297 * mm / Double(rows))
            return try document(
                pageWidth: 210 * mm, pageHeight: 297 * mm, pages: pageCount(labels.count, columns * rows)
            ) { canvas, page in
                for (index, label) in labels.dropFirst(page * columns * rows).prefix(columns * rows).enumerated() {
                    let frame = Frame(
                        x: Double(index % columns) * width, y: Double(index / columns) * height, width: width,
                        height: height)
                    try canvas.draw(label, in: frame.inset(by: 3 * mm), fontSize: 8)
                }
            }
        case .thermal:
            return try document(pageWidth: 50 * mm, pageHeight: 25 * mm, pages: labels.count) { canvas, page in
                try canvas.draw(
                    labels[page], in: Frame(x: 0, y: 0, width: 50 * mm, height: 25 * mm).inset(by: 2 * mm),
                    fontSize: 6.5)
            }
        }
    }

    /// A patient's wristband: a 250 x 25 mm strip, the barcode and the text after the 30 mm
    /// the clasp covers.
    public static func wristband(_ label: Label) throws -> Data { try wristbands([label]) }

    /// Wristbands one a page, for a printer fed a roll of them (a bus admitted at once).
    public static func wristbands(_ labels: [Label]) throws -> Data {
        let mm = pointsPerMillimetre
        return try document(pageWidth: 250 * mm, pageHeight: 25 * mm, pages: labels.count) { canvas, page in
            try canvas.draw(
                labels[page], in: Frame(x: 30 * mm, y: 2 * mm, width: 150 * mm, height: 21 * mm), fontSize: 9,
                barcodeWidth: 60 * mm)
        }
    }

    static func pageCount(_ items: Int, _ perPage: Int) -> Int { max(1, (items + perPage - 1) / perPage) }

    /// A PDF of `pages` pages of one size, each drawn by `draw`.
    static func document(
        pageWidth: Double, pageHeight: Double, pages: Int, draw: (Canvas, Int) throws -> Void
    ) throws -> Data {
        let sink = Sink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        guard
            let surface = cairo_pdf_surface_create_for_stream(
                { closure, bytes, length in
                    guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
                    Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
                    return CAIRO_STATUS_SUCCESS
                }, unmanaged.toOpaque(), pageWidth, pageHeight)
        else { throw RenderError(description: "cairo could not open a PDF") }
        defer { cairo_surface_destroy(surface) }
        guard let context = cairo_create(surface) else { throw RenderError(description: "cairo could not draw") }
        defer { cairo_destroy(context) }
        let canvas = Canvas(context: context)
        for page in 0..<pages {
            try draw(canvas, page)
            cairo_show_page(context)
        }
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderError(description: "cairo: " + String(cString: cairo_status_to_string(status)))
        }
        return sink.data
    }

    /// Where the PDF's bytes collect as cairo writes them.
    final class Sink {
        var data = Data()
    }

    struct Frame {
        var x, y, width, height: Double

        func inset(by margin: Double) -> Frame {
            Frame(x: x + margin, y: y + margin, width: width - 2 * margin, height: height - 2 * margin)
        }
    }

    /// One page being drawn.
    struct Canvas {
        let context: OpaquePointer

        /// A label in `frame`: the barcode across the top 45% (or `barcodeWidth` wide, with the
        /// text beside it), the code beneath it, then the lines.
        func draw(_ label: Label, in frame: Frame, fontSize: Double, barcodeWidth: Double? = nil) throws {
            if let barcodeWidth {
                try barcode(
                    label.code, in: Frame(x: frame.x, y: frame.y, width: barcodeWidth, height: frame.height * 0.7))
                text(
                    [label.code], at: frame.x, frame.y + frame.height * 0.72, width: barcodeWidth,
                    fontSize: fontSize - 1)
                text(
                    label.lines, at: frame.x + barcodeWidth + 12, frame.y, width: frame.width - barcodeWidth - 12,
                    fontSize: fontSize)
            } else {
                let barHeight = frame.height * 0.45
                try barcode(label.code, in: Frame(x: frame.x, y: frame.y, width: frame.width, height: barHeight))
                text(
                    [label.code] + label.lines, at: frame.x, frame.y + barHeight + 1, width: frame.width,
                    fontSize: fontSize)
            }
        }

        /// A Code 128 symbol of `code` filling `frame`'s width, quiet zones included.
        func barcode(_ code: String, in frame: Frame) throws {
            guard let symbol = ZBarcode_Create() else { throw RenderError(description: "zint could not start") }
            defer { ZBarcode_Delete(symbol) }
            symbol.pointee.symbology = BARCODE_CODE128
            symbol.pointee.show_hrt = 0
            // Ten modules of quiet zone each side, as Code 128 asks.
            symbol.pointee.whitespace_width = 10
            symbol.pointee.height = 50
            let bytes = Array(code.utf8)
            let status = ZBarcode_Encode_and_Buffer_Vector(symbol, bytes, Int32(bytes.count), 0)
            guard status < ZINT_ERROR, let vector = symbol.pointee.vector, vector.pointee.width > 0 else {
                throw RenderError(
                    description: "zint: "
                        + withUnsafeBytes(of: symbol.pointee.errtxt) {
                            String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                        })
            }
            let sx = frame.width / Double(vector.pointee.width)
            let sy = frame.height / Double(vector.pointee.height)
            cairo_set_source_rgb(context, 0, 0, 0)
            var rect = vector.pointee.rectangles
            while let r = rect {
                cairo_rectangle(
                    context, frame.x + Double(r.pointee.x) * sx, frame.y + Double(r.pointee.y) * sy,
                    Double(r.pointee.width) * sx, Double(r.pointee.height) * sy)
                rect = r.pointee.next
            }
            cairo_fill(context)
        }

        /// Lines of text from (`x`, `y`) down, each cut with an ellipsis at `width`.
        func text(_ lines: [String], at x: Double, _ y: Double, width: Double, fontSize: Double) {
            guard let layout = pango_cairo_create_layout(context) else { return }
            defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
            let font = pango_font_description_from_string("Noto Sans CJK SC")
            defer { pango_font_description_free(font) }
            pango_font_description_set_absolute_size(font, fontSize * Double(PANGO_SCALE))
            pango_layout_set_font_description(layout, font)
            pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
            pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
            var top = y
            for line in lines {
                pango_layout_set_text(layout, line, -1)
                cairo_move_to(context, x, top)
                pango_cairo_show_layout(context, layout)
                var height: Int32 = 0
                pango_layout_get_size(layout, nil, &height)
                top += Double(height) / Double(PANGO_SCALE)
            }
        }
    }
}
