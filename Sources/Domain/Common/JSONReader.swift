/// A strict JSON (RFC 8259) reader that walks a document in place, for a hot path that reads a
/// few fields of a large document: what the caller asks for is decoded, everything else is only
/// checked and stepped over, without building a value for it.
///
/// The caller drives it: `enterObject()` then `nextKey(_:)` until nil, `enterArray()` then
/// `nextElement(_:)` until false, and `string()`, `number()` or `skipValue()` for each value. A
/// value of another kind than the one asked for is skipped and read as absent (nil or false).
/// Any syntax error throws `Malformed` with the byte offset, wherever it is in the document.
public struct JSONReader {
    /// The document is not JSON; `offset` is the byte at which reading stopped.
    public struct Malformed: Error, Equatable {
        public var offset: Int
    }

    /// How deep arrays and objects may nest (JSONDecoder's own limit), so that no input
    /// exhausts the stack.
    public static let maximumDepth = 512

    private let bytes: [UInt8]
    private var position: Int
    private var depth = 0

    /// A reader at the start of `bytes`; a UTF-8 byte order mark is stepped over.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// Checks that nothing but whitespace follows the value just read.
    public mutating func finish() throws(Malformed) {
        skipWhitespace()
        guard position == bytes.count else { throw Malformed(offset: position) }
    }

    // MARK: Containers

    /// Enters the object at the reader; when the value there is not an object, it is skipped
    /// and the answer is false.
    public mutating func enterObject() throws(Malformed) -> Bool {
        try enter(UInt8(ascii: "{"))
    }

