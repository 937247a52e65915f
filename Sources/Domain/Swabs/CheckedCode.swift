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
        let text = Array(raw.trimmingCharacters(in: .whitespaces).uppercased())
        let example = format(123, prefix: prefix)
        let shape = "must be \(what): \(prefix), 10 digits and a check character, e.g. \(example)"
        guard text.count == digitCount + 2, text.first == prefix else { throw DomainError.invalid(field, shape) }
        let body = text[1...digitCount]
        guard body.allSatisfy({ $0.isASCII && $0.isNumber }), let last = text.last,
            last == "X" || (last.isASCII && last.isNumber)
        else { throw DomainError.invalid(field, shape) }
        guard ISO7064.mod11Radix2(body.map { Int(String($0))! }) == last else {
            throw DomainError.invalid(
                field, "the check character does not match: a digit may be misread or mistyped")
        }
        guard let value = Int64(String(body)), (1...largestValue).contains(value) else {
            throw DomainError.invalid(field, "is not a number Cordon issues")
        }
        return value
    }
}
