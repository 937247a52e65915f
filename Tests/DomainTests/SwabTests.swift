import Domain
import Testing

@Suite("Swabs: accession numbers and who is due")
struct SwabTests {
    @Test("an accession number is S, ten digits of its sequence and the MOD 11-2 check; it reads back")
    func accessionRoundTrip() throws {
        let number = try #require(AccessionNumber(sequence: 12345))
        #expect(number.description == "S00000123458")
        #expect(try AccessionNumber(parsing: " s00000123458 ") == number, "case and spaces as a scanner types them")
        #expect(
            try AccessionNumber(parsing: AccessionNumber(sequence: 9_999_999_999)!.description).sequence
                == 9_999_999_999)
        #expect(AccessionNumber(sequence: 0) == nil && AccessionNumber(sequence: 10_000_000_000) == nil)
    }

    @Test("every single wrong digit and every swap of two neighbouring digits is refused, naming the field")
    func accessionCatchesSlips() throws {
        for sequence: Int64 in [1, 12345, 987_654_321, 5_000_000_001] {
            let text = Array(try #require(AccessionNumber(sequence: sequence)).description)
            for position in 1...10 {
                for digit in "0123456789" where digit != text[position] {
                    var typo = text
                    typo[position] = digit
                    #expect(throws: DomainError.self) { try AccessionNumber(parsing: String(typo)) }
                }
                if position < 10, text[position] != text[position + 1] {
                    var swapped = text
                    swapped.swapAt(position, position + 1)
                    #expect(throws: DomainError.self) { try AccessionNumber(parsing: String(swapped)) }
                }
            }
        }
        #expect(
            throws: DomainError.invalid(
                "tube", "the check character does not match: a digit may be misread or mistyped")
        ) { try AccessionNumber(parsing: "S00000123459", field: "tube") }
        for malformed in ["", "S0000012345", "S000001234588", "X00000123458", "S0000012345A", "S00000-23458"] {
            #expect(throws: DomainError.self, "\(malformed)") { try AccessionNumber(parsing: malformed) }
        }
    }

    @Test("the resident ID number's check is the same ISO 7064 rule")
    func nationalIDSharesTheRule() throws {
        #expect(NationalID.checkCharacter(forFirst17: "11010519491231002".map { Int(String($0))! }) == "X")
        #expect(ISO7064.mod11Radix2([0, 0, 0, 0, 0, 1, 2, 3, 4, 5]) == "8")
    }

    @Test(
        "due from the day after admission, then every interval after the last swab, never twice a day",
        arguments: [
            // (admitted, last swab, day, first day after admission, interval, due)
            ("2022-04-10", nil, "2022-04-10", 1, 1, false),
            ("2022-04-10", nil, "2022-04-11", 1, 1, true),
            ("2022-04-10", "2022-04-11", "2022-04-11", 1, 1, false),
            ("2022-04-10", "2022-04-11", "2022-04-12", 1, 1, true),
            ("2022-04-10", "2022-04-11", "2022-04-12", 1, 2, false),
            ("2022-04-10", "2022-04-11", "2022-04-13", 1, 2, true),
            ("2022-04-10", nil, "2022-04-10", 0, 1, true),
            ("2022-04-10", nil, "2022-04-12", 3, 1, false),
            ("2022-04-10", "2022-04-01", "2022-04-11", 1, 1, true),
        ] as [(String, String?, String, Int, Int, Bool)])
    func due(_ admitted: String, _ last: String?, _ day: String, _ first: Int, _ interval: Int, _ due: Bool) throws {
        let schedule = SwabSchedule(firstDayAfterAdmission: first, intervalDays: interval)
        try schedule.validate()
        #expect(
            schedule.isDue(
                admittedOn: CalendarDate(admitted)!, lastSwabbedOn: last.flatMap(CalendarDate.init),
                on: CalendarDate(day)!) == due)
    }

    @Test("a site's schedule is checked: no interval of 0 or over a week")
    func scheduleLimits() {
        #expect(throws: DomainError.self) { try SwabSchedule(intervalDays: 0).validate() }
        #expect(throws: DomainError.self) { try SwabSchedule(firstDayAfterAdmission: 8).validate() }
    }
}
