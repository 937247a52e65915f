import CPNG
import CQREncode
import Foundation

/// A QR code of a text, encoded by libqrencode and drawn as SVG or PNG (PNG through libpng's
/// simplified API). Neither encoder is ours: we only lay out the modules.
public struct QRCodeImage: Sendable {
    /// Dark modules, row by row; `width` by `width`.
    public let modules: [Bool]
    public let width: Int
    /// Light modules around the code, as the standard asks (4).
    public static let quietZone = 4

    public enum Failure: Error, CustomStringConvertible {
        case encoding(String)
        case png(String)
        public var description: String {
            switch self {
            case .encoding(let why): "cannot encode the QR code: \(why)"
            case .png(let why): "cannot write the PNG: \(why)"
            }
        }
    }

    /// Encodes `text` at error-correction level M (15% of the code may be damaged or dirty).
    public init(_ text: String) throws {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            throw Failure.encoding(String(cString: strerror(errno)))
        }
        defer { QRcode_free(code) }
        width = Int(code.pointee.width)
        modules = (0..<(width * width)).map { code.pointee.data[$0] & 1 == 1 }
    }

    /// An A5-ish poster: the code with a caption under it.
    public func svg(caption: String, moduleSize: Int = 10) -> String {
        let side = (width + 2 * Self.quietZone) * moduleSize
        var rects = ""
        for y in 0..<width {
            for x in 0..<width where modules[y * width + x] {
                rects +=
                    "<rect x=\"\((x + Self.quietZone) * moduleSize)\" y=\"\((y + Self.quietZone) * moduleSize)\" width=\"\(moduleSize)\" height=\"\(moduleSize)\"/>"
            }
        }
        let escaped = caption.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(side)" height="\(side + 60)" viewBox="0 0 \(side) \(side + 60)">
            <rect width="100%" height="100%" fill="#ffffff"/>
            <g fill="#000000" shape-rendering="crispEdges">\(rects)</g>
            <text x="\(side / 2)" y="\(side + 35)" font-size="24" text-anchor="middle" font-family="sans-serif">\(escaped)</text>
            </svg>

            """
    }

    /// The code alone as an 8-bit grey PNG.
    public func png(moduleSize: Int = 10) throws -> Data {
        let side = (width + 2 * Self.quietZone) * moduleSize
        var pixels = [UInt8](repeating: 255, count: side * side)
        for y in 0..<width {
            for x in 0..<width where modules[y * width + x] {
                for dy in 0..<moduleSize {
                    let row = ((y + Self.quietZone) * moduleSize + dy) * side
                    for dx in 0..<moduleSize { pixels[row + (x + Self.quietZone) * moduleSize + dx] = 0 }
                }
            }
        }
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(side)
        image.height = png_uint_32(side)
        image.format = png_uint_32(PNG_FORMAT_GRAY)
        var size: png_alloc_size_t = 0
        guard png_image_write_to_memory(&image, nil, &size, 0, pixels, png_int_32(side), nil) != 0 else {
            throw Failure.png(Self.message(&image))
        }
        var out = [UInt8](repeating: 0, count: Int(size))
        guard png_image_write_to_memory(&image, &out, &size, 0, pixels, png_int_32(side), nil) != 0 else {
            throw Failure.png(Self.message(&image))
        }
        return Data(out.prefix(Int(size)))
    }

    private static func message(_ image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
