import Domain
import Testing

@Suite("National ID numbers")
struct NationalIDTests {
    @Test("a number with the right ISO 7064 MOD 11-2 check character is accepted")
    func acceptsValidNumber() throws {
        let id = try NationalID(validating: "11010519491231002X")
        #expect(id.value == "11010519491231002X")
    }

    @Test("a lower-case x check character is normalised to X")
    func normalisesLowerCaseX() throws {
        #expect(try NationalID(validating: "11010519491231002x").value == "11010519491231002X")
    }

    @Test("a wrong check character is refused with a reason that says so")
    func refusesWrongCheckDigit() {
        #expect(
            throws: DomainError.invalid(
                "nationalId", "check digit does not match (ISO 7064 MOD 11-2); please re-check the number")
        ) {
            try NationalID(validating: "110105194912310021")
        }
    }

    @Test(
        "wrong length and non-digits are refused",
        arguments: [
            ("1101051949123100", "must be 18 characters, got 16"),
            ("11010519491231002XX", "must be 18 characters, got 19"),
            ("1101051949A231002X", "must be 17 digits followed by a digit or X"),
        ])
    func refusesMalformed(raw: String, reason: String) {
        #expect(throws: DomainError.invalid("nationalId", reason)) { try NationalID(validating: raw) }
    }

    @Test("masking keeps only the last 4 characters, never the region or the birth date")
    func masks() throws {
        #expect(try NationalID(validating: "11010519491231002X").masked == "**************002X")
        #expect(NationalID.lastFourOnly("310116196909020021") == "**************0021")
        #expect(NationalID.lastFourOnly("**************0021") == "**************0021")
    }

    @Test("admission refuses a birth date that disagrees with the ID number")
    func admissionChecksBirthDate() {
        let admission = Admission(
            name: "Test", sex: .male, dateOfBirth: CalendarDate(year: 1950, month: 1, day: 1), phone: nil,
            nationalId: "11010519491231002X", severity: .mild, partyMember: false, bedId: 1)
        #expect(throws: DomainError.invalid("dateOfBirth", "does not match the birth date in the ID number")) {
            try admission.validate(today: CalendarDate(year: 2022, month: 4, day: 3))
        }
    }
}
