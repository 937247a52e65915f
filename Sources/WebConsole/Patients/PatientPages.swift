import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// Patients: the list with search, one patient's record, admission and test results.
struct PatientPages: Sendable {
    let visit: Visit
    let site: Site

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        router.get("/console/sites/:site/patients") { request, context in
            try await pages.signedIn(request) { visit in
                try await PatientPages(visit: visit, site: try await visit.site(context)).list()
            }
        }
        router.get("/console/sites/:site/patients/new") { request, context in
            try await pages.signedIn(request) { visit in
                try await PatientPages(visit: visit, site: try await visit.site(context)).admitForm(
                    input: [:], issues: [], status: .ok)
            }
        }
        router.post("/console/sites/:site/patients") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await PatientPages(visit: visit, site: try await visit.site(context)).admit(form)
            }
        }
        router.get("/console/sites/:site/patients/:patient") { request, context in
            try await pages.signedIn(request) { visit in
                try await PatientPages(visit: visit, site: try await visit.site(context)).detail(
                    Patient.ID(try PathID.positive(context, "patient")), testInput: [:], testIssues: [], status: .ok)
            }
        }
        router.post("/console/sites/:site/patients/:patient/move") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await PatientPages(visit: visit, site: try await visit.site(context)).move(
                    Patient.ID(try PathID.positive(context, "patient")), form)
            }
        }
        router.post("/console/sites/:site/patients/:patient/discharge") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await PatientPages(visit: visit, site: try await visit.site(context)).discharge(
                    Patient.ID(try PathID.positive(context, "patient")), form)
            }
        }
        router.post("/console/sites/:site/patients/:patient/tests") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await PatientPages(visit: visit, site: try await visit.site(context)).addTest(
                    Patient.ID(try PathID.positive(context, "patient")), form)
            }
        }
    }

    var base: String { "/console/sites/\(SitePages.pathCode(site))/patients" }
    var words: Catalogue { visit.words }

    // MARK: List

    func list() async throws -> Response {
        let query = visit.request.uri.queryParameters
        let search = query["q"].map(String.init) ?? ""
        let status = query["status"].flatMap { PatientStatus(rawValue: String($0)) }
        let zoneCode = query["zone"].map(String.init) ?? ""
        let onlyEligible = query["eligible"] == "1"
        let after = query["after"].flatMap { Int64(String($0)) }
        let services = visit.services
        let zones = try await services.sites.zones(siteId: site.id, actor: visit.actor)
        let zone = zones.first { $0.code == zoneCode }
        let page = try await services.patients.list(
            siteId: site.id, status: status, matching: search, zoneId: zone?.id,
            releaseEligible: onlyEligible ? true : nil, page: PageRequest(afterId: after, limit: 50),
            actor: visit.actor)
        let patients = page.items
        let more = page.nextCursor != nil
        let rows = patients.map { patient in
            PatientList.Row(
                id: patient.id.rawValue, name: patient.name, bed: patient.bedCode ?? "—",
                sex: words["sex_\(patient.sex.rawValue)"], severity: words["severity_\(patient.severity.rawValue)"],
                status: words["status_\(patient.status.rawValue)"], idEnding: String(patient.nationalId.suffix(4)))
        }
        var model = PatientList(
            base: base, q: search, patients: rows, empty: rows.isEmpty, eligible: onlyEligible,
            statuses: Choices.cases(PatientStatus.self, selected: status?.rawValue, words: words, prefix: "status"),
            zones: Choices.of(zones, selected: zoneCode, value: \.code) { "\($0.code) · \($0.name)" },
            canAdmit: visit.actor.holds(any: PatientService.carers, at: site.id),
            readsEligibility: visit.actor.holds(any: CensusService.readers, at: site.id))
        if more, let last = patients.last {
            var next = URLComponents()
            next.queryItems = [
                URLQueryItem(name: "q", value: search), URLQueryItem(name: "status", value: status?.rawValue ?? ""),
                URLQueryItem(name: "zone", value: zoneCode),
                URLQueryItem(name: "eligible", value: onlyEligible ? "1" : ""),
                URLQueryItem(name: "after", value: String(last.id.rawValue)),
            ]
            model.next = base + "?" + (next.percentEncodedQuery ?? "")
        }
        return try await visit.page("patients", title: words["patients_title"], model: model, site: site)
    }

    // MARK: Detail

    func detail(
        _ id: Patient.ID, testInput: [String: String], testIssues: [FieldIssue], status: HTTPResponse.Status,
        notices: [String] = []
    ) async throws -> Response {
        let services = visit.services
        let actor = visit.actor
        let record = try await services.patients.record(siteId: site.id, patientId: id, actor: actor)
        let patient = record.patient
        let tests = record.tests
        let threshold = services.settings.dischargeRule.ctThreshold
        var model = PatientRecordPage(
            base: base, site: "/console/sites/\(SitePages.pathCode(site))", notices: notices,
            hasNotices: !notices.isEmpty,
            patient: .init(
                id: patient.id.rawValue, name: patient.name, sex: words["sex_\(patient.sex.rawValue)"],
                severity: words["severity_\(patient.severity.rawValue)"],
                status: words["status_\(patient.status.rawValue)"],
                bed: patient.bedCode ?? "—", admitted: LocalTimeText.dayAndTime(patient.admittedAt, site.timeZone),
                partyMember: patient.partyMember, version: patient.version),
            identity: .init(
                nationalId: patient.nationalId, masked: patient.nationalIdMasked, phone: patient.phone ?? "—",
                born: patient.dateOfBirth?.description, age: patient.ageYears,
                homeAddress: patient.home?.homeAddress, committee: patient.home?.committee,
                household: patient.home?.household, needsCarer: patient.home?.needsCarer ?? false),
            beds: record.bedHistory.map {
                .init(
                    bed: $0.bedCode, from: LocalTimeText.dayAndTime($0.from, site.timeZone),
                    until: $0.until.map { LocalTimeText.dayAndTime($0, site.timeZone) } ?? words["patient_now"])
            },
            tests: tests.reversed().map {
                .init(
                    sampled: LocalTimeText.dayAndTime($0.sampledAt, site.timeZone),
                    result: words["test_\($0.result.rawValue)"], n: $0.nGeneCt.map { String($0) } ?? "—",
                    orf: $0.orf1abCt.map { String($0) } ?? "—")
            },
            hasTests: !tests.isEmpty,
            chart: CtChart(tests: tests, threshold: threshold, words: words, timeZone: site.timeZone).svg,
            verdict: .init(
                eligible: record.eligibility.eligible,
                reasons: record.eligibility.explanations.map { words.explain($0, in: site.timeZone) }),
            canAddTest: actor.holds(any: PatientService.carers, at: site.id) && patient.status == .admitted,
            wristband: WristbandCode(patientId: patient.id)?.description ?? "",
            hasWristband: actor.holds(any: SwabService.carers, at: site.id) && patient.status == .admitted,
            testForm: FormEcho(input: testInput, issues: testIssues),
            results: Choices.cases(TestResultKind.self, selected: testInput["result"], words: words, prefix: "test"))
        addRelated(record, names: try await MedicineNames.read(visit), to: &model)
        return try await visit.page("patient", title: "", named: patient.name, model: model, site: site, status: status)
    }

    /// The parts of a record that belong to other services: care plans, today's doses and
    /// referrals (each only for the roles that read it), and the move and discharge forms.
    func addRelated(_ record: PatientRecord, names: MedicineNames, to related: inout PatientRecordPage) {
        let actor = visit.actor
        let patient = record.patient
        if let plans = record.carePlans {
            related.plans = plans.map {
                .init(id: $0.id.rawValue, status: words["plan_\($0.status.rawValue)"], review: $0.reviewOn.description)
            }
            related.readsCare = true
        }
        if let doses = record.dosesToday {
            related.doses = doses.map {
                .init(
                    time: $0.time, medication: names.name($0.medicationCode), code: $0.medicationCode,
                    units: $0.doseUnits,
                    given: $0.given,
                    notGiven: $0.notGivenReason)
            }
        }
        if let referrals = record.referrals {
            related.referrals = referrals.map {
                .init(
                    id: $0.id.rawValue, status: words["referral_\($0.status.rawValue)"],
                    urgency: words["urgency_\($0.urgency.rawValue)"])
            }
            related.readsReferrals = true
            related.canRefer = actor.holds(any: ReferralService.requesters, at: site.id) && patient.status == .admitted
        }
        if let free = record.freeBeds {
            related.canMove = !free.isEmpty
            related.freeBeds = free.map { Choice(value: String($0.id.rawValue), label: $0.code, selected: false) }
            related.canDischarge = true
            related.dischargeReasons = Choices.cases(
                DischargeReason.self, selected: nil, words: words, prefix: "discharge")
        }
    }

    /// Moves the patient to another free bed, at the version of the record the person read.
    func move(_ id: Patient.ID, _ form: Form) async throws -> Response {
        try await visit.attempt {
            guard let bed = form.text("bedId").flatMap(Int64.init) else {
                throw DomainError.invalid("bedId", "choose a free bed")
            }
            _ = try await visit.services.patients.move(
                siteId: site.id, patientId: id, toBed: Bed.ID(bed),
                expectedVersion: form.text("version").flatMap(Int.init),
                actor: visit.actor)
            return WebConsole.redirect(to: "\(base)/\(id.rawValue)")
        } orShow: { issues, status in
            try await detail(id, testInput: [:], testIssues: [], status: status, notices: issues.map(\.detail))
        }
    }

    func discharge(_ id: Patient.ID, _ form: Form) async throws -> Response {
        try await visit.attempt {
            guard let reason = form.text("reason").flatMap(DischargeReason.init) else {
                throw DomainError.invalid("reason", "choose why the patient leaves")
            }
            _ = try await visit.services.patients.discharge(
                siteId: site.id, patientId: id, reason: reason, note: form.text("note"),
                expectedVersion: form.text("version").flatMap(Int.init), actor: visit.actor)
            return WebConsole.redirect(to: "\(base)/\(id.rawValue)")
        } orShow: { issues, status in
            try await detail(id, testInput: [:], testIssues: [], status: status, notices: issues.map(\.detail))
        }
    }

    func addTest(_ id: Patient.ID, _ form: Form) async throws -> Response {
        do {
            let entry = try TestForm.entry(form, timeZone: site.timeZone)
            _ = try await visit.services.patients.addTest(siteId: site.id, patientId: id, entry, actor: visit.actor)
            return WebConsole.redirect(to: "\(base)/\(id.rawValue)")
        } catch DomainError.invalid(let issues) {
            return try await detail(
                id, testInput: form.fields, testIssues: visit.said(issues), status: .unprocessableContent)
        }
    }

    // MARK: Admission

    func admitForm(input: [String: String], issues: [FieldIssue], status: HTTPResponse.Status) async throws
        -> Response
    {
        try visit.actor.require(PatientService.carers, at: site.id)
        let free = try await visit.services.beds.list(
            siteId: site.id, zoneId: nil, status: .free, page: PageRequest(limit: 500), actor: visit.actor
        ).items
        let model = AdmissionPage(
            base: base, form: FormEcho(input: input, issues: issues),
            sexes: Choices.cases(Sex.self, selected: input["sex"], words: words, prefix: "sex"),
            severities: Choices.cases(
                Severity.self, selected: input["severity"] ?? Severity.mild.rawValue, words: words, prefix: "severity"),
            beds: Choices.of(free, selected: input["bedId"], value: { String($0.id.rawValue) }, label: \.code),
            noBeds: free.isEmpty, partyMember: input["partyMember"] == "on", needsCarer: input["needsCarer"] == "on")
        return try await visit.page("admit", title: words["admit_title"], model: model, site: site, status: status)
    }

    /// Admits from the form; a bed taken meanwhile is said on the bed's field.
    func admit(_ form: Form) async throws -> Response {
        try await visit.attempt(conflictField: "bedId") {
            let admission = try AdmissionForm.admission(form)
            let created = try await visit.services.patients.admit(siteId: site.id, admission, actor: visit.actor)
            return WebConsole.redirect(to: "\(base)/\(created.value.id.rawValue)")
        } orShow: { issues, status in
            try await admitForm(input: form.fields, issues: issues, status: status)
        }
    }
}

