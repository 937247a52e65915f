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
        let values: [String: Any] = [
            "base": base,
            "overdue": overdue.map {
                [
                    "id": $0.referralId.rawValue, "patient": $0.patientName, "step": words["step_\($0.step.rawValue)"],
                    "urgency": words["urgency_\($0.urgency.rawValue)"], "late": Self.duration($0.minutesLate, words),
                ]
            },
            "hasOverdue": !overdue.isEmpty,
            "referrals": page.items.map { row(for: $0, hospitals: hospitals, now: now) },
            "empty": page.items.isEmpty,
            "statuses": Choices.cases(
                ReferralStatus.self, selected: status?.rawValue, words: words, prefix: "referral"),
            "canCreate": visit.actor.holds(any: ReferralService.requesters, at: site.id),
        ]
        return try visit.page("referrals", title: words["referrals_title"], values: values, site: site)
    }

    func row(for referral: Referral, hospitals: [Hospital.ID: String], now: Date) -> [String: Any] {
        var values: [String: Any] = [
            "id": referral.id.rawValue, "patient": referral.patientName,
            "hospital": hospitals[referral.hospitalId] ?? "—",
            "status": words["referral_\(referral.status.rawValue)"],
            "urgency": words["urgency_\(referral.urgency.rawValue)"],
            "urgent": referral.urgency != .routine, "fastLane": referral.fastLane,
            "requested": LocalTimeText.dayAndTime(referral.createdAt, site.timeZone),
        ]
        if let (step, due) = targets.nextTarget(referral) {
            let minutes = Int(due.timeIntervalSince(now) / 60)
            values["next"] = [
                "step": words["step_\(step.rawValue)"], "late": minutes < 0,
                "within": Self.duration(abs(minutes), words),
                "due": LocalTimeText.dayAndTime(due, site.timeZone),
            ]
        }
        return values
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
        let values: [String: Any] = [
            "base": base, "form": FormEcho(input: input, issues: issues).values,
            "patients": Choices.of(
                patients, selected: input["patientId"], value: { String($0.id.rawValue) },
                label: { "\($0.name) · \($0.bedCode ?? "—")" }),
            "departments": hospitals.flatMap { hospital in
                [["value": "\(hospital.id.rawValue):", "label": hospital.name, "selected": false]]
                    + hospital.departments.map {
                        [
                            "value": "\(hospital.id.rawValue):\($0.id.rawValue)",
                            "label": "\(hospital.name) · \($0.name)",
                            "selected": input["destination"] == "\(hospital.id.rawValue):\($0.id.rawValue)",
                        ]
                    }
            },
            "services": ReferralServiceKind.allCases.map {
                [
                    "value": $0.rawValue, "label": words["service_\($0.rawValue)"],
                    "checked": chosen.contains($0.rawValue),
                ]
            },
            "urgencies": Choices.cases(Urgency.self, selected: input["urgency"], words: words, prefix: "urgency"),
            "fastLane": input["fastLane"] == "on",
        ]
        return try visit.page(
            "referral-new", title: words["referral_new_title"], values: values, site: site, status: status)
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
        var values = row(for: referral, hospitals: hospital.map { [$0.id: $0.name] } ?? [:], now: Date())
        values["base"] = base
        values["department"] = hospital?.departments.first { $0.id == referral.departmentId }?.name ?? "—"
        values["reason"] = referral.reason
        values["summary"] = referral.clinicalSummary
        values["services"] = referral.services.map { words["service_\($0.rawValue)"] }.joined(separator: ", ")
        values["committee"] = referral.committeeContact
        values["requestedBy"] = referral.requestedBy
        values["patientId"] = referral.patientId.rawValue
        values["version"] = referral.version
        if let appointment = referral.appointmentAt {
            values["appointment"] = LocalTimeText.dayAndTime(appointment, site.timeZone)
        }
        values["events"] = referral.events.reversed().map { event -> [String: Any] in
            var line: [String: Any] = [
                "at": LocalTimeText.dayAndTime(event.at, site.timeZone), "who": event.actorName, "note": event.note,
            ]
            if let to = event.toStatus { line["to"] = words["referral_\(to.rawValue)"] }
            return line
        }
        values["canWrite"] = canWrite && referral.status.isOpen
        let moves = referral.status.allowedNext.filter { $0.movedBy != .hospital }
        values["moves"] = moves.map { ["value": $0.rawValue, "label": words["referral_\($0.rawValue)"]] }
        values["hasMoves"] = !moves.isEmpty
        values["notices"] = notices
        values["hasNotices"] = !notices.isEmpty
        return try visit.page(
            "referral", title: "\(words["referral_title"]) #\(id.rawValue) · \(referral.patientName)", values: values,
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
