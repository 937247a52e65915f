import Domain
import Foundation

/// Turns the admission form's fields into an `Admission`; the service checks the rest (the ID
/// number's check digit among them), so a rule lives in one place.
enum AdmissionForm {
    static func admission(_ form: Form) throws -> Admission {
        var v = Validator()
        let sex = form.text("sex").flatMap(Sex.init)
        v.check(sex != nil, "sex", "choose female or male")
        let born = form.text("dateOfBirth").flatMap(CalendarDate.init)
        v.check(born != nil, "dateOfBirth", "must be a date as YYYY-MM-DD")
        let severity = form.text("severity").flatMap(Severity.init)
        v.check(severity != nil, "severity", "choose a severity")
        let bed = form.text("bedId").flatMap(Int64.init)
        v.check(bed != nil, "bedId", "choose a free bed")
        v.text(form["name"] ?? "", "name", max: 100)
        v.check(form.text("nationalId") != nil, "nationalId", "must not be empty")
        try v.finish()
        return Admission(
            name: form.text("name")!, sex: sex!, dateOfBirth: born!, phone: form.text("phone"),
            nationalId: form.text("nationalId")!, severity: severity!, partyMember: form["partyMember"] == "on",
            bedId: Bed.ID(bed!))
    }
}

/// Turns the test-result form into a `NucleicAcidTestEntry`; the sampling time is the site's local time.
enum TestForm {
    static func entry(_ form: Form, timeZone: TimeZone) throws -> NucleicAcidTestEntry {
        var v = Validator()
        let result = form.text("result").flatMap(TestResultKind.init)
        v.check(result != nil, "result", "choose positive or negative")
        let sampled = form.text("sampledAt").flatMap { localInstant($0, timeZone) }
        v.check(sampled != nil, "sampledAt", "must be a date and time as YYYY-MM-DDTHH:MM")
        let n = ct(form, "nGeneCt", &v)
        let orf = ct(form, "orf1abCt", &v)
        try v.finish()
        return NucleicAcidTestEntry(sampledAt: sampled!, result: result!, nGeneCt: n, orf1abCt: orf)
    }

    /// An optional Ct value: blank is none, anything else must be a number.
    static func ct(_ form: Form, _ field: String, _ v: inout Validator) -> Double? {
        guard let text = form.text(field) else { return nil }
        let value = Double(text)
        v.check(value != nil && value!.isFinite, field, "must be a number such as 32.5")
        return value
    }

    /// `2022-04-20T08:30` (what a datetime-local field sends) at the site.
    static func localInstant(_ text: String, _ timeZone: TimeZone) -> Date? {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let day = CalendarDate(String(parts[0])) else { return nil }
        return LocalTime.instant(day, String(parts[1].prefix(5)), in: timeZone)
    }
}
