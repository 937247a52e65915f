import Domain
import Testing

@Suite("Trimming white space from text")
struct TextTrimmingTests {
    @Test("spaces, tabs, line breaks and the ideographic space go at both ends; the middle stays")
    func trimsBothEnds() {
        #expect(" \t08:00\u{3000}\r\n".trimmedOfWhitespace == "08:00")
        #expect("  方 晓梅 ".trimmedOfWhitespace == "方 晓梅")
        #expect("N1"[...].trimmedOfWhitespace == "N1")
    }

    @Test("text of white space only, and empty text, become empty")
    func blankBecomesEmpty() {
        #expect(" \t\u{3000} ".trimmedOfWhitespace == "")
        #expect("".trimmedOfWhitespace == "")
    }
}
