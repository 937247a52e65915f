/// The printed form Cordon gives the numbers it puts on barcodes: a letter saying what the
/// number is, ten digits, and an ISO 7064 MOD 11-2 check character, as `S0000012345` + `8`.
/// A number read or typed with one digit wrong, or two neighbouring digits swapped, fails its
/// check and is refused instead of being matched to somebody else.
enum CheckedCode {
    static let digitCount = 10
    /// The largest value ten digits hold.
    static let largestValue: Int64 = 9_999_999_999

    static func format(_ value: Int64, prefix: Character) -> String {
        let digits = String(value)
        let padded = String(repeating: "0", count: digitCount - digits.count) + digits
        return String(prefix) + padded + String(ISO7064.mod11Radix2(padded.map { Int(String($0))! }))
    }

    /// The value of a scanned or typed code (case and surrounding spaces ignored), or throws
    /// `DomainError.invalid` naming `field`, with `example` showing the right shape.
    static func parse(_ raw: String, prefix: Character, field: String, what: String) throws -> Int64 {
        // Read as ASCII bytes: a laboratory's day of results parses hundreds of thousands.
        let text = Array(raw.trimmedOfWhitespace.uppercased().utf8)
        // Worded only when it is needed: most codes read are good ones.
        var shape: String {
            "must be \(what): \(prefix), 10 digits and a check character, e.g. \(format(123, prefix: prefix))"
        }
        func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        guard text.count == digitCount + 2, text.first == prefix.asciiValue else {
            throw DomainError.invalid(field, shape)
        }
        let body = text[1...digitCount]
        guard body.allSatisfy(isDigit), let last = text.last, last == UInt8(ascii: "X") || isDigit(last) else {
            throw DomainError.invalid(field, shape)
        }
        guard ISO7064.mod11Radix2(body.map { Int($0 - UInt8(ascii: "0")) }) == Character(Unicode.Scalar(last)) else {
            throw DomainError.invalid(
                field, "the check character does not match: a digit may be misread or mistyped")
        }
        let value = body.reduce(Int64(0)) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
        guard (1...largestValue).contains(value) else {
            throw DomainError.invalid(field, "is not a number Cordon issues")
        }
        return value
    }
}
