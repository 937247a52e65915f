import Foundation

/// An HL7 v2 message in its usual (ER7, "pipe and hat") encoding, split into segments, fields,
/// components and subcomponents with its own delimiters. No Swift HL7 library is kept up, so
/// Cordon reads the little it needs itself; the tests build messages with python `hl7`.
public struct HL7Message: Sendable {
    public struct Segment: Sendable {
        /// The segment's name: MSH, PID, OBR, OBX...
        public var name: String
        /// Fields by HL7 position (1-based; MSH-1 is the field separator itself).
        var fields: [String]
        /// The segment as received.
        public var text: String

        /// Field `position`, component `component` (1-based), of its first repetition and first
        /// subcomponent, unescaped, without surrounding spaces; "" when absent. Read on bytes:
        /// the delimiters are ASCII, and a message of a hundred results reads this 1,600 times.
        public func value(_ position: Int, _ component: Int = 1, _ d: Delimiters) -> String {
            guard position < fields.count else { return "" }
            let field = fields[position].utf8
            let end = field.firstIndex(of: d.repetitionByte) ?? field.endIndex
            var start = field.startIndex
            for _ in 1..<max(component, 1) {
                guard let next = field[start..<end].firstIndex(of: d.componentByte) else { return "" }
                start = field.index(after: next)
            }
            let componentEnd = field[start..<end].firstIndex(of: d.componentByte) ?? end
            var bytes = field[start..<(field[start..<componentEnd].firstIndex(of: d.subcomponentByte) ?? componentEnd)]
            while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
            while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
            let text = String(decoding: bytes, as: UTF8.self)
            return bytes.contains(d.escapeByte) ? d.unescape(text) : text
        }
    }

    /// The message's delimiters, from MSH-1 and MSH-2.
    public struct Delimiters: Sendable {
        var field: Character = "|"
        var component: Character = "^"
        var repetition: Character = "~"
        var escape: Character = "\\"
        var subcomponent: Character = "&"
        var repetitionByte: UInt8 { repetition.asciiValue ?? 0 }
        var componentByte: UInt8 { component.asciiValue ?? 0 }
        var subcomponentByte: UInt8 { subcomponent.asciiValue ?? 0 }
        var escapeByte: UInt8 { escape.asciiValue ?? 0 }

        /// Undoes HL7 escapes (\F\ \S\ \T\ \R\ \E\); other escapes are kept as written.
        func unescape(_ text: String) -> String {
            guard text.contains(escape) else { return text }
            var out = ""
            var rest = Substring(text)
            while let start = rest.firstIndex(of: escape) {
                out += rest[..<start]
                let after = rest.index(after: start)
                guard let end = rest[after...].firstIndex(of: escape) else {
                    out += rest[start...]
                    return out
                }
                switch rest[after..<end] {
                case "F": out.append(field)
                case "S": out.append(component)
                case "T": out.append(subcomponent)
                case "R": out.append(repetition)
                case "E": out.append(escape)
                default: out += rest[start...end]
                }
                rest = rest[rest.index(after: end)...]
            }
            return out + rest
        }
    }

    public var segments: [Segment]
    public var delimiters: Delimiters

    /// Why a message cannot be read at all, with the place at fault.
    public struct Unreadable: Error, Sendable, Equatable {
        /// The segment, its position in the message and the field: "MSH", 1, 9.
        public var segment: String
        public var sequence: Int
        public var field: Int
        /// HL7 table 0357's code: 100 segment sequence error, 101 required field missing...
        public var code: Int
        public var detail: String
    }

    /// Reads `text`: segments separated by carriage returns (line feeds are taken too).
    public init(_ text: String) throws(Unreadable) {
        let lines = text.utf8.split(whereSeparator: { $0 == 0x0D || $0 == 0x0A })
            .map { String(decoding: $0, as: UTF8.self) }
            .filter { !$0.allSatisfy { $0 == " " || $0 == "\t" } }
        guard let first = lines.first, first.hasPrefix("MSH"), first.count >= 8 else {
            throw Unreadable(
                segment: "MSH", sequence: 1, field: 1, code: 100, detail: "a message starts with its MSH segment")
        }
        let characters = Array(first)
        var delimiters = Delimiters()
        delimiters.field = characters[3]
        let encoding = Array(first.dropFirst(4).prefix { $0 != delimiters.field })
        guard encoding.count >= 4 else {
            throw Unreadable(
                segment: "MSH", sequence: 1, field: 2, code: 101, detail: "MSH-2 needs the four encoding characters")
        }
        guard ([characters[3]] + encoding.prefix(4)).allSatisfy(\.isASCII) else {
            throw Unreadable(
                segment: "MSH", sequence: 1, field: 2, code: 102, detail: "the delimiters of MSH-1 and MSH-2 are ASCII")
        }
        delimiters.component = encoding[0]
        delimiters.repetition = encoding[1]
        delimiters.escape = encoding[2]
        delimiters.subcomponent = encoding[3]
        self.delimiters = delimiters
        let separator = delimiters.field.asciiValue ?? 0
        segments = lines.map { line in
            var fields = line.utf8.split(separator: separator, omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            let name = fields.first ?? ""
            // MSH-1 is the separator itself, so MSH's fields are numbered one further on.
            if name == "MSH" { fields.insert(String(delimiters.field), at: 1) }
            return Segment(name: name, fields: fields, text: line)
        }
    }

    /// Field `position`, component `component` of the first segment named `name`.
    public func value(_ name: String, _ position: Int, _ component: Int = 1) -> String {
        segments.first { $0.name == name }?.value(position, component, delimiters) ?? ""
    }
}
