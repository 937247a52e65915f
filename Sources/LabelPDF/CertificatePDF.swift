import CPangoCairo
import Foundation
import QRCodeImage

extension LabelPDF {
    /// One certificate page: headings, rows of a label and its value, a QR code with a caption
    /// under it, and a stamp across the page when the certificate no longer stands.
    public struct CertificatePage: Sendable, Equatable {
        public var headings: [String]
        public var rows: [(label: String, value: String)]
        public var qrText: String
        public var qrCaption: [String]
        public var stamp: String?

        public init(
            headings: [String], rows: [(label: String, value: String)], qrText: String, qrCaption: [String],
            stamp: String?
        ) {
            self.headings = headings
            self.rows = rows
            self.qrText = qrText
            self.qrCaption = qrCaption
            self.stamp = stamp
        }

        public static func == (a: CertificatePage, b: CertificatePage) -> Bool {
            a.headings == b.headings && a.rows.map(\.label) == b.rows.map(\.label)
                && a.rows.map(\.value) == b.rows.map(\.value) && a.qrText == b.qrText && a.qrCaption == b.qrCaption
                && a.stamp == b.stamp
        }
    }

    /// Certificates on A4, one a page (a bus's worth in one file to print at once).
    public static func certificates(_ pages: [CertificatePage]) throws -> Data {
        let mm = pointsPerMillimetre
        let (left, width) = (20 * mm, 170 * mm)
        return try document(pageWidth: 210 * mm, pageHeight: 297 * mm, pages: pages.count) { canvas, index in
            let page = pages[index]
            canvas.text(page.headings, at: left, 20 * mm, width: width, fontSize: 16)
            var y = 20 * mm + Double(page.headings.count) * 9 * mm + 6 * mm
            cairo_set_line_width(canvas.context, 0.8)
            cairo_move_to(canvas.context, left, y - 3 * mm)
            cairo_line_to(canvas.context, left + width, y - 3 * mm)
            cairo_stroke(canvas.context)
            for row in page.rows {
                canvas.text([row.label], at: left, y, width: 55 * mm, fontSize: 10)
                canvas.text([row.value], at: left + 58 * mm, y, width: width - 58 * mm, fontSize: 11)
                y += 9 * mm
            }
            let side = 45 * mm
            let codeTop = max(y + 8 * mm, 190 * mm)
            try canvas.qrCode(page.qrText, at: left + width - side, codeTop, side: side)
            canvas.text(page.qrCaption, at: left, codeTop + 6 * mm, width: width - side - 8 * mm, fontSize: 9)
            if let stamp = page.stamp { canvas.stamp(stamp, centre: (105 * mm, 150 * mm)) }
        }
    }
}

extension LabelPDF.Canvas {
    /// A QR code of `text`, its quiet zone included, `side` points square with its top left at (`x`, `y`).
    func qrCode(_ text: String, at x: Double, _ y: Double, side: Double) throws {
        let code: QRCodeImage
        do {
            code = try QRCodeImage(text)
        } catch {
            throw LabelPDF.RenderError(description: "\(error)")
        }
        let module = side / Double(code.width + 2 * QRCodeImage.quietZone)
        let origin = (x + Double(QRCodeImage.quietZone) * module, y + Double(QRCodeImage.quietZone) * module)
        cairo_set_source_rgb(context, 0, 0, 0)
        for row in 0..<code.width {
            for column in 0..<code.width where code.modules[row * code.width + column] {
                cairo_rectangle(
                    context, origin.0 + Double(column) * module, origin.1 + Double(row) * module, module, module)
            }
        }
        cairo_fill(context)
    }

    /// Large red text across the page at an angle, as a rubber stamp is.
    func stamp(_ text: String, centre: (Double, Double)) {
        cairo_save(context)
        defer { cairo_restore(context) }
        cairo_translate(context, centre.0, centre.1)
        cairo_rotate(context, -Double.pi / 8)
        cairo_set_source_rgba(context, 0.8, 0, 0, 0.75)
        guard let layout = pango_cairo_create_layout(context) else { return }
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        let font = pango_font_description_from_string("Noto Sans CJK SC Bold")
        defer { pango_font_description_free(font) }
        pango_font_description_set_absolute_size(font, 40 * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, font)
        pango_layout_set_text(layout, text, -1)
        var (width, height): (Int32, Int32) = (0, 0)
        pango_layout_get_size(layout, &width, &height)
        cairo_move_to(context, -Double(width) / Double(PANGO_SCALE) / 2, -Double(height) / Double(PANGO_SCALE) / 2)
        pango_cairo_show_layout(context, layout)
    }
}
