import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// Green-channel referrals: clinicians log them and add notes, managers watch the clock; the
/// overdue ones come first.
struct ReferralPages: Sendable {
    let visit: Visit
    let site: Site

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        @Sendable func referrals(_ visit: Visit, _ context: Context) async throws -> ReferralPages {
            ReferralPages(visit: visit, site: try await visit.site(context))
        }
        router.get("/console/sites/:site/referrals") { request, context in
            try await pages.signedIn(request) { visit in try await referrals(visit, context).list() }
        }
        router.get("/console/sites/:site/referrals/new") { request, context in
            try await pages.signedIn(request) { visit in
                let patient = request.uri.queryParameters["patient"].map(String.init) ?? ""
                return try await referrals(visit, context).newForm(
                    input: ["patientId": patient, "urgency": Urgency.urgent.rawValue], issues: [], status: .ok)
            }
        }
        router.post("/console/sites/:site/referrals") { request, context in
            try await pages.signedInForm(request) { visit, form in try await referrals(visit, context).create(form) }
        }
        router.get("/console/sites/:site/referrals/:referral") { request, context in
            try await pages.signedIn(request) { visit in
                try await referrals(visit, context).detail(
                    Referral.ID(try PathID.positive(context, "referral")), notices: [], status: .ok)
            }
        }
        router.post("/console/sites/:site/referrals/:referral/notes") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await referrals(visit, context).addNote(Referral.ID(try PathID.positive(context, "referral")), form)
            }
        }
        router.post("/console/sites/:site/referrals/:referral/status") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await referrals(visit, context).move(Referral.ID(try PathID.positive(context, "referral")), form)
            }
        }
    }

    var base: String { "/console/sites/\(SitePages.pathCode(site))/referrals" }
    var words: Catalogue { visit.words }
    var targets: ReferralTargets { visit.services.settings.referralTargets }

    // MARK: List

    func list() async throws -> Response {
        let services = visit.services
        let status = visit.request.uri.queryParameters["status"].flatMap { ReferralStatus(rawValue: String($0)) }
        let page = try await services.referrals.list(
            siteId: site.id, status: status, page: PageRequest(limit: 200), actor: visit.actor)
        let now = Date()
        let overdue = try await services.referrals.overdue(at: now, actor: visit.actor).filter { $0.siteId == site.id }
        let hospitals = Dictionary(
            try await services.hospitals.hospitals(actor: visit.actor).map { ($0.id, $0.name) },
            uniquingKeysWith: { a, _ in a })
        let model = ReferralListPage(
            base: base,
            overdue: overdue.map {
                .init(
                    id: $0.referralId.rawValue, patient: $0.patientName, step: words["step_\($0.step.rawValue)"],
                    urgency: words["urgency_\($0.urgency.rawValue)"], late: Self.duration($0.minutesLate, words))
            },
            hasOverdue: !overdue.isEmpty, referrals: page.items.map { row(for: $0, hospitals: hospitals, now: now) },
            empty: page.items.isEmpty,
            statuses: Choices.cases(ReferralStatus.self, selected: status?.rawValue, words: words, prefix: "referral"),
            canCreate: visit.actor.holds(any: ReferralService.requesters, at: site.id))
        return try await visit.page("referrals", title: words["referrals_title"], model: model, site: site)
    }

    func row(for referral: Referral, hospitals: [Hospital.ID: String], now: Date) -> ReferralRow {
        ReferralRow(
            id: referral.id.rawValue, patient: referral.patientName, hospital: hospitals[referral.hospitalId] ?? "—",
            status: words["referral_\(referral.status.rawValue)"],
            urgency: words["urgency_\(referral.urgency.rawValue)"],
            urgent: referral.urgency != .routine, fastLane: referral.fastLane,
            requested: LocalTimeText.dayAndTime(referral.createdAt, site.timeZone),
            next: targets.nextTarget(referral).map { step, due in
                let minutes = Int(due.timeIntervalSince(now) / 60)
                return ReferralRow.Next(
                    step: words["step_\(step.rawValue)"], late: minutes < 0, within: Self.duration(abs(minutes), words),
                    due: LocalTimeText.dayAndTime(due, site.timeZone))
            })
    }

    /// "3 h 20 min", "2 d 4 h": how long, in the words of the page's language.
    static func duration(_ minutes: Int, _ words: Catalogue) -> String {
        let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60)
        if days > 0 { return "\(days) \(words["unit_days"]) \(hours) \(words["unit_hours"])" }
        if hours > 0 { return "\(hours) \(words["unit_hours"]) \(mins) \(words["unit_minutes"])" }
        return "\(mins) \(words["unit_minutes"])"
    }

    // MARK: New referral

    func newForm(input: [String: String], issues: [FieldIssue], status: HTTPResponse.Status) async throws -> Response {
        try visit.actor.require(ReferralService.requesters, at: site.id)
        let services = visit.services
        let patients = try await services.patients.list(
            siteId: site.id, status: .admitted, page: PageRequest(limit: 500), actor: visit.actor
        ).items
        let hospitals = try await services.hospitals.hospitals(actor: visit.actor)
        let chosen = Set((input["services"] ?? "").split(separator: ",").map(String.init))
        let model = NewReferralPage(
            base: base, form: FormEcho(input: input, issues: issues),
            patients: Choices.of(
                patients, selected: input["patientId"], value: { String($0.id.rawValue) },
                label: { "\($0.name) · \($0.bedCode ?? "—")" }),
            departments: hospitals.flatMap { hospital in
                [Choice(value: "\(hospital.id.rawValue):", label: hospital.name, selected: false)]
                    + hospital.departments.map {
                        Choice(
                            value: "\(hospital.id.rawValue):\($0.id.rawValue)", label: "\(hospital.name) · \($0.name)",
                            selected: input["destination"] == "\(hospital.id.rawValue):\($0.id.rawValue)")
                    }
            },
            services: ReferralServiceKind.allCases.map {
                .init(value: $0.rawValue, label: words["service_\($0.rawValue)"], checked: chosen.contains($0.rawValue))
            },
            urgencies: Choices.cases(Urgency.self, selected: input["urgency"], words: words, prefix: "urgency"),
            fastLane: input["fastLane"] == "on")
        return try await visit.page(
            "referral-new", title: words["referral_new_title"], model: model, site: site, status: status)
    }

    func create(_ form: Form) async throws -> Response {
        try await visit.attempt {
            let draft = try ReferralForm.draft(form)
            let created = try await visit.services.referrals.create(siteId: site.id, draft, actor: visit.actor)
            return WebConsole.redirect(to: "\(base)/\(created.value.id.rawValue)")
        } orShow: { issues, status in
            try await newForm(input: ReferralForm.echo(form), issues: issues, status: status)
        }
    }

    // MARK: One referral

    func detail(_ id: Referral.ID, notices: [String], status: HTTPResponse.Status) async throws -> Response {
        let services = visit.services
        let referral = try await services.referrals.referral(id: id, siteId: site.id, actor: visit.actor)
        let hospital = try await services.hospitals.hospitals(actor: visit.actor).first { $0.id == referral.hospitalId }
        let canWrite = visit.actor.holds(any: ReferralService.requesters, at: site.id)
        let moves = referral.status.allowedNext.filter { $0.movedBy != .hospital }
        let model = ReferralPage(
            row: row(for: referral, hospitals: hospital.map { [$0.id: $0.name] } ?? [:], now: Date()), base: base,
            department: hospital?.departments.first { $0.id == referral.departmentId }?.name ?? "—",
            reason: referral.reason, summary: referral.clinicalSummary,
            services: referral.services.map { words["service_\($0.rawValue)"] }.joined(separator: ", "),
            committee: referral.committeeContact, requestedBy: words.word("actor", referral.requestedBy),
            patientId: referral.patientId.rawValue, version: referral.version,
            appointment: referral.appointmentAt.map { LocalTimeText.dayAndTime($0, site.timeZone) },
            events: referral.events.reversed().map {
                .init(
                    at: LocalTimeText.dayAndTime($0.at, site.timeZone), who: words.word("actor", $0.actorName),
                    note: $0.note,
                    to: $0.toStatus.map { words["referral_\($0.rawValue)"] })
            },
            canWrite: canWrite && referral.status.isOpen,
            moves: moves.map { Choice(value: $0.rawValue, label: words["referral_\($0.rawValue)"], selected: false) },
            hasMoves: !moves.isEmpty, notices: notices, hasNotices: !notices.isEmpty)
        return try await visit.page(
            "referral", title: "\(words["referral_title"]) #\(id.rawValue)", named: referral.patientName, model: model,
            site: site, status: status)
    }

    func addNote(_ id: Referral.ID, _ form: Form) async throws -> Response {
        try await visit.attempt {
            _ = try await visit.services.referrals.addNote(
                id: id, siteId: site.id, note: form.text("note") ?? "", actor: visit.actor)
            return WebConsole.redirect(to: "\(base)/\(id.rawValue)")
        } orShow: { issues, status in
            try await detail(id, notices: issues.map(\.detail), status: status)
        }
    }

    /// A step the site takes (transport arranged, in transit, cancelled, failed), at the version read.
    func move(_ id: Referral.ID, _ form: Form) async throws -> Response {
        try await visit.attempt {
            guard let to = form.text("to").flatMap(ReferralStatus.init) else {
                throw DomainError.invalid("to", "choose the referral's next step")
            }
            _ = try await visit.services.referrals.transition(
                id: id, siteId: site.id, ReferralTransition(to: to, note: form.text("note") ?? ""),
                expectedVersion: form.text("version").flatMap(Int.init), actor: visit.actor)
            return WebConsole.redirect(to: "\(base)/\(id.rawValue)")
        } orShow: { issues, status in
            try await detail(id, notices: issues.map(\.detail), status: status)
        }
    }
}

