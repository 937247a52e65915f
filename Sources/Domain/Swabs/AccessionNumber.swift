import Foundation

/// A specimen's accession number: `S`, ten digits of one sequence for the whole database (so no
/// two sites ever print the same number), and an ISO 7064 MOD 11-2 check character, as
/// `S0000012345` + `8`. A number read or typed with one digit wrong, or two digits swapped, fails
/// its check and is refused instead of being matched to somebody else's tube.
public struct AccessionNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The sequence number the database gave the specimen.
    public let sequence: Int64

    /// The largest sequence ten digits hold.
    public static let largestSequence: Int64 = 9_999_999_999
    static let prefix: Character = "S"

    /// The number for a sequence value, or nil outside 1...`largestSequence`.
    public init?(sequence: Int64) {
        guard (1...Self.largestSequence).contains(sequence) else { return nil }
        self.sequence = sequence
    }

    /// The number as printed and scanned: 12 characters.
    public var description: String {
        let digits = String(sequence)
        let padded = String(repeating: "0", count: 10 - digits.count) + digits
        return String(Self.prefix) + padded + String(ISO7064.mod11Radix2(padded.map { Int(String($0))! }))
    }

    /// Reads a typed or scanned number (case and surrounding spaces ignored), or throws
    /// `DomainError.invalid` naming `field` and saying what is wrong.
    public init(parsing raw: String, field: String = "accession") throws {
        let text = Array(raw.trimmingCharacters(in: .whitespaces).uppercased())
        guard text.count == 12, text.first == Self.prefix else {
            throw DomainError.invalid(field, "must be S, 10 digits and a check character, e.g. S00000123458")
        }
        let body = text[1...10]
        guard body.allSatisfy({ $0.isASCII && $0.isNumber }), let last = text.last,
            last == "X" || (last.isASCII && last.isNumber)
        else { throw DomainError.invalid(field, "must be S, 10 digits and a check character, e.g. S00000123458") }
        guard ISO7064.mod11Radix2(body.map { Int(String($0))! }) == last else {
            throw DomainError.invalid(field, "the check character does not match: a digit may be misread or mistyped")
        }
        guard let sequence = Int64(String(body)), let number = AccessionNumber(sequence: sequence) else {
            throw DomainError.invalid(field, "is not a number Cordon issues")
        }
        self = number
    }

    public static func < (a: AccessionNumber, b: AccessionNumber) -> Bool { a.sequence < b.sequence }
}
