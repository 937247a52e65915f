import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// The release list of a site: who is ready to go (released by the batch, each name shown), who
/// waits for a clinician's sign-off (signed as a ward's list), and who is held back and why.
struct ReleasePages: Sendable {
    let visit: Visit
    let site: Site

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        router.get("/console/sites/:site/release") { request, context in
            try await pages.signedIn(request) { visit in
                let zone = ReleasePages.zoneId(request.uri.queryParameters["zone"].map(String.init))
                return try await ReleasePages(visit: visit, site: try await visit.site(context)).list(zone: zone)
            }
        }
        router.post("/console/sites/:site/release/sign-off") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await ReleasePages(visit: visit, site: try await visit.site(context)).signOff(form)
            }
        }
        router.post("/console/sites/:site/release/run") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await ReleasePages(visit: visit, site: try await visit.site(context)).release(form)
            }
        }
        router.post("/console/sites/:site/release/buses") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await ReleasePages(visit: visit, site: try await visit.site(context)).planBuses(form)
            }
        }
        router.post("/console/sites/:site/release/buses/:bus/departure") { request, context in
            try await pages.signedInForm(request) { visit, form in
                let page = ReleasePages(visit: visit, site: try await visit.site(context))
                return try await page.depart(bus: ReleaseBus.ID(try PathID.positive(context, "bus")))
            }
        }
        router.get("/console/sites/:site/release/buses/:bus/manifest.pdf") { request, context in
            try await pages.signedIn(request) { visit in
                let site = try await visit.site(context)
                let bus = ReleaseBus.ID(try PathID.positive(context, "bus"))
                let pdf = try await visit.services.buses.manifestPDF(siteId: site.id, busId: bus, actor: visit.actor)
                return WebConsole.file(pdf, type: "application/pdf", named: "bus-\(bus)-manifest.pdf")
            }
        }
        router.get("/console/sites/:site/release/buses/:bus/manifest.csv") { request, context in
            try await pages.signedIn(request) { visit in
                let site = try await visit.site(context)
                let bus = ReleaseBus.ID(try PathID.positive(context, "bus"))
                let csv = try await visit.services.buses.manifestCSV(siteId: site.id, busId: bus, actor: visit.actor)
                return WebConsole.file(
                    Data(csv.utf8), type: "text/csv; charset=utf-8", named: "bus-\(bus)-manifest.csv")
            }
        }
        router.post("/console/sites/:site/release/certificates") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await ReleasePages(visit: visit, site: try await visit.site(context)).printCertificates(form)
            }
        }
        router.get("/console/sites/:site/patients/:patient/release-certificate.pdf") { request, context in
            try await pages.signedIn(request) { visit in
                let page = ReleasePages(visit: visit, site: try await visit.site(context))
                return try await page.certificate(patient: Patient.ID(try PathID.positive(context, "patient")))
            }
        }
        router.post("/console/sites/:site/release/certificates/:patient/revoke") { request, context in
            try await pages.signedInForm(request) { visit, form in
                let page = ReleasePages(visit: visit, site: try await visit.site(context))
                return try await page.revoke(patient: Patient.ID(try PathID.positive(context, "patient")), form)
            }
        }
    }

    var base: String { "/console/sites/\(SitePages.pathCode(site))/release" }
    var words: Catalogue { visit.words }

    /// The list, in three parts; `notices` say what was just done or refused.
    func list(
        zone: Zone.ID?, notices: [String] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let releases = visit.services.releases
        let (criteria, candidates) = try await releases.list(siteId: site.id, zoneId: zone, actor: visit.actor)
        let zones = try await visit.services.sites.zones(siteId: site.id, actor: visit.actor)
        let patients = "/console/sites/\(SitePages.pathCode(site))/patients"
        func row(_ c: ReleaseCandidate) -> ReleasePage.Row {
            let reasons = c.reasons(criteria).map { words.explainMarked($0, in: site.timeZone) }
            return ReleasePage.Row(
                id: c.patientId.rawValue, name: c.name, path: "\(patients)/\(c.patientId)",
                place: [c.zoneName, c.bedCode].compactMap { $0 }.joined(separator: " · "),
                signedOff: c.signOff.map {
                    HTML.escape(words["release_signed_by"]).replacingOccurrences(
                        of: "{name}", with: HTML.data($0.signedBy)
                    )
                    .replacingOccurrences(
                        of: "{time}", with: HTML.escape(LocalTimeText.dayAndTime($0.signedAt, site.timeZone)))
                } ?? "", reasons: reasons.joined(separator: HTML.escape(words["list_separator_long"])))
        }
        let recent = try await visit.services.certificates.recent(siteId: site.id, actor: visit.actor)
        let buses = try await visit.services.buses.list(siteId: site.id, actor: visit.actor)
        let told = try await visit.services.committeeNotices.notices(siteId: site.id, actor: visit.actor)
        let ready = candidates.filter { $0.isReady(criteria) }
        let waiting = candidates.filter { $0.awaitsSignOff(criteria) }
        let held = candidates.filter {
            !$0.isReady(criteria) && !$0.awaitsSignOff(criteria)
        }
        let model = ReleasePage(
            notices: notices, hasNotices: !notices.isEmpty, criteria: criteriaText(criteria),
            zones: zones.map {
                Choice(value: String($0.id), label: "\($0.name) (\($0.code))", selected: $0.id == zone)
            },
            zone: zone.map { String($0) } ?? "",
            ready: ready.map(row), readyCount: ready.count, hasReady: !ready.isEmpty,
            waiting: waiting.map(row), waitingCount: waiting.count, hasWaiting: !waiting.isEmpty,
            held: held.map(row), heldCount: held.count, hasHeld: !held.isEmpty,
            canRelease: visit.actor.holds(any: ReleaseService.carers, at: site.id),
            canSign: visit.actor.holds(any: ReleaseService.signers, at: site.id),
            symptomsRequired: criteria.symptomsImproved,
            releaseConfirm: words["release_run_confirm"].replacingOccurrences(of: "{count}", with: String(ready.count)),
            signConfirm: words["release_sign_confirm"].replacingOccurrences(of: "{count}", with: String(waiting.count)),
            signPath: "\(base)/sign-off", runPath: "\(base)/run",
            released: recent.map { certificateRow($0, patients: patients) }, releasedCount: recent.count,
            hasReleased: !recent.isEmpty, certificatesPath: "\(base)/certificates",
            buses: buses.map(busRow), busCount: buses.count, hasBuses: !buses.isEmpty, busPlanPath: "\(base)/buses",
            defaultDeparture: LocalTimeText.formField(Date().addingTimeInterval(3600), site.timeZone),
            committeeNotices: told.map(noticeRow), hasCommitteeNotices: !told.isEmpty)
        return try await visit.page("release", title: words["release_title"], model: model, site: site, status: status)
    }

    /// The site's criteria in a sentence.
    private func criteriaText(_ criteria: ReleaseCriteria) -> String {
        var parts = [words["release_criteria_tests"]]
        if let hours = criteria.noFeverHours {
            parts.append(
                words["release_criteria_fever"].replacingOccurrences(of: "{hours}", with: String(hours))
                    .replacingOccurrences(of: "{celsius}", with: String(format: "%.1f", criteria.feverCelsius)))
        }
        if criteria.symptomsImproved { parts.append(words["release_criteria_symptoms"]) }
        if criteria.news2Stable { parts.append(words["release_criteria_news2"]) }
        parts.append(words["release_criteria_sign_off"])
        return parts.joined(separator: words["list_separator_long"])
    }

    /// The patients ticked on the form (`p-ID` checkboxes), in page order.
    func ticked(_ form: Form) -> [Patient.ID] {
        form.fields.keys.compactMap { key in
            guard key.hasPrefix("p-"), form[key] != nil, let id = Int64(key.dropFirst(2)), id > 0 else { return nil }
            return Patient.ID(rawValue: id)
        }.sorted()
    }

    private func zone(_ form: Form) -> Zone.ID? { Self.zoneId(form.text("zone")) }

    /// The zone a filter names, if a valid one; anything else shows every zone.
    static func zoneId(_ text: String?) -> Zone.ID? {
        guard let id = text.flatMap({ Int64($0) }), id > 0 else { return nil }
        return Zone.ID(rawValue: id)
    }

    /// Signs the ticked patients off, all or none.
    func signOff(_ form: Form) async throws -> Response {
        try await visit.attempt {
            let ids = ticked(form)
            guard !ids.isEmpty else { throw DomainError.invalid("patientIds", words["release_tick_someone"]) }
            let signed = try await visit.services.releases.signOff(
                siteId: site.id, patientIds: ids, symptomsImproved: form["symptoms"] != nil, note: form.text("note"),
                actor: visit.actor)
            return try await list(
                zone: zone(form),
                notices: [
                    words["release_signed_notice"].replacingOccurrences(of: "{count}", with: String(signed.count))
                        + " " + signed.map(\.name).joined(separator: words["list_separator"])
                ])
        } orShow: { issues, status in
            try await list(zone: zone(form), notices: issues.map(\.detail), status: status)
        }
    }

    /// Releases the ticked patients; whoever is not ready stays, with the reason.
    func release(_ form: Form) async throws -> Response {
        try await visit.attempt {
            let ids = ticked(form)
            guard !ids.isEmpty else { throw DomainError.invalid("patientIds", words["release_tick_someone"]) }
            let batch = try await visit.services.releases.release(siteId: site.id, patientIds: ids, actor: visit.actor)
            var notices = [
                words["release_released_notice"].replacingOccurrences(of: "{count}", with: String(batch.released))
            ]
            for (id, outcome) in batch.outcomes {
                switch outcome {
                case .released: continue
                case .alreadyReleased(let at):
                    notices.append(
                        words["release_already_notice"].replacingOccurrences(of: "{id}", with: String(id))
                            .replacingOccurrences(of: "{time}", with: LocalTimeText.dayAndTime(at, site.timeZone)))
                case .leftOut(let reasons):
                    notices.append(
                        words["release_left_out_notice"].replacingOccurrences(of: "{id}", with: String(id))
                            + reasons.map { words.explain($0, in: site.timeZone) }.joined(
                                separator: words["list_separator_long"]))
                }
            }
            return try await list(zone: zone(form), notices: notices)
        } orShow: { issues, status in
            try await list(zone: zone(form), notices: issues.map(\.detail), status: status)
        }
    }
}