/// A form shown again after a refusal: what the person typed, and each field's complaint.
struct FormEcho: Sendable {
    /// The fields as typed, by name.
    var input: [String: String]
    /// Each refused field's reasons, by name.
    var errors: [String: String]
    var hasErrors: Bool
    /// Every reason, for the summary above the form.
    var issues: [String]

    init(input: [String: String], issues: [FieldIssue]) {
        self.input = input
        errors = Dictionary(grouping: issues, by: \.field).mapValues { $0.map(\.detail).joined(separator: "; ") }
        hasErrors = !issues.isEmpty
        self.issues = issues.map { $0.field.isEmpty ? $0.detail : "\($0.field): \($0.detail)" }
    }
}

/// A page of the site's patients, with the search as typed.
struct PatientList: PageModel {
    struct Row: Sendable {
        var id: Int64
        var name: String
        var bed: String
        var sex: String
        var severity: String
        var status: String
        var idEnding: String
    }
    var base: String
    var q: String
    var patients: [Row]
    var empty: Bool
    var eligible: Bool
    var statuses: [Choice]
    var zones: [Choice]
    var canAdmit: Bool
    var readsEligibility: Bool
    /// The next page's address, when there is one.
    var next: String?
}

/// One patient's record.
struct PatientRecordPage: PageModel {
    struct Person: Sendable {
        var id: Int64
        var name: String
        var sex: String
        var severity: String
        var status: String
        var bed: String
        var admitted: String
        var partyMember: Bool
        var version: Int
    }
    /// As the reader's role may see it.
    struct Identity: Sendable {
        var nationalId: String
        var masked: Bool
        var phone: String
        var born: String?
        var age: Int?
        var homeAddress: String?
        var committee: String?
        var household: String?
        var needsCarer: Bool
    }
    struct Stay: Sendable {
        var bed: String
        var from: String
        var until: String
    }
    struct Test: Sendable {
        var sampled: String
        var result: String
        var n: String
        var orf: String
    }
    struct Verdict: Sendable {
        var eligible: Bool
        var reasons: [String]
    }
    struct Plan: Sendable {
        var id: Int64
        var status: String
        var review: String
    }
    struct Dose: Sendable {
        var time: String
        var medication: String
        var code: String
        var units: Int
        var given: Bool
        var notGiven: String?
    }
    struct Referral: Sendable {
        var id: Int64
        var status: String
        var urgency: String
    }
    var base: String
    var site: String
    var notices: [String]
    var hasNotices: Bool
    var patient: Person
    var identity: Identity
    var beds: [Stay]
    var tests: [Test]
    var hasTests: Bool
    /// SVG the console drew.
    var chart: String
    var verdict: Verdict
    var canAddTest: Bool
    /// The code on the patient's wristband, shown (with a link to print it) to the roles that swab.
    var wristband: String
    var hasWristband: Bool
    var testForm: FormEcho
    var results: [Choice]
    // The sections other services own, each only for the roles that read it.
    var plans: [Plan]?
    var readsCare = false
    var doses: [Dose]?
    var referrals: [Referral]?
    var readsReferrals = false
    var canRefer = false
    var canMove = false
    var freeBeds: [Choice]?
    var canDischarge = false
    var dischargeReasons: [Choice]?
}

/// The admission form.
struct AdmissionPage: PageModel {
    var base: String
    var form: FormEcho
    var sexes: [Choice]
    var severities: [Choice]
    var beds: [Choice]
    var noBeds: Bool
    var partyMember: Bool
    var needsCarer: Bool
}
