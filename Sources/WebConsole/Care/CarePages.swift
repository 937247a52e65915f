import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// Care at the bedside: the day's doses by zone (given, or not given and why), the worklist,
/// and a care plan's orders and observations with a form to record one.
struct CarePages: Sendable {
    let visit: Visit
    let site: Site

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        @Sendable func care(_ visit: Visit, _ context: Context) async throws -> CarePages {
            CarePages(visit: visit, site: try await visit.site(context))
        }
        router.get("/console/sites/:site/doses") { request, context in
            try await pages.signedIn(request) { visit in try await care(visit, context).doses(notices: [], status: .ok)
            }
        }
        router.post("/console/sites/:site/doses/given") { request, context in
            try await pages.signedInForm(request) { visit, form in try await care(visit, context).give(form) }
        }
        router.post("/console/sites/:site/doses/not-given") { request, context in
            try await pages.signedInForm(request) { visit, form in try await care(visit, context).notGiven(form) }
        }
        router.get("/console/sites/:site/worklist") { request, context in
            try await pages.signedIn(request) { visit in try await care(visit, context).worklist() }
        }
        router.get("/console/sites/:site/care-plans/:plan") { request, context in
            try await pages.signedIn(request) { visit in
                try await care(visit, context).plan(
                    CarePlan.ID(try PathID.positive(context, "plan")), input: [:], issues: [], status: .ok)
            }
        }
        router.post("/console/sites/:site/care-plans/:plan/observations") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await care(visit, context).observe(CarePlan.ID(try PathID.positive(context, "plan")), form)
            }
        }
    }

    var base: String { "/console/sites/\(SitePages.pathCode(site))" }
    var words: Catalogue { visit.words }

    // MARK: Doses

    /// The day's doses by zone; a dispenser gives one from a shelf, a clinician records one not given.
    func doses(notices: [String], status: HTTPResponse.Status, day chosen: CalendarDate? = nil) async throws
        -> Response
    {
        let services = visit.services
        let query = visit.request.uri.queryParameters
        let day = chosen ?? PageDay.chosen(query["date"], site: site)
        let doses = try await services.care.doseList(siteId: site.id, date: day, actor: visit.actor)
        let zones = try await services.sites.zones(siteId: site.id, actor: visit.actor)
        let canGive = visit.actor.holds(any: StockService.dispensers, at: site.id)
        let locations = canGive ? try await services.stock.locations(siteId: site.id, actor: visit.actor) : []
        // Usable units of each medicine on each shelf: a dose is offered first from a shelf that holds it.
        let names = try await MedicineNames.read(visit)
        var onShelf: [String: Int] = [:]
        if canGive {
            let today = CalendarDate(Date(), in: site.timeZone)
            let codes = Dictionary(names.byCode.values.map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
            for lot in try await services.stock.onHand(siteId: site.id, actor: visit.actor)
            where lot.quantity > 0 && !lot.isExpired(on: today) {
                onShelf["\(lot.locationId.rawValue) \(codes[lot.medicationId] ?? "")", default: 0] += lot.quantity
            }
        }
        let isToday = day == CalendarDate(Date(), in: site.timeZone)
        let groups: [DoseListPage.Group] = (zones.map { Optional($0) } + [nil]).compactMap { zone in
            let here = doses.filter { $0.zoneId == zone?.id }
            guard !here.isEmpty else { return nil }
            // A shelf that holds the medicine first, the zone's own cabinet first among those: that
            // is where a nurse on the ward takes the dose from. Each shelf says how many it holds.
            func shelves(_ medication: String) -> [Choice] {
                func held(_ location: StockLocation) -> Int { onShelf["\(location.id.rawValue) \(medication)"] ?? 0 }
                let ordered = locations.sorted {
                    (held($0) > 0 ? 0 : 1, $0.zoneId == zone?.id ? 0 : 1, $0.code)
                        < (held($1) > 0 ? 0 : 1, $1.zoneId == zone?.id ? 0 : 1, $1.code)
                }
                return ordered.enumerated().map { index, location in
                    Choice(
                        value: String(location.id.rawValue),
                        label: "\(location.name) · \(location.code) · \(words["doses_on_shelf"]) \(held(location))",
                        selected: index == 0)
                }
            }
            return DoseListPage.Group(
                zone: zone.map { "\($0.code) · \($0.name)" } ?? words["doses_no_zone"],
                doses: here.map { dose in
                    DoseListPage.Dose(
                        activityId: dose.activityId.rawValue, time: dose.time, bed: dose.bedCode ?? "—",
                        patient: dose.patientName, patientId: dose.patientId.rawValue,
                        medication: names.name(dose.medicationCode), code: dose.medicationCode,
                        units: dose.doseUnits, unit: names.byCode[dose.medicationCode].map { words.unit($0) } ?? "",
                        route: words.word("route", dose.route), given: dose.given,
                        open: !dose.given && dose.notGivenReason == nil && isToday,
                        key: "\(dose.activityId.rawValue)-\(dose.time.replacingOccurrences(of: ":", with: ""))",
                        shelves: shelves(dose.medicationCode), notGiven: dose.notGivenReason)
                })
        }
        let model = DoseListPage(
            base: base, date: day.description, groups: groups, empty: groups.isEmpty, canGive: canGive,
            canRecord: visit.actor.holds(any: CareService.authors, at: site.id), notices: notices,
            hasNotices: !notices.isEmpty, previous: day.adding(days: -1).description,
            next: day.adding(days: 1).description)
        return try await visit.page(
            "doses", title: "\(words["doses_title"]) \(day)", model: model, site: site, status: status)
    }

    func give(_ form: Form) async throws -> Response {
        try await visit.attempt {
            guard let activity = form.text("activityId").flatMap(Int64.init),
                let location = form.text("locationId").flatMap(Int64.init)
            else { throw DomainError.invalid("locationId", "choose the shelf the dose is taken from") }
            _ = try await visit.services.care.dispenseDose(
                siteId: site.id, activityId: CareActivity.ID(activity), locationId: StockLocation.ID(location),
                actor: visit.actor)
            return WebConsole.redirect(to: "\(base)/doses")
        } orShow: { issues, status in
            try await doses(notices: issues.map { words.say($0) }, status: status)
        }
    }

    func notGiven(_ form: Form) async throws -> Response {
        try await visit.attempt {
            guard let activity = form.text("activityId").flatMap(Int64.init),
                let day = form.text("date").flatMap(CalendarDate.init)
            else { throw DomainError.invalid("activityId", "the dose is not named") }
            _ = try await visit.services.care.recordNotGiven(
                siteId: site.id,
                DoseOmission(
                    activityId: CareActivity.ID(activity), date: day, time: form.text("time") ?? "",
                    reason: form.text("reason") ?? ""), actor: visit.actor)
            return WebConsole.redirect(to: "\(base)/doses?date=\(day)")
        } orShow: { issues, status in
            try await doses(notices: issues.map { "\(words["doses_reason"]): \($0.detail)" }, status: status)
        }
    }

    // MARK: Worklist

    func worklist() async throws -> Response {
        let list = try await visit.services.care.worklist(siteId: site.id, actor: visit.actor)
        let tz = site.timeZone
        let names = try await MedicineNames.read(visit)
        let model = WorklistPage(
            base: base, date: list.date.description,
            doses: list.dosesDue.filter { !$0.given && $0.notGivenReason == nil }.map {
                .init(
                    time: $0.time, bed: $0.bedCode ?? "—", patient: $0.patientName,
                    medication: names.name($0.medicationCode), code: $0.medicationCode)
            },
            overdue: list.overdueObservations.map { late in
                let measure = Explanation.Value.word(
                    key: "reading_\(late.measure.rawValue)", fallback: late.measure.rawValue)
                let detail =
                    late.lastObservedAt.map {
                        Explanation(
                            "worklist.last_measured",
                            ["measure": measure, "time": .text(LocalTimeText.dayAndTime($0, tz))])
                    } ?? Explanation("worklist.never_measured")
                return .init(
                    patient: late.patientName, patientId: late.patientId.rawValue, bed: late.bedCode ?? "—",
                    detail: words.explainMarked(detail))
            },
            reviews: list.plansDueForReview.map {
                .init(plan: $0.planId.rawValue, patient: $0.patientName, on: $0.reviewOn.description)
            },
            flagged: list.flaggedObservations.map {
                .init(
                    patient: $0.patientName, patientId: $0.patientId.rawValue,
                    flag: $0.explanation.map { words.explainMarked($0, in: tz) } ?? HTML.escape($0.flag),
                    at: LocalTimeText.dayAndTime($0.observedAt, tz))
            },
            alerts: StockAlertLine.lines(list.stockAlerts, words: words, site: site))
        return try await visit.page(
            "worklist", title: "\(words["worklist_title"]) \(list.date)", model: model, site: site)
    }

    // MARK: A care plan

    func plan(_ id: CarePlan.ID, input: [String: String], issues: [FieldIssue], status: HTTPResponse.Status)
        async throws -> Response
    {
        let services = visit.services
        let plan = try await services.care.plan(siteId: site.id, planId: id, actor: visit.actor)
        let patient = try await services.patients.get(siteId: site.id, patientId: plan.patientId, actor: visit.actor)
        let observations = try await services.care.observations(siteId: site.id, planId: id, actor: visit.actor)
        let medications = Dictionary(
            try await services.stock.medications(actor: visit.actor).map { ($0.id, $0.code) },
            uniquingKeysWith: { a, _ in a })
        let tz = site.timeZone
        let model = CarePlanPage(
            base: base, planId: id.rawValue, patient: patient.name, patientId: patient.id.rawValue,
            status: words["plan_\(plan.status.rawValue)"], goals: plan.goals, reviewOn: plan.reviewOn.description,
            author: words.word("actor", plan.authorName),
            activities: plan.activities.map { activity in
                var detail = activity.description
                if let medication = activity.medicationId, let units = activity.doseUnits {
                    detail =
                        "\(medications[medication] ?? "?") × \(units) \(activity.route.map { words.word("route", $0) } ?? "")"
                } else if let measure = activity.measure {
                    detail = words["measure_\(measure.rawValue)"]
                }
                return .init(
                    kind: words["activity_\(activity.kind.rawValue)"], detail: detail,
                    times: activity.timesOfDay.joined(separator: " "), from: activity.startsOn.description,
                    until: activity.endsOn?.description ?? "")
            },
            observations: observations.reversed().map { o in
                var reading = o.value.map { String($0) } ?? ""
                if let s = o.systolic, let d = o.diastolic { reading = "\(s)/\(d)" }
                if let instrument = o.instrument, let score = o.score { reading = "\(instrument.rawValue) \(score)" }
                return .init(
                    at: LocalTimeText.dayAndTime(o.observedAt, tz), measure: words["measure_\(o.measure)"],
                    reading: reading, by: words.word("actor", o.recordedBy), note: o.note ?? "",
                    flag: ObservationEntry(
                        measure: Measure(rawValue: o.measure), observedAt: o.observedAt, systolic: o.systolic,
                        diastolic: o.diastolic, value: o.value, instrument: o.instrument, score: o.score
                    ).flagExplanation.map { words.explain($0, in: tz) } ?? o.flag)
            },
            canRecord: visit.actor.holds(any: CareService.authors, at: site.id) && plan.status == .active,
            form: FormEcho(input: input, issues: issues),
            measures: Choices.cases(Measure.self, selected: input["measure"], words: words, prefix: "measure"),
            now: input["observedAt"] ?? LocalTimeText.formField(Date(), tz))
        return try await visit.page(
            "care-plan", title: words["plan_title"], named: patient.name, model: model, site: site, status: status)
    }

    func observe(_ id: CarePlan.ID, _ form: Form) async throws -> Response {
        try await visit.attempt {
            let entry = try ObservationForm.entry(form, timeZone: site.timeZone)
            _ = try await visit.services.care.recordObservation(siteId: site.id, planId: id, entry, actor: visit.actor)
            return WebConsole.redirect(to: "\(base)/care-plans/\(id.rawValue)")
        } orShow: { issues, status in
            try await plan(id, input: form.fields, issues: issues, status: status)
        }
    }
}

