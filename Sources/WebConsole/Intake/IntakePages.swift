import Domain
import Foundation
import Hummingbird
import Services

/// Intake by the busload: the site's transfer lists, and each bus's proposal as a bed map with
/// its people, to propose, change a bed, admit and cancel.
struct IntakePages: Sendable {
    let visit: Visit
    let site: Site

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        router.get("/console/sites/:site/intake") { request, context in
            try await pages.signedIn(request) { visit in
                try await IntakePages(visit: visit, site: try await visit.site(context)).list()
            }
        }
        router.get("/console/sites/:site/intake/:batch") { request, context in
            try await pages.signedIn(request) { visit in
                try await IntakePages(visit: visit, site: try await visit.site(context)).batch(
                    IntakeBatch.ID(try PathID.positive(context, "batch")))
            }
        }
        router.post("/console/sites/:site/intake/:batch/:step") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await IntakePages(visit: visit, site: try await visit.site(context)).act(
                    IntakeBatch.ID(try PathID.positive(context, "batch")), step: context.parameters.require("step"),
                    form)
            }
        }
    }

    var base: String { "/console/sites/\(SitePages.pathCode(site))/intake" }
    var words: Catalogue { visit.words }

    func list() async throws -> Response {
        let batches = try await visit.services.intake.batches(siteId: site.id, open: false, actor: visit.actor)
        let model = IntakeListPage(
            batches: batches.map {
                .init(
                    path: "\(base)/\($0.id)", reference: $0.reference,
                    expectedAt: LocalTimeText.dayAndTime($0.expectedAt, site.timeZone), expected: $0.expected,
                    proposed: $0.proposed, admitted: $0.admitted, cancelled: $0.cancelled)
            },
            hasBatches: !batches.isEmpty)
        return try await visit.page("intake", title: words["intake_title"], model: model, site: site)
    }

    /// A bus: the site's beds as a map with the proposal on it, and its people with why.
    func batch(_ id: IntakeBatch.ID, notices: [String] = [], status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        let (batch, people) = try await visit.services.intake.batch(siteId: site.id, batchId: id, actor: visit.actor)
        let beds = try await SitePages(visit: visit).allBeds(site)
        let zones = try await visit.services.sites.zones(siteId: site.id, actor: visit.actor)
        let proposedFor = Dictionary(
            people.compactMap { p in p.bedId.map { ($0, p) } }, uniquingKeysWith: { first, _ in first })
        let model = IntakeBatchPage(
            batch: .init(
                path: "\(base)/\(batch.id)", reference: batch.reference,
                expectedAt: LocalTimeText.dayAndTime(batch.expectedAt, site.timeZone), expected: batch.expected,
                proposed: batch.proposed, admitted: batch.admitted, cancelled: batch.cancelled),
            canAdmit: batch.proposed > 0, canPropose: batch.expected > 0,
            canPrintWristbands: batch.admitted > 0 && visit.actor.holds(any: SwabService.carers, at: site.id),
            notices: notices,
            hasNotices: !notices.isEmpty,
            zones: zones.compactMap { zone in
                let zoneBeds = beds.filter { $0.zoneId == zone.id }
                guard !zoneBeds.isEmpty else { return nil }
                return .init(code: zone.code, name: zone.name, places: places(zoneBeds, zone, proposedFor))
            },
            // Whoever still has no bed first, marked: they are what the clerk must solve before the bus.
            people: people.sorted { a, b in
                let (ua, ub) = (a.status == .expected && a.bedId == nil, b.status == .expected && b.bedId == nil)
                return ua != ub ? ua : a.position < b.position
            }.map(person),
            admitConfirm: words["intake_admit_confirm"].replacingOccurrences(of: "{n}", with: String(batch.proposed)))
        return try await visit.page(
            "intake-batch", title: words["intake_title"], named: batch.reference, model: model, site: site,
            status: status)
    }

    /// The zone's beds by room or bay (the rest as one open ward), in code order.
    private func places(_ beds: [Bed], _ zone: Zone, _ proposedFor: [Bed.ID: IntakePerson]) -> [IntakeBatchPage.Place] {
        let grouped = Dictionary(grouping: beds) { $0.attributes.place ?? "" }
        // "room 201" as the reader's words say it: the same sentence the proposal's reasons use.
        func placeLabel(_ bed: Bed?) -> String {
            if let room = bed?.attributes.room {
                return words.explain(Explanation("intake.place_room", ["room": .text(room)]))
            }
            if let bay = bed?.attributes.bay {
                return words.explain(Explanation("intake.place_bay", ["bay": .text(bay)]))
            }
            return "\(words["intake_ward"]) \(zone.code)"
        }
        return grouped.keys.sorted().map { key in
            let placeBeds = grouped[key]!.sorted { $0.code.compare($1.code, options: .numeric) == .orderedAscending }
            let kept = placeBeds.first?.attributes.singleSex
            var place = IntakeBatchPage.Place(
                label: placeLabel(key.isEmpty ? nil : placeBeds.first),
                kept: kept.map { words["intake_kept_\($0.rawValue)"] } ?? "",
                beds: placeBeds.map { bed in
                    let person = proposedFor[bed.id]
                    let marks = [
                        (bed.attributes.nearStation, words["intake_mark_station"]),
                        (bed.attributes.accessible, words["intake_mark_accessible"]),
                        (bed.attributes.oxygen, words["intake_mark_oxygen"]),
                    ].filter(\.0).map(\.1).joined(separator: " ")
                    return IntakeBatchPage.BedTile(
                        code: bed.code, state: person == nil ? bed.status.rawValue : "proposed", marks: marks,
                        // Sex and age beside the name: two people of one name on the map are told apart.
                        person: person?.person.name ?? "",
                        personDetail: person.map {
                            "\(words["sex_\($0.person.sex.rawValue)"]) \($0.person.dateOfBirth.age(on: site.today))"
                        } ?? "",
                        // The name is on the tile itself; the label says what the colour says.
                        label: person == nil ? words["bed_\(bed.status.rawValue)"] : words["district_held"])
                })
            place.proposed = place.beds.filter { $0.state == "proposed" }.count
            place.hasProposed = place.proposed > 0
            place.free = placeBeds.filter { $0.status == .free }.count
            place.total = placeBeds.count
            return place
        }
    }

    private func person(_ p: IntakePerson) -> IntakeBatchPage.Person {
        IntakeBatchPage.Person(
            id: p.id.rawValue, version: p.version, name: p.person.name, sex: words["sex_\(p.person.sex.rawValue)"],
            age: p.person.dateOfBirth.age(on: site.today), household: p.person.household ?? "",
            needs: p.person.vulnerabilities.map { words["vulnerability_\($0.rawValue)"] }.sorted().joined(
                separator: words["list_separator"]),
            status: words["intake_status_\(p.status.rawValue)"], expected: p.status == .expected, bed: p.bedCode ?? "",
            unplaced: p.status == .expected && p.bedId == nil,
            why: p.reasons.map { words.explainMarked($0) }.joined(separator: words["list_separator_long"]))
    }

    /// Propose, admit, change one person's bed, or cancel one person.
    func act(_ id: IntakeBatch.ID, step: String, _ form: Form) async throws -> Response {
        let intake = visit.services.intake
        return try await visit.attempt {
            switch step {
            case "propose":
                _ = try await intake.propose(siteId: site.id, batchId: id, actor: visit.actor)
            case "admit":
                let result = try await intake.admit(siteId: site.id, batchId: id, actor: visit.actor)
                let fresh = result.admitted.filter { !$0.replayed }.count
                var notices = [words.explain(Explanation("intake_admitted_notice", ["count": .text(String(fresh))]))]
                if !result.reproposed.isEmpty {
                    notices.append(
                        words.explain(
                            Explanation("intake_reproposed_notice", ["count": .text(String(result.reproposed.count))])))
                }
                notices += result.skipped.filter { $0.reason != "cancelled" }.map { words.say($0.reason) }
                return try await batch(id, notices: notices)
            case "bed":
                let personId = IntakePerson.ID(rawValue: Int64(form.text("person") ?? "") ?? 0)
                guard let code = form.text("bed") else { throw DomainError.invalid("bed", words["intake_bed_needed"]) }
                let bed = try await visit.services.beds.get(siteId: site.id, code: code, actor: visit.actor)
                _ = try await intake.chooseBed(
                    siteId: site.id, personId: personId, bedId: bed.id,
                    expectedVersion: form.text("version").flatMap(Int.init), actor: visit.actor)
            case "cancel":
                let personId = IntakePerson.ID(rawValue: Int64(form.text("person") ?? "") ?? 0)
                _ = try await intake.cancel(siteId: site.id, personId: personId, actor: visit.actor)
            default:
                throw DomainError.notFound("no such step")
            }
            return WebConsole.redirect(to: "\(base)/\(id.rawValue)")
        } orShow: { issues, status in
            try await batch(id, notices: issues.map(\.detail), status: status)
        }
    }
}

