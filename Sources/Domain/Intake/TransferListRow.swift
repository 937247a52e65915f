import Foundation

/// The columns of a transfer list file, and how one row reads as a `TransferPerson`. District
/// lists are often in Chinese, so sex and vulnerabilities may be written either way.
public enum TransferListRow {
    public static let required = ["name", "sex", "date_of_birth", "national_id"]
    public static let optional = [
        "phone", "home_address", "committee", "test_date", "n_gene_ct", "orf1ab_ct", "vulnerabilities", "household",
        "expected_at",
    ]

    /// The file's column for a field named as in JSON: `nationalId` is `national_id`.
    public static func column(_ field: String) -> String {
        field.reduce(into: "") { out, c in
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
    }

    static let sexes: [String: Sex] = [
        "female": .female, "f": .female, "女": .female, "male": .male, "m": .male, "男": .male,
    ]
    static let vulnerabilities: [String: Vulnerability] = Dictionary(
        uniqueKeysWithValues: Vulnerability.allCases.map { ($0.rawValue, $0) }
    ).merging(
        [
            "孕妇": .pregnancy, "妊娠": .pregnancy, "透析": .dialysis, "血透": .dialysis, "肿瘤治疗": .cancerTreatment,
            "化疗": .cancerTreatment, "放疗": .cancerTreatment, "慢性病": .chronicDisease, "基础病": .chronicDisease,
            "残疾": .disability, "需陪护": .needsCarer,
        ]
    ) { first, _ in first }

    /// Reads one row's trimmed fields (empty means not given); local times are the site's.
    /// Every problem of the row is returned, each naming its column.
    public static func parse(_ fields: [String: String], timeZone: TimeZone) -> Result<TransferPerson, DomainError> {
        var v = Validator()
        func given(_ name: String) -> String? { fields[name].flatMap { $0.isEmpty ? nil : $0 } }
        let sex = sexes[(given("sex") ?? "").lowercased()]
        v.check(sex != nil, "sex", "'\(given("sex") ?? "")' is not female or male (女 or 男)")
        let born = CalendarDate(given("date_of_birth") ?? "")
        v.check(born != nil, "dateOfBirth", "'\(given("date_of_birth") ?? "")' is not a date as YYYY-MM-DD")
        let tested = given("test_date").map { CalendarDate($0) }
        v.check(tested != .some(nil), "testDate", "'\(given("test_date") ?? "")' is not a date as YYYY-MM-DD")
        var cts: [Double?] = []
        for (column, field) in [("n_gene_ct", "nGeneCt"), ("orf1ab_ct", "orf1abCt")] {
            let ct = given(column).map { Double($0) }
            v.check(ct != .some(nil), field, "'\(given(column) ?? "")' is not a number")
            cts.append(ct ?? nil)
        }
        var marks: Set<Vulnerability> = []
        for word in (given("vulnerabilities") ?? "").split(whereSeparator: { ";；、".contains($0) }) {
            let word = String(word).trimmedOfWhitespace
            if word.isEmpty { continue }
            if let mark = vulnerabilities[word.lowercased()] {
                marks.insert(mark)
            } else {
                v.fail(
                    "vulnerabilities",
                    "'\(word)' is not one of \(Vulnerability.allCases.map(\.rawValue).joined(separator: ", ")) (separate them with ;)"
                )
            }
        }
        let expected = given("expected_at").map { parseInstant($0, timeZone: timeZone) }
        v.check(
            expected != .some(nil), "expectedAt",
            "'\(given("expected_at") ?? "")' is not a time as YYYY-MM-DD HH:MM, or ISO 8601 with an offset")
        guard v.issues.isEmpty, let sex, let born else { return .failure(.invalid(v.issues)) }
        return .success(
            TransferPerson(
                name: given("name") ?? "", sex: sex, dateOfBirth: born, nationalId: given("national_id") ?? "",
                phone: given("phone"), homeAddress: given("home_address"), committee: given("committee"),
                testDate: tested ?? nil, nGeneCt: cts[0], orf1abCt: cts[1], vulnerabilities: marks,
                household: given("household"), expectedAt: expected ?? nil))
    }

    /// `2022-04-12 22:30` in the site's time zone, or an RFC 3339 instant with its offset.
    static func parseInstant(_ text: String, timeZone: TimeZone) -> Date? {
        if let instant = RFC3339.date(text) { return instant }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let day = CalendarDate(String(parts[0])) else { return nil }
        return LocalTime.instant(day, String(parts[1]), in: timeZone)
    }
}