/// A referral as the list shows it, with the next step's target.
struct ReferralRow: Sendable {
    struct Next: Sendable {
        var step: String
        var late: Bool
        /// How long until the target, or since it passed.
        var within: String
        var due: String
    }
    var id: Int64
    var patient: String
    var hospital: String
    var status: String
    var urgency: String
    var urgent: Bool
    var fastLane: Bool
    var requested: String
    var next: Next?
}

/// The site's referrals, the overdue ones first.
struct ReferralListPage: PageModel {
    struct Overdue: Sendable {
        var id: Int64
        var patient: String
        var step: String
        var urgency: String
        var late: String
    }
    var base: String
    var overdue: [Overdue]
    var hasOverdue: Bool
    var referrals: [ReferralRow]
    var empty: Bool
    var statuses: [Choice]
    var canCreate: Bool
}

/// A clinician's form for a new referral.
struct NewReferralPage: PageModel {
    struct Service: Sendable {
        var value: String
        var label: String
        var checked: Bool
    }
    var base: String
    var form: FormEcho
    var patients: [Choice]
    /// Each hospital, then each of its departments.
    var departments: [Choice]
    var services: [Service]
    var urgencies: [Choice]
    var fastLane: Bool
}

/// One referral: its fields, its timeline and the steps the site takes.
struct ReferralPage: PageModel {
    struct Event: Sendable {
        var at: String
        var who: String
        var note: String
        var to: String?
    }
    // The row's fields, which the page shows at its top.
    var id: Int64
    var patient: String
    var hospital: String
    var status: String
    var urgency: String
    var urgent: Bool
    var fastLane: Bool
    var requested: String
    var next: ReferralRow.Next?
    var base: String
    var department: String
    var reason: String
    var summary: String
    var services: String
    var committee: String
    var requestedBy: String
    var patientId: Int64
    var version: Int
    var appointment: String?
    var events: [Event]
    var canWrite: Bool
    var moves: [Choice]
    var hasMoves: Bool
    var notices: [String]
    var hasNotices: Bool

    init(
        row: ReferralRow, base: String, department: String, reason: String, summary: String, services: String,
        committee: String, requestedBy: String, patientId: Int64, version: Int, appointment: String?, events: [Event],
        canWrite: Bool, moves: [Choice], hasMoves: Bool, notices: [String], hasNotices: Bool
    ) {
        (id, patient, hospital, status, urgency) = (row.id, row.patient, row.hospital, row.status, row.urgency)
        (urgent, fastLane, requested, next) = (row.urgent, row.fastLane, row.requested, row.next)
        self.base = base
        self.department = department
        self.reason = reason
        self.summary = summary
        self.services = services
        self.committee = committee
        self.requestedBy = requestedBy
        self.patientId = patientId
        self.version = version
        self.appointment = appointment
        self.events = events
        self.canWrite = canWrite
        self.moves = moves
        self.hasMoves = hasMoves
        self.notices = notices
        self.hasNotices = hasNotices
    }
}
