import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// The daily swab round: the day's tubes counted by zone, making the round, a zone's tubes in
/// the order the nurses walk, and the bedside page a USB barcode scanner types into.
struct SwabPages: Sendable {
    let visit: Visit
    let site: Site

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        router.get("/console/sites/:site/swabs") { request, context in
            try await pages.signedIn(request) { visit in
                try await SwabPages(visit: visit, site: try await visit.site(context)).round(
                    zoneCode: request.uri.queryParameters["zone"].map(String.init),
                    cursor: request.uri.queryParameters["cursor"].map(String.init))
            }
        }
        router.post("/console/sites/:site/swabs/round") { request, context in
            try await pages.signedInForm(request) { visit, _ in
                try await SwabPages(visit: visit, site: try await visit.site(context)).makeRound()
            }
        }
        router.get("/console/sites/:site/swabs/labels.pdf") { request, context in
            try await pages.signedIn(request) { visit in
                let query = request.uri.queryParameters
                return try await SwabPages(visit: visit, site: try await visit.site(context)).labels(
                    zoneCode: query["zone"].map(String.init), sheet: query["sheet"].map(String.init),
                    accessions: query.getAll("accession").map { String($0) })
            }
        }
        router.get("/console/sites/:site/patients/:patient/wristband.pdf") { request, context in
            try await pages.signedIn(request) { visit in
                let site = try await visit.site(context)
                let pdf = try await visit.services.swabs.wristband(
                    siteId: site.id, patientId: Patient.ID(rawValue: try PathID.positive(context, "patient")),
                    actor: visit.actor)
                return WebConsole.file(
                    pdf, type: "application/pdf", named: "wristband-\(try PathID.positive(context, "patient")).pdf")
            }
        }
        router.post("/console/sites/:site/swabs/send") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await SwabPages(visit: visit, site: try await visit.site(context)).send(form)
            }
        }
        for format in ["pdf", "csv"] {
            router.get("/console/sites/:site/swabs/boxes/:box/manifest.\(format)") { request, context in
                try await pages.signedIn(request) { visit in
                    let site = try await visit.site(context)
                    let box = SpecimenBox.ID(rawValue: try PathID.positive(context, "box"))
                    let swabs = visit.services.swabs
                    if format == "csv" {
                        let csv = try await swabs.manifestCSV(siteId: site.id, boxId: box, actor: visit.actor)
                        return WebConsole.file(Data(csv.utf8), type: "text/csv; charset=utf-8", named: "box-\(box).csv")
                    }
                    let pdf = try await swabs.manifestPDF(siteId: site.id, boxId: box, actor: visit.actor)
                    return WebConsole.file(pdf, type: "application/pdf", named: "box-\(box).pdf")
                }
            }
        }
        router.get("/console/sites/:site/intake/:batch/wristbands.pdf") { request, context in
            try await pages.signedIn(request) { visit in
                let site = try await visit.site(context)
                let batch = IntakeBatch.ID(rawValue: try PathID.positive(context, "batch"))
                let pdf = try await visit.services.swabs.wristbands(siteId: site.id, batchId: batch, actor: visit.actor)
                return WebConsole.file(pdf, type: "application/pdf", named: "wristbands-\(batch).pdf")
            }
        }
        router.get("/console/sites/:site/swabs/collect") { request, context in
            try await pages.signedIn(request) { visit in
                try await SwabPages(visit: visit, site: try await visit.site(context)).collectPage()
            }
        }
        router.post("/console/sites/:site/swabs/collect") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await SwabPages(visit: visit, site: try await visit.site(context)).collect(form)
            }
        }
    }

    var base: String { "/console/sites/\(SitePages.pathCode(site))/swabs" }
    var words: Catalogue { visit.words }

    /// Today's round by zone; with `zoneCode`, that zone's tubes too.
    func round(
        zoneCode: String? = nil, cursor: String? = nil, notices: [String] = [], reprint: [AccessionNumber] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let swabs = visit.services.swabs
        let day = site.today
        let round = try await swabs.round(siteId: site.id, day: day, actor: visit.actor)
        var tubes: [SwabRoundPage.Tube] = []
        var next: String?
        var zoneName = ""
        if let zoneCode, let zone = round.zones.first(where: { $0.zoneCode == zoneCode }) {
            zoneName = "\(zone.zoneName) (\(zone.zoneCode))"
            let page = try await swabs.tubes(
                siteId: site.id, day: day, zoneId: zone.zoneId,
                page: try PageRequest(cursor: cursor, limit: PageRequest.maximumLimit), actor: visit.actor)
            tubes = page.items.map(tube)
            next = page.nextCursor.map { "\(base)?zone=\(zoneCode.urlQueryEscaped)&cursor=\($0)" }
        }
        let total = round.total
        let labs = try await visit.services.laboratories.list(actor: visit.actor)
        let boxes = try await swabs.boxes(siteId: site.id, actor: visit.actor).prefix(20)
        let model = SwabRoundPage(
            oldestAwaiting: round.oldestAwaitingSince.map { LocalTimeText.dayAndTime($0, site.timeZone) } ?? "",
            hasAwaiting: round.oldestAwaitingSince != nil,
            laboratories: labs.map { .init(value: String($0.id.rawValue), label: "\($0.name) (\($0.code))") },
            hasLaboratories: !labs.isEmpty, sendPath: "\(base)/send",
            boxes: boxes.map {
                .init(
                    id: $0.id.rawValue, laboratory: "\($0.laboratory.name) (\($0.laboratory.code))",
                    sentAt: LocalTimeText.dayAndTime($0.sentAt, site.timeZone), tubes: $0.tubes,
                    manifest: "\(base)/boxes/\($0.id)/manifest")
            },
            hasBoxes: !boxes.isEmpty,
            day: day.description, notices: notices, hasNotices: !notices.isEmpty,
            made: !round.zones.isEmpty,
            zones: round.zones.map { zone in
                .init(
                    path: "\(base)?zone=\(zone.zoneCode.urlQueryEscaped)", code: zone.zoneCode, name: zone.zoneName,
                    tally: .init(zone.tally), labels: "\(base)/labels.pdf?zone=\(zone.zoneCode.urlQueryEscaped)")
            },
            total: .init(total), makePath: "\(base)/round", collectPath: "\(base)/collect",
            makeConfirm: words["swab_make_confirm"].replacingOccurrences(of: "{day}", with: day.description),
            zoneName: zoneName, hasTubes: !tubes.isEmpty, tubes: tubes, next: next ?? "", hasNext: next != nil,
            reprint: "\(base)/labels.pdf?" + reprint.map { "accession=\($0)" }.joined(separator: "&"),
            hasReprint: !reprint.isEmpty)
        return try await visit.page("swabs", title: words["swab_title"], model: model, site: site, status: status)
    }

    private func tube(_ s: Specimen) -> SwabRoundPage.Tube {
        .init(
            accession: s.accession.description, bed: s.bedCode, name: s.patientName,
            status: s.notCollectedReason.map { words["swab_reason_\($0.rawValue)"] }
                .map { "\(words["swab_status_not_collected"]): \($0)" } ?? words["swab_status_\(s.status.rawValue)"],
            state: s.status.rawValue,
            collectedAt: s.collectedAt.map { LocalTimeText.dayAndTime($0, site.timeZone) } ?? "")
    }

    /// Today's labels of a zone (or the tubes named, to reprint) as a PDF to print.
    func labels(zoneCode: String?, sheet: String?, accessions: [String]) async throws -> Response {
        let zoneId = try await zoneCode.asyncMap {
            try await visit.services.sites.zone(siteId: site.id, code: $0, actor: visit.actor).id
        }
        let pdf = try await visit.services.swabs.labels(
            siteId: site.id, day: site.today, zoneId: zoneId,
            accessions: try accessions.map { try AccessionNumber(parsing: $0) },
            sheet: sheet == "thermal" ? .thermal : .a4, actor: visit.actor)
        return WebConsole.file(
            pdf, type: "application/pdf", named: "labels-\(site.today)\(zoneCode.map { "-\($0)" } ?? "").pdf")
    }

    /// Makes (or makes again) today's round and says what it changed.
    func makeRound() async throws -> Response {
        try await visit.attempt {
            let made = try await visit.services.swabs.makeRound(siteId: site.id, actor: visit.actor)
            var notices = [
                words.explain(
                    Explanation(
                        "swab_made_notice",
                        [
                            "added": .text(String(made.added)), "moved": .text(String(made.moved.count)),
                            "cancelled": .text(String(made.cancelled)),
                        ]))
            ]
            if !made.moved.isEmpty {
                notices.append(
                    words.explain(
                        Explanation(
                            "swab_reprint_notice",
                            ["tubes": .text(made.moved.map(\.description).joined(separator: " "))])))
            }
            if !made.unplaced.isEmpty {
                notices.append(
                    words.explain(Explanation("swab_unplaced_notice", ["count": .text(String(made.unplaced.count))])))
            }
            return try await round(notices: notices, reprint: made.moved)
        } orShow: { issues, status in
            try await round(notices: issues.map(\.detail), status: status)
        }
    }

    /// Sends a box to a laboratory: the tubes scanned into the box (one a line, as a scanner
    /// types them), or every collected tube not yet sent.
    func send(_ form: Form) async throws -> Response {
        try await visit.attempt {
            let lab = Laboratory.ID(rawValue: Int64(form.text("laboratory") ?? "") ?? 0)
            let lines = (form.text("tubes") ?? "").split(whereSeparator: \.isNewline).map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            let packed = try await visit.services.swabs.dispatch(
                siteId: site.id, laboratoryId: lab, scanned: form.text("all") == nil ? lines : nil, actor: visit.actor)
            return try await round(
                notices: [
                    words.explain(
                        Explanation(
                            "swab_sent_notice",
                            [
                                "box": .text(String(packed.box.id.rawValue)), "count": .text(String(packed.box.tubes)),
                                "lab": .text(packed.box.laboratory.name),
                            ]))
                ])
        } orShow: { issues, status in
            try await round(notices: issues.map(lineOfBox), status: status)
        }
    }

    /// A refusal of a box as the person typed it: `accessions[3]` is the fourth line.
    private func lineOfBox(_ issue: FieldIssue) -> String {
        guard issue.field.hasPrefix("accessions["), let index = Int(issue.field.dropFirst(11).dropLast()) else {
            return issue.detail
        }
        return words["swab_line"].replacingOccurrences(of: "{n}", with: String(index + 1)) + ": " + issue.detail
    }

    /// The bedside page: scan the wristband, then the tube; or record a tube not taken.
    func collectPage(
        outcome: SwabCollectPage.Outcome? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let model = SwabCollectPage(
            action: "\(base)/collect", roundPath: base, outcome: outcome, hasOutcome: outcome != nil,
            reasons: NotCollectedReason.allCases.map {
                .init(value: $0.rawValue, label: words["swab_reason_\($0.rawValue)"])
            })
        return try await visit.page(
            "swab-collect", title: words["swab_collect_title"], model: model, site: site, status: status)
    }

    /// Records one scan pair, or one tube not taken, and shows the outcome loudly.
    func collect(_ form: Form) async throws -> Response {
        try await visit.attempt {
            let accession = try AccessionNumber(parsing: form.text("tube") ?? "", field: "tube")
            let outcome: CollectionOutcome
            if let reason = form.text("reason") {
                guard let why = NotCollectedReason(rawValue: reason) else {
                    throw DomainError.invalid("reason", words["swab_reason_needed"])
                }
                outcome = .notCollected(why)
            } else {
                outcome = .collected(
                    wristband: try WristbandCode(parsing: form.text("wristband") ?? "", field: "wristband"), at: Date())
            }
            let tube = try await visit.services.swabs.recordCollection(
                siteId: site.id, accession: accession, outcome, actor: visit.actor)
            let key = tube.status == .collected ? "swab_collected_notice" : "swab_not_collected_notice"
            return try await collectPage(
                outcome: .init(
                    ok: true,
                    message: words.explain(
                        Explanation(
                            key,
                            [
                                "tube": .text(tube.accession.description), "name": .text(tube.patientName),
                                "bed": .text(tube.bedCode),
                            ]))))
        } orShow: { issues, status in
            try await collectPage(
                outcome: .init(ok: false, message: issues.map(\.detail).joined(separator: " ")), status: status)
        }
    }
}

