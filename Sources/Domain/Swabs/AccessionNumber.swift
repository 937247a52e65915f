import Foundation

/// A specimen's accession number: `S`, ten digits of one sequence for the whole database (so no
/// two sites ever print the same number), and a check character (`CheckedCode`).
public struct AccessionNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The sequence number the database gave the specimen.
    public let sequence: Int64

    /// The largest sequence ten digits hold.
    public static let largestSequence = CheckedCode.largestValue
    static let prefix: Character = "S"

    /// The number for a sequence value, or nil outside 1...`largestSequence`.
    public init?(sequence: Int64) {
        guard (1...Self.largestSequence).contains(sequence) else { return nil }
        self.sequence = sequence
    }

    /// The number as printed and scanned: 12 characters.
    public var description: String { CheckedCode.format(sequence, prefix: Self.prefix) }

    /// Reads a typed or scanned number (case and surrounding spaces ignored), or throws
    /// `DomainError.invalid` naming `field` and saying what is wrong.
    public init(parsing raw: String, field: String = "accession") throws {
        sequence = try CheckedCode.parse(raw, prefix: Self.prefix, field: field, what: "a tube's accession number")
    }

    public static func < (a: AccessionNumber, b: AccessionNumber) -> Bool { a.sequence < b.sequence }
}

/// The code on a patient's wristband: `P`, the patient's number in ten digits, and a check
/// character (`CheckedCode`). Scanned at the bedside before the tube, so that a tube is only
/// ever recorded as taken from the person it was printed for.
public struct WristbandCode: Sendable, Hashable, CustomStringConvertible {
    public let patientId: Patient.ID
    static let prefix: Character = "P"

    /// The code of a patient, or nil for a number ten digits cannot hold.
    public init?(patientId: Patient.ID) {
        guard (1...CheckedCode.largestValue).contains(patientId.rawValue) else { return nil }
        self.patientId = patientId
    }

    public var description: String { CheckedCode.format(patientId.rawValue, prefix: Self.prefix) }

    /// Reads a scanned or typed wristband code, or throws `DomainError.invalid` naming `field`.
    public init(parsing raw: String, field: String = "wristband") throws {
        patientId = Patient.ID(
            try CheckedCode.parse(raw, prefix: Self.prefix, field: field, what: "a wristband code"))
    }
}