/// A day's doses by zone, each given, not given and why, or still open.
struct DoseListPage: PageModel {
    struct Group: Sendable {
        var zone: String
        var doses: [Dose]
    }
    struct Dose: Sendable {
        var activityId: Int64
        var time: String
        var bed: String
        var patient: String
        var patientId: Int64
        var medication: String
        var code: String
        var units: Int
        /// The unit of issue in the reader's language.
        var unit: String
        var route: String
        var given: Bool
        var open: Bool
        /// The dose's form fields' unique suffix.
        var key: String
        /// The shelves a dose may be taken from, the zone's cabinet first.
        var shelves: [Choice]
        var notGiven: String?
    }
    var base: String
    var date: String
    var groups: [Group]
    var empty: Bool
    var canGive: Bool
    var canRecord: Bool
    var notices: [String]
    var hasNotices: Bool
    var previous: String
    var next: String
}

/// The day's work of a site.
struct WorklistPage: PageModel {
    struct Dose: Sendable {
        var time: String
        var bed: String
        var patient: String
        var medication: String
        var code: String
    }
    struct Overdue: Sendable {
        var patient: String
        var patientId: Int64
        var bed: String
        /// HTML: the catalogue's sentence, the time in the site's zone.
        var detail: String
    }
    struct Review: Sendable {
        var plan: Int64
        var patient: String
        var on: String
    }
    struct Flagged: Sendable {
        var patient: String
        var patientId: Int64
        /// HTML: the catalogue's sentence.
        var flag: String
        var at: String
    }
    var base: String
    var date: String
    var doses: [Dose]
    var overdue: [Overdue]
    var reviews: [Review]
    var flagged: [Flagged]
    var alerts: [StockAlertLine]
}

/// A care plan: its orders, the observations recorded against it, and the form for one more.
struct CarePlanPage: PageModel {
    struct Activity: Sendable {
        var kind: String
        var detail: String
        var times: String
        var from: String
        var until: String
    }
    struct Observation: Sendable {
        var at: String
        var measure: String
        var reading: String
        var by: String
        var note: String
        var flag: String?
    }
    var base: String
    var planId: Int64
    var patient: String
    var patientId: Int64
    var status: String
    var goals: String
    var reviewOn: String
    var author: String
    var activities: [Activity]
    var observations: [Observation]
    var canRecord: Bool
    var form: FormEcho
    var measures: [Choice]
    /// The reading's time field, as the site's clock shows now (or as typed).
    var now: String
}
