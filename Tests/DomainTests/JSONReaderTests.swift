import Domain
import Foundation
import Testing

@Suite("The in-place JSON reader: strict as RFC 8259, lenient about kinds")
struct JSONReaderTests {
    /// Steps over a whole document the way the FHIR reader steps over what it does not read.
    static func skipsWhole(_ text: String) -> Bool {
        var reader = JSONReader(Array(text.utf8))
        do {
            try reader.skipValue()
            try reader.finish()
            return true
        } catch {
            return false
        }
    }

    @Test("what is JSON is read, and what is not is refused, trailing commas included (RFC 8259)")
    func validity() {
        let json = [
            #"{"a":[1,2.5,-0.0,1e3,1E-2,true,false,null,"x\"y\\z\/\u00e9\ud83d\ude00"]}"#, "  [ ]  ", "{}",
            #"{"a":{"b":[{"c":[]}]}}"#, "-1", "\"\"", "\u{FEFF}[1]", "[\"张三\"]",
        ]
        let notJSON = [
            "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[1e]", "[+1]", "[tru]", "[nul]", "{\"a\" 1}", "{a:1}",
            "[\"\u{1}\"]", "[\"\\x\"]", "[\"\\u12G4\"]", "[1 2]", "{\"a\":1 \"b\":2}", "[1]x", "[", "{\"a\":",
            "\"open", "[-]", "[,1]", "[1,,2]", "{,}", "", "[NaN]", "[Infinity]",
        ]
        for document in json {
            #expect(Self.skipsWhole(document), "\(document)")
        }
        for document in notJSON {
            #expect(!Self.skipsWhole(document), "\(document)")
        }
    }

    @Test("a value of another kind than asked for is skipped and read as absent")
    func lenientKinds() throws {
        var reader = JSONReader(Array(#"{"n":"38","s":5,"o":[1],"a":{"x":1},"last":2.5e1}"#.utf8))
        #expect(try reader.enterObject())
        var first = true
        var seen: [String: String] = [:]
        while let key = try reader.nextKey(&first) {
            switch key {
            case "n": seen[key] = try reader.number().map { "\($0)" } ?? "absent"
            case "s": seen[key] = try reader.string() ?? "absent"
            case "o": seen[key] = try reader.enterObject() ? "object" : "absent"
            case "a": seen[key] = try reader.enterArray() ? "array" : "absent"
            default: seen[key] = try reader.number().map { "\($0)" } ?? "absent"
            }
        }
        try reader.finish()
        #expect(seen == ["n": "absent", "s": "absent", "o": "absent", "a": "absent", "last": "25.0"])
    }

    @Test("escapes and surrogate pairs are undone; a lone surrogate is refused")
    func strings() throws {
        var reader = JSONReader(Array(#"["a\tb\u00e9\ud83d\ude00\"","张三"]"#.utf8))
        #expect(try reader.enterArray())
        var first = true
        var read: [String] = []
        while try reader.nextElement(&first) { read.append(try reader.string() ?? "") }
        #expect(read == ["a\tbé😀\"", "张三"])
        var lone = JSONReader(Array(#""\ud83d""#.utf8))
        #expect(throws: JSONReader.Malformed.self) { _ = try lone.string() }
    }

    @Test("nesting deeper than the limit is refused, not a crash")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(!Self.skipsWhole(deep))
        let limit = JSONReader.maximumDepth
        #expect(Self.skipsWhole(String(repeating: "[", count: limit) + String(repeating: "]", count: limit)))
    }

    @Test("a bundle that is not JSON names the byte where reading stopped")
    func fhirMalformed() {
        #expect(throws: DomainError.invalid("body", "is not JSON: reading stopped at byte offset 40")) {
            _ = try FHIRLabBundle(data: Data(#"{"resourceType":"Bundle","type":"batch",}"#.utf8))
        }
    }
}