    /// The next member's key of the object entered, with the reader at its value; nil (and the
    /// object left) after its last member. `first` starts true and is kept by the reader.
    public mutating func nextKey(_ first: inout Bool) throws(Malformed) -> String? {
        guard try nextMember(closing: UInt8(ascii: "}"), &first) else { return nil }
        guard peek() == UInt8(ascii: "\"") else { throw Malformed(offset: position) }
        let key = try readString()
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw Malformed(offset: position) }
        position += 1
        return key
    }

    /// Enters the array at the reader; when the value there is not an array, it is skipped and
    /// the answer is false.
    public mutating func enterArray() throws(Malformed) -> Bool {
        try enter(UInt8(ascii: "["))
    }

    /// True with the reader at the next element of the array entered; false (and the array
    /// left) after its last. `first` starts true and is kept by the reader.
    public mutating func nextElement(_ first: inout Bool) throws(Malformed) -> Bool {
        try nextMember(closing: UInt8(ascii: "]"), &first)
    }

    /// Whether the value at the reader is an array; nothing is read.
    public mutating func isArray() -> Bool {
        skipWhitespace()
        return peek() == UInt8(ascii: "[")
    }

    // MARK: Values

    /// The string at the reader, or nil (the value skipped) when it is not a string.
    public mutating func string() throws(Malformed) -> String? {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else {
            try skipValue()
            return nil
        }
        return try readString()
    }

    /// The number at the reader, or nil (the value skipped) when it is not a number: `"38"` and
    /// `true` are not numbers.
    public mutating func number() throws(Malformed) -> Double? {
        skipWhitespace()
        guard let byte = peek(), byte == UInt8(ascii: "-") || isDigit(byte) else {
            try skipValue()
            return nil
        }
        let start = position
        try skipNumber()
        return Double(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    /// Steps over the value at the reader, checking that it is well formed.
    public mutating func skipValue() throws(Malformed) {
        skipWhitespace()
        guard let byte = peek() else { throw Malformed(offset: position) }
        switch byte {
        case UInt8(ascii: "{"):
            _ = try enterObject()
            var first = true
            while try nextKey(&first) != nil { try skipValue() }
        case UInt8(ascii: "["):
            _ = try enterArray()
            var first = true
            while try nextElement(&first) { try skipValue() }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try skipLiteral("true")
        case UInt8(ascii: "f"): try skipLiteral("false")
        case UInt8(ascii: "n"): try skipLiteral("null")
        default: try skipNumber()
        }
    }

    // MARK: Scanning

    private mutating func enter(_ opening: UInt8) throws(Malformed) -> Bool {
        skipWhitespace()
        guard peek() == opening else {
            try skipValue()
            return false
        }
        guard depth < Self.maximumDepth else { throw Malformed(offset: position) }
        depth += 1
        position += 1
        return true
    }

    private mutating func nextMember(closing: UInt8, _ first: inout Bool) throws(Malformed) -> Bool {
        skipWhitespace()
        if peek() == closing {
            position += 1
            depth -= 1
            return false
        }
        if first {
            first = false
        } else {
            guard peek() == UInt8(ascii: ",") else { throw Malformed(offset: position) }
            position += 1
            skipWhitespace()
            // `[1,]` is not JSON: a comma is followed by a member.
            guard peek() != closing else { throw Malformed(offset: position) }
        }
        skipWhitespace()
        return true
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): position += 1
            default: return
            }
        }
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func skipLiteral(_ literal: StaticString) throws(Malformed) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw Malformed(offset: position) }
        let matches = literal.withUTF8Buffer { expected in
            bytes[position..<position + count].elementsEqual(expected)
        }
        guard matches else { throw Malformed(offset: position) }
        position += count
    }

    private mutating func skipNumber() throws(Malformed) {
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let lead = peek(), isDigit(lead) else { throw Malformed(offset: position) }
        position += 1
        if lead != UInt8(ascii: "0") { skipDigits() }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let digit = peek(), isDigit(digit) else { throw Malformed(offset: position) }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard let digit = peek(), isDigit(digit) else { throw Malformed(offset: position) }
            skipDigits()
        }
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { position += 1 }
    }

    /// Steps over a string, checking its escapes and that it holds no control character.
    private mutating func skipString() throws(Malformed) {
        _ = try scanString()
    }

    /// Reads the string at the reader (at its opening quote).
    private mutating func readString() throws(Malformed) -> String {
        let start = position + 1
        if try !scanString() {
            return String(decoding: bytes[start..<position - 1], as: UTF8.self)
        }
        return try unescape(start..<position - 1)
    }

    /// Steps over the string at the reader; true when it holds an escape.
    private mutating func scanString() throws(Malformed) -> Bool {
        position += 1
        var escaped = false
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return escaped
            case UInt8(ascii: "\\"):
                escaped = true
                guard position + 1 < bytes.count else { throw Malformed(offset: position) }
                switch bytes[position + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                case UInt8(ascii: "u"):
                    guard position + 6 <= bytes.count,
                        bytes[position + 2..<position + 6].allSatisfy({ hexValue($0) != nil })
                    else { throw Malformed(offset: position) }
                    position += 6
                default: throw Malformed(offset: position)
                }
            case 0..<0x20: throw Malformed(offset: position)
            default: position += 1
            }
        }
        throw Malformed(offset: position)
    }

    /// The text of a string with escapes, already checked by `scanString`.
    private func unescape(_ range: Range<Int>) throws(Malformed) -> String {
        var scalars = String.UnicodeScalarView()
        var plain: [UInt8] = []
        var index = range.lowerBound
        func flush() {
            scalars.append(contentsOf: String(decoding: plain, as: UTF8.self).unicodeScalars)
            plain.removeAll(keepingCapacity: true)
        }
        func hex4(_ at: Int) -> UInt32 {
            bytes[at..<at + 4].reduce(0) { $0 << 4 | UInt32(hexValue($1) ?? 0) }
        }
        while index < range.upperBound {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                plain.append(byte)
                index += 1
                continue
            }
            flush()
            let code = bytes[index + 1]
            index += 2
            switch code {
            case UInt8(ascii: "b"): scalars.append("\u{8}")
            case UInt8(ascii: "f"): scalars.append("\u{C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var value = hex4(index)
                index += 4
                // A surrogate pair is two escapes; a lone half is not a character.
                if (0xD800..<0xDC00).contains(value), index + 6 <= range.upperBound,
                    bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(index + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                guard let scalar = Unicode.Scalar(value) else { throw Malformed(offset: index) }
                scalars.append(scalar)
            default: scalars.append(Unicode.Scalar(code))
            }
        }
        flush()
        return String(scalars)
    }
}

private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: byte - 0x30
    case 0x41...0x46: byte - 0x41 + 10
    case 0x61...0x66: byte - 0x61 + 10
    default: nil
    }
}
