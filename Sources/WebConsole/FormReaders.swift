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
            bedId: Bed.ID(bed!), home: home(form))
    }

    /// Where the patient goes home to, when the clerk filled any of it in.
    static func home(_ form: Form) -> HomeDetails? {
        .given(
            homeAddress: form.text("homeAddress"), committee: form.text("committee"), household: form.text("household"),
            needsCarer: form["needsCarer"] == "on")
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

/// Turns the new-referral form into a `ReferralDraft`. The destination is one choice of
/// "hospital:department" (the department may be blank); each service is a checkbox of its own.
enum ReferralForm {
    static func draft(_ form: Form) throws -> ReferralDraft {
        var v = Validator()
        let patient = form.text("patientId").flatMap(Int64.init)
        v.check(patient != nil, "patientId", "choose the patient")
        let destination = (form["destination"] ?? "").split(separator: ":", omittingEmptySubsequences: false)
        let hospital = destination.first.flatMap { Int64($0) }
        v.check(hospital != nil, "destination", "choose the hospital")
        let department = destination.count == 2 ? Int64(destination[1]) : nil
        let urgency = form.text("urgency").flatMap(Urgency.init)
        v.check(urgency != nil, "urgency", "choose how urgent it is")
        try v.finish()
        return ReferralDraft(
            patientId: Patient.ID(patient!), hospitalId: Hospital.ID(hospital!),
            departmentId: department.map { Hospital.Department.ID($0) }, reason: form.text("reason") ?? "",
            clinicalSummary: form.text("clinicalSummary") ?? "", services: services(form), urgency: urgency!,
            fastLane: form["fastLane"] == "on", committeeContact: form.text("committeeContact") ?? "")
    }

    static func services(_ form: Form) -> [ReferralServiceKind] {
        ReferralServiceKind.allCases.filter { form["service_\($0.rawValue)"] == "on" }
    }

    /// The fields as the form shows them again after a refusal.
    static func echo(_ form: Form) -> [String: String] {
        var input = form.fields
        input["services"] = services(form).map(\.rawValue).joined(separator: ",")
        return input
    }
}

/// Turns the observation form into an `ObservationEntry`: a measure and its reading, at a local time.
enum ObservationForm {
    static func entry(_ form: Form, timeZone: TimeZone) throws -> ObservationEntry {
        var v = Validator()
        let measure = form.text("measure").flatMap(Measure.init)
        v.check(measure != nil, "measure", "choose what was measured")
        let observed = form.text("observedAt").flatMap { TestForm.localInstant($0, timeZone) }
        v.check(observed != nil, "observedAt", "must be a date and time as YYYY-MM-DDTHH:MM")
        var value: Double?
        var systolic: Int?
        var diastolic: Int?
        if measure == .bloodPressure {
            let parts = (form.text("value") ?? "").split(separator: "/").map {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            v.check(
                parts.count == 2 && parts.allSatisfy { $0 != nil }, "value", "must be a blood pressure such as 120/80")
            if parts.count == 2 { (systolic, diastolic) = (parts[0], parts[1]) }
        } else if measure != nil {
            value = form.text("value").flatMap(Double.init)
            v.check(value?.isFinite == true, "value", "must be a number such as 37.2")
        }
        try v.finish()
        return ObservationEntry(
            measure: measure, observedAt: observed!, systolic: systolic, diastolic: diastolic, value: value,
            note: form.text("note"))
    }
}

/// Turns the pharmacist's four movement forms into their requests; the services check the rest.
enum StockForms {
    static func receipt(_ form: Form) throws -> StockReceipt {
        var v = Validator()
        let location = id(form, "locationId", &v)
        let medication = id(form, "medicationId", &v)
        let expires = form.text("expiresOn").flatMap(CalendarDate.init)
        v.check(expires != nil, "expiresOn", "must be a date as YYYY-MM-DD")
        let quantity = count(form, "quantity", &v)
        try v.finish()
        return StockReceipt(
            locationId: StockLocation.ID(location!), medicationId: Medication.ID(medication!),
            lotNumber: form.text("lotNumber") ?? "", expiresOn: expires!, quantity: quantity!,
            reason: form.text("reason") ?? "", documentNumber: form.text("documentNumber"))
    }

    static func transfer(_ form: Form) throws -> StockTransfer {
        var v = Validator()
        let from = id(form, "locationId", &v)
        let to = id(form, "toLocationId", &v)
        let medication = id(form, "medicationId", &v)
        let quantity = count(form, "quantity", &v)
        try v.finish()
        return StockTransfer(
            fromLocationId: StockLocation.ID(from!), toLocationId: StockLocation.ID(to!),
            medicationId: Medication.ID(medication!), quantity: quantity!, reason: form.text("reason") ?? "",
            documentNumber: form.text("documentNumber"))
    }

    static func count(_ form: Form) throws -> StockCount {
        var v = Validator()
        let lot = lot(form, &v)
        let counted = count(form, "quantity", &v)
        try v.finish()
        return StockCount(
            locationId: lot!.location, lotId: lot!.lot, countedQuantity: counted!, reason: form.text("reason"))
    }

    static func writeOff(_ form: Form) throws -> StockWriteOff {
        var v = Validator()
        let lot = lot(form, &v)
        let quantity = count(form, "quantity", &v)
        try v.finish()
        return StockWriteOff(
            locationId: lot!.location, lotId: lot!.lot, quantity: quantity!, reason: form.text("reason") ?? "")
    }

    static func id(_ form: Form, _ field: String, _ v: inout Validator) -> Int64? {
        let value = form.text(field).flatMap(Int64.init)
        v.check(value != nil, field, "choose one")
        return value
    }

    /// A whole number of units, as typed; the services check its range.
    static func count(_ form: Form, _ field: String, _ v: inout Validator) -> Int? {
        let value = form.text(field).flatMap(Int.init)
        v.check(value != nil, field, "must be a whole number")
        return value
    }

    /// A lot on a shelf, chosen as "location:lot".
    static func lot(_ form: Form, _ v: inout Validator) -> (location: StockLocation.ID, lot: Int64)? {
        let parts = (form["lot"] ?? "").split(separator: ":").compactMap { Int64($0) }
        v.check(parts.count == 2, "lot", "choose the lot on its shelf")
        return parts.count == 2 ? (StockLocation.ID(parts[0]), parts[1]) : nil
    }
}