/// The release list page.
struct ReleasePage: PageModel {
    struct Row: Sendable {
        var id: Int64
        var name: String
        var path: String
        /// Zone and bed.
        var place: String
        /// Who signed off and when, as HTML (the name marked as data).
        var signedOff: String
        /// What stands in the way, in the visitor's language, as HTML (names marked).
        var reasons: String
    }
    var notices: [String]
    var hasNotices: Bool
    var criteria: String
    var zones: [Choice]
    var zone: String
    var ready: [Row]
    var readyCount: Int
    var hasReady: Bool
    var waiting: [Row]
    var waitingCount: Int
    var hasWaiting: Bool
    var held: [Row]
    var heldCount: Int
    var hasHeld: Bool
    var canRelease: Bool
    var canSign: Bool
    var symptomsRequired: Bool
    var releaseConfirm: String
    var signConfirm: String
    var signPath: String
    var runPath: String
    /// Released in the last 24 hours, with their certificates.
    struct Released: Sendable {
        var id: Int64
        var name: String
        var path: String
        var number: String
        var pdfPath: String
        var holderURL: String
        /// Valid, or revoked when, by whom and why, as HTML (names and reason marked as data).
        var status: String
        var revoked: Bool
        var revokePath: String
    }
    var released: [Released]
    var releasedCount: Int
    var hasReleased: Bool
    var certificatesPath: String
    /// A bus home, with its manifest's links.
    struct Bus: Sendable {
        var destination: String
        var departs: String
        var people: Int
        var committees: String
        var pdfPath: String
        var csvPath: String
        var departed: String?
        var canDepart: Bool
        var departPath: String
    }
    var buses: [Bus]
    var busCount: Int
    var hasBuses: Bool
    var busPlanPath: String
    var defaultDeparture: String
    /// A committee told of a bus, and whether it answered.
    struct Notice: Sendable {
        var committee: String
        var bus: String
        var sent: String
        var status: String
        var overdue: Bool
        var link: String
    }
    var committeeNotices: [Notice]
    var hasCommitteeNotices: Bool
}
