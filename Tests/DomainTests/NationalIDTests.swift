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
        #expect(throws: DomainError.invalid("nationalId", "check digit does not match (ISO 7064 MOD 11-2); please re-check the number")) {
            try NationalID(validating: "110105194912310021")
        }
    }

    @Test("wrong length and non-digits are refused", arguments: [
        ("1101051949123100", "must be 18 characters, got 16"),
        ("11010519491231002XX", "must be 18 characters, got 19"),
        ("1101051949A231002X", "must be 17 digits followed by a digit or X"),
    ])
    func refusesMalformed(raw: String, reason: String) {
        #expect(throws: DomainError.invalid("nationalId", reason)) { try NationalID(validating: raw) }
    }

    @Test("masking keeps the first 6 and last 4 characters")
    func masks() throws {
        #expect(try NationalID(validating: "11010519491231002X").masked == "110105********002X")
        #expect(NationalID.mask("310116196909020021") == "310116********0021")
    }

    @Test("site managers and admins see the number in full; other roles see it masked")
    func maskingByRole() {
        let patient = Patient(id: 1, siteId: 7, name: "Test", sex: .female, dateOfBirth: CalendarDate(year: 1969, month: 9, day: 2),
                              phone: nil, nationalId: "11010519491231002X", severity: .mild, partyMember: false, status: .admitted,
                              bedId: 1, bedCode: "A-001", admittedAt: .now, dischargedAt: nil, dischargeReason: nil, version: 1)
        func actor(_ role: Role, site: Int64? = 7) -> Actor {
            Actor(userId: 1, username: "u", grants: [Grant(role: role, siteId: role == .admin ? nil : site)], origin: .seed)
        }
        #expect(patient.nationalId(for: actor(.admin)) == "11010519491231002X")
        #expect(patient.nationalId(for: actor(.siteManager)) == "11010519491231002X")
        for role in [Role.clinician, .pharmacist, .branchSecretary, .hospitalSystem] {
            #expect(patient.nationalId(for: actor(role)) == "110105********002X")
        }
        #expect(patient.nationalId(for: actor(.siteManager, site: 8)) == "110105********002X")
    }

    @Test("admission refuses a birth date that disagrees with the ID number")
    func admissionChecksBirthDate() {
        let admission = Admission(name: "Test", sex: .male, dateOfBirth: CalendarDate(year: 1950, month: 1, day: 1), phone: nil,
                                  nationalId: "11010519491231002X", severity: .mild, partyMember: false, bedId: 1)
        #expect(throws: DomainError.invalid("dateOfBirth", "does not match the birth date in the ID number")) {
            try admission.validate(today: CalendarDate(year: 2022, month: 4, day: 3))
        }
    }
}
