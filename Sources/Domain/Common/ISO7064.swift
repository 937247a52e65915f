/// ISO/IEC 7064 MOD 11-2, the check character of resident ID numbers (GB 11643) and of Cordon's
/// specimen accession numbers. It catches every single mistyped digit and every swap of two
/// neighbouring digits, the two slips a person makes copying a number.
public enum ISO7064 {
    /// The check character (`0`-`9` or `X`) for `digits`, each 0-9, of any length: modulus 11,
    /// radix 2, as the standard names it.
    public static func mod11Radix2(_ digits: [Int]) -> Character {
        var sum = 0
        for digit in digits { sum = (sum + digit) * 2 % 11 }
        let check = (12 - sum) % 11
        return check == 10 ? "X" : Character(String(check))
    }
}