/// A site's transfer lists.
struct IntakeListPage: PageModel {
    struct Batch: Sendable {
        var path: String
        var reference: String
        var expectedAt: String
        var expected: Int
        var proposed: Int
        var admitted: Int
        var cancelled: Int
    }
    var batches: [Batch]
    var hasBatches: Bool
}

/// One bus: its people with their beds and why, and the site's beds as a map.
struct IntakeBatchPage: PageModel {
    struct Zone: Sendable {
        var code: String
        var name: String
        var places: [Place]
    }
    /// A room, a bay, or the rest of the zone as one open ward.
    struct Place: Sendable {
        var label: String
        /// The sex the place is kept for, in words; empty when it is kept for neither.
        var kept: String
        var beds: [BedTile]
        /// Places where nobody of this bus is proposed start folded, so the map shows the bus.
        var hasProposed = false
        var proposed = 0
        var free = 0
        var total = 0
    }
    struct BedTile: Sendable {
        var code: String
        /// The bed's state, or `proposed` when someone on the list is proposed for it.
        var state: String
        var marks: String
        var person: String
        /// Sex and age, so that two people of one name are told apart.
        var personDetail: String
        var label: String
    }
    struct Person: Sendable {
        var id: Int64
        var version: Int
        var name: String
        var sex: String
        var age: Int
        var household: String
        var needs: String
        var status: String
        var expected: Bool
        var bed: String
        /// Still expected and without a bed: listed first and marked.
        var unplaced: Bool
        var why: String
    }
    var batch: IntakeListPage.Batch
    var canAdmit: Bool
    var canPropose: Bool
    /// Whether anyone of the list is admitted, whose wristbands can be printed.
    var canPrintWristbands: Bool
    var notices: [String]
    var hasNotices: Bool
    var zones: [Zone]
    var people: [Person]
    /// The question before everyone with a bed is admitted at once.
    var admitConfirm: String
}
