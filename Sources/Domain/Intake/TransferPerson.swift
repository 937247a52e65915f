import Foundation

/// What the command's transfer list says makes a person need more than a bed.
public enum Vulnerability: String, Sendable, Codable, CaseIterable, Hashable {
    case pregnancy
    case dialysis
    case cancerTreatment = "cancer_treatment"
    case chronicDisease = "chronic_disease"
    case disability
    case needsCarer = "needs_carer"
}

/// One person on a district command's transfer list, as the list gives them.
public struct TransferPerson: Sendable, Codable, Equatable {
    public var name: String
    public var sex: Sex
    public var dateOfBirth: CalendarDate
    public var nationalId: String
    public var phone: String?
    public var homeAddress: String?
    /// The residential committee (居委会) the person was collected from.
    public var committee: String?
    public var testDate: CalendarDate?
    public var nGeneCt: Double?
    public var orf1abCt: Double?
    public var vulnerabilities: Set<Vulnerability>
    /// People sharing a household or group id travel and are placed together.
    public var household: String?
    /// When this person is expected, if the list says so for them alone.
    public var expectedAt: Date?

    public init(
        name: String, sex: Sex, dateOfBirth: CalendarDate, nationalId: String, phone: String? = nil,
        homeAddress: String? = nil, committee: String? = nil, testDate: CalendarDate? = nil, nGeneCt: Double? = nil,
        orf1abCt: Double? = nil, vulnerabilities: Set<Vulnerability> = [], household: String? = nil,
        expectedAt: Date? = nil
    ) {
        self.name = name
        self.sex = sex
        self.dateOfBirth = dateOfBirth
        self.nationalId = nationalId
        self.phone = phone
        self.homeAddress = homeAddress
        self.committee = committee
        self.testDate = testDate
        self.nGeneCt = nGeneCt
        self.orf1abCt = orf1abCt
        self.vulnerabilities = vulnerabilities
        self.household = household
        self.expectedAt = expectedAt
    }

    /// This person as the allocation sees them, under `id`, aged on `today`.
    public func arrival(id: Int64, today: CalendarDate) -> Arrival {
        Arrival(
            id: id, sex: sex, ageYears: dateOfBirth.age(on: today), vulnerabilities: vulnerabilities,
            household: household)
    }

    /// Checks every field as an admission would, and returns the normalised ID number. Fields are
    /// named as in JSON (`nationalId`); a file reader renames them to its columns.
    public func validate(today: CalendarDate) throws -> NationalID {
        var v = Validator()
        var id: NationalID?
        do {
            id = try Admission(
                name: name, sex: sex, dateOfBirth: dateOfBirth, phone: phone, nationalId: nationalId,
                severity: .asymptomatic, partyMember: false, bedId: 1
            ).validate(today: today)
        } catch DomainError.invalid(let issues) {
            for issue in issues { v.fail(issue.field, issue.detail) }
        }
        for (value, field) in [(homeAddress, "homeAddress"), (committee, "committee")] {
            if let value { v.text(value, field, max: 200) }
        }
        if let household {
            v.check(
                (1...32).contains(household.count) && household.trimmedOfWhitespace == household, "household",
                "must be 1-32 characters without surrounding spaces")
        }
        if let testDate { v.check(testDate <= today && testDate.year >= 2019, "testDate", "must be a past date") }
        for (ct, field) in [(nGeneCt, "nGeneCt"), (orf1abCt, "orf1abCt")] {
            if let ct { v.check(ct.isFinite && (0...50).contains(ct), field, "must be between 0 and 50") }
        }
        try v.finish()
        return id!
    }
}

/// A transfer list as the command sends it: the people of one bus, expected at one time.
public struct TransferList: Sendable, Codable, Equatable {
    /// The command's own number for the list, e.g. 金山-0412-03.
    public var reference: String
    /// When the bus is expected; if absent, the earliest time any person is expected.
    public var expectedAt: Date?
    public var persons: [TransferPerson]

    /// The most people one list may carry: a few buses.
    public static let maximumPersons = 500

    public init(reference: String, expectedAt: Date?, persons: [TransferPerson]) {
        self.reference = reference
        self.expectedAt = expectedAt
        self.persons = persons
    }

    /// The arrival time the batch is kept under.
    public var batchExpectedAt: Date? { expectedAt ?? persons.compactMap(\.expectedAt).min() }

    /// Checks the whole list: every person, duplicates within it, and people already on site or
    /// already expected (`known`: what each normalised ID number already is). Every problem is
    /// named where `positions` says (a JSON path or a file line), and nothing is accepted unless
    /// all pass. Returns the normalised ID numbers in list order.
    public func validate(
        today: CalendarDate, known: [String: String], positions: ListPositions = .json,
        maximumPersons: Int = Self.maximumPersons
    ) throws -> [NationalID] {
        var v = Validator()
        v.text(reference, "reference", max: 64)
        v.check(!persons.isEmpty, "persons", "the list has nobody on it")
        v.check(persons.count <= maximumPersons, "persons", "a list may hold at most \(maximumPersons) people")
        v.check(batchExpectedAt != nil, "expectedAt", "give when the bus is expected, for the list or its people")
        var issues = v.issues
        var ids: [NationalID] = []
        var firstSeen: [String: Int] = [:]
        for (index, person) in persons.enumerated() {
            do {
                let id = try person.validate(today: today)
                ids.append(id)
                if let earlier = firstSeen[id.value] {
                    issues.append(
                        positions.issue(index, "nationalId", "the same person as \(positions.name(earlier))"))
                } else {
                    firstSeen[id.value] = index
                }
                if let what = known[id.value] { issues.append(positions.issue(index, "nationalId", what)) }
            } catch DomainError.invalid(let personIssues) {
                issues += personIssues.map { positions.issue(index, $0.field, $0.detail) }
            }
        }
        if !issues.isEmpty { throw DomainError.invalid(issues) }
        return ids
    }
}

/// Where a problem with the n-th person of a list is reported: a JSON path, or a file's line
/// with the column named in the detail.
public struct ListPositions: Sendable {
    /// How the n-th person is named, e.g. `persons[3]` or `line 5`.
    public let name: @Sendable (Int) -> String
    /// The position kept for the n-th person: the index in JSON, the line of a file.
    public let position: @Sendable (Int) -> Int
    /// The issue for the n-th person's field (named as in JSON) with its detail.
    public let issue: @Sendable (Int, String, String) -> FieldIssue

    /// `persons[3].nationalId`.
    public static let json = ListPositions(
        name: { "persons[\($0)]" }, position: { $0 }, issue: { FieldIssue(field: "persons[\($0)].\($1)", detail: $2) })

    /// `line 5`, detail `national_id: ...`: the n-th person is on `lines[n]`, and `column` names
    /// a JSON field as the file's header does.
    public static func file(lines: [Int], column: @escaping @Sendable (String) -> String) -> ListPositions {
        ListPositions(
            name: { "line \(lines[$0])" }, position: { lines[$0] },
            issue: { FieldIssue(field: "line \(lines[$0])", detail: "\(column($1)): \($2)") })
    }
}
