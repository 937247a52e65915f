/// An 18-character Chinese resident identity number (GB 11643-1999).
///
/// The last character is an ISO 7064 MOD 11-2 check character (`0`-`9` or `X`).
/// The full number is stored; what each reader sees of it is `IdentityDisclosure`'s rule.
public struct NationalID: Sendable, Hashable, CustomStringConvertible {
    /// The normalised number: 17 digits and a check character, `X` upper-cased.
    public let value: String

    /// Parses and validates a number, explaining what is wrong when it is not valid.
    public static func parse(_ raw: String) -> Result<NationalID, NationalIDError> {
        let text = raw.uppercased()
        guard text.count == 18 else { return .failure(.wrongLength(text.count)) }
        let characters = Array(text)
        guard characters.prefix(17).allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure(.notDigits)
        }
        guard let last = characters.last, last == "X" || (last.isASCII && last.isNumber) else {
            return .failure(.notDigits)
        }
        let expected = checkCharacter(forFirst17: characters.prefix(17).map { Int(String($0))! })
        guard last == expected else { return .failure(.badCheckDigit(expected: expected)) }
        return .success(NationalID(value: text))
    }

    /// Validates `raw` or throws `DomainError.invalid` naming `field`.
    public init(validating raw: String, field: String = "nationalId") throws {
        switch Self.parse(raw) {
        case .success(let id): self = id
        case .failure(let error): throw DomainError.invalid(field, error.description)
        }
    }

    private init(value: String) { self.value = value }

    /// The ISO 7064 MOD 11-2 check character for the first 17 digits.
    public static func checkCharacter(forFirst17 digits: [Int]) -> Character {
        precondition(digits.count == 17)
        return ISO7064.mod11Radix2(digits)
    }

    /// The last 4 characters, the rest hidden: `**************123X`. The first 6 are not kept:
    /// with the birth date known, region and birth date would leave only the sequence to guess.
    public var masked: String { Self.lastFourOnly(value) }

    /// Masks a stored number the same way, whatever its length.
    public static func lastFourOnly(_ value: String) -> String {
        guard value.count > 4 else { return String(repeating: "*", count: value.count) }
        return String(repeating: "*", count: value.count - 4) + String(value.suffix(4))
    }

    public var description: String { masked }
}

/// Why a national ID number was refused.
public enum NationalIDError: Error, Equatable, CustomStringConvertible {
    case wrongLength(Int)
    case notDigits
    case badCheckDigit(expected: Character)

    public var description: String {
        switch self {
        case .wrongLength(let n): "must be 18 characters, got \(n)"
        case .notDigits: "must be 17 digits followed by a digit or X"
        case .badCheckDigit: "check digit does not match (ISO 7064 MOD 11-2); please re-check the number"
        }
    }
}