extension String {
    /// The text as one value of a query string.
    var urlQueryEscaped: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? self
    }
}

/// Today's round: its tubes counted by zone, and one zone's tubes; boxes sent.
struct SwabRoundPage: PageModel {
    struct Box: Sendable {
        var id: Int64
        var laboratory: String
        var sentAt: String
        var tubes: Int
        /// The manifest as PDF (`?format=csv` for CSV).
        var manifest: String
    }
    /// When the box of the oldest tube still waiting for a result was sent.
    var oldestAwaiting: String
    var hasAwaiting: Bool
    var laboratories: [SwabCollectPage.Reason]
    var hasLaboratories: Bool
    var sendPath: String
    var boxes: [Box]
    var hasBoxes: Bool
    struct Tally: Sendable {
        var printed: Int
        var due: Int
        var collected: Int
        var notCollected: Int
        var sent: Int
        var resulted: Int

        init(_ t: SwabTally) {
            (printed, due, collected, notCollected, sent, resulted) = (
                t.printed, t.due, t.collected, t.notCollected, t.sent, t.resulted
            )
        }
    }
    struct Zone: Sendable {
        var path: String
        var code: String
        var name: String
        var tally: Tally
        /// The zone's labels as PDF (`&sheet=thermal` for the thermal printer).
        var labels: String
    }
    struct Tube: Sendable {
        var accession: String
        var bed: String
        var name: String
        var status: String
        /// The state's raw value, for the row's colour.
        var state: String
        var collectedAt: String
    }
    var day: String
    var notices: [String]
    var hasNotices: Bool
    /// Whether any tube was printed for today.
    var made: Bool
    var zones: [Zone]
    var total: Tally
    var makePath: String
    var collectPath: String
    /// The question before a round is made: it prints tubes for the whole site.
    var makeConfirm: String
    var zoneName: String
    var hasTubes: Bool
    var tubes: [Tube]
    var next: String
    var hasNext: Bool
    /// The labels of tubes that moved with their patient, to reprint, when any did.
    var reprint: String
    var hasReprint: Bool
}

/// The bedside page, made for a USB barcode scanner (it types a code and Enter).
struct SwabCollectPage: PageModel {
    struct Outcome: Sendable {
        var ok: Bool
        var message: String
    }
    struct Reason: Sendable {
        var value: String
        var label: String
    }
    var action: String
    var roundPath: String
    var outcome: Outcome?
    var hasOutcome: Bool
    var reasons: [Reason]
}
