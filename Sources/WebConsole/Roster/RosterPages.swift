import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// The roster: a week of shifts by zone and day with the rule check on each cell; site
/// managers assign, cancel, replace, swap, publish and upload, everyone else reads.
struct RosterPages: Sendable {
    let visit: Visit
    let site: Site

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        @Sendable func roster(_ visit: Visit, _ context: Context) async throws -> RosterPages {
            RosterPages(visit: visit, site: try await visit.site(context))
        }
        router.get("/console/sites/:site/roster") { request, context in
            try await pages.signedIn(request) { visit in try await roster(visit, context).week(notices: []) }
        }
        router.post("/console/sites/:site/roster/publish") { request, context in
            try await pages.signedInForm(request) { visit, form in try await roster(visit, context).publish(form) }
        }
        router.get("/console/sites/:site/roster/shifts/:shift") { request, context in
            try await pages.signedIn(request) { visit in
                try await roster(visit, context).shift(try PathID.positive(context, "shift"), notices: [], status: .ok)
            }
        }
        router.post("/console/sites/:site/roster/shifts/:shift/assign") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await roster(visit, context).assign(shiftId: try PathID.positive(context, "shift"), form)
            }
        }
        router.post("/console/sites/:site/roster/assignments/:assignment") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await roster(visit, context).change(Assignment.ID(try PathID.positive(context, "assignment")), form)
            }
        }
        router.get("/console/sites/:site/roster/upload") { request, context in
            try await pages.signedIn(request) { visit in
                try await roster(visit, context).upload(issues: [], status: .ok)
            }
        }
        router.post("/console/sites/:site/roster/upload") { request, context in
            try await pages.signedInForm(request) { visit, form in try await roster(visit, context).importFile(form) }
        }
    }

    var base: String { "/console/sites/\(SitePages.pathCode(site))/roster" }
    var words: Catalogue { visit.words }
    var canEdit: Bool { visit.actor.holds(any: RosterService.writers, at: site.id) }
    var timeZone: TimeZone { site.timeZone }

    // MARK: The week

    /// Seven days from `?from=` (today by default), or one person's shifts with `?staff=CODE`.
    func week(notices: [String], status: HTTPResponse.Status = .ok, from chosen: CalendarDate? = nil) async throws
        -> Response
    {
        let query = visit.request.uri.queryParameters
        let from = chosen ?? PageDay.chosen(query["from"], site: site)
        let through = from.adding(days: 6)
        let services = visit.services
        let staffCode = query["staff"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let person = try await staffCode.asyncMap {
            try await services.staff.member(siteId: site.id, code: $0, actor: visit.actor)
        }
        let shifts = try await services.roster.roster(
            siteId: site.id, from: from, through: through, staffId: person?.id, actor: visit.actor)
        let check = try await services.roster.check(siteId: site.id, from: from, through: through, actor: visit.actor)
        let findings = Dictionary(grouping: check.findings, by: \.shiftId)
        let days = (0..<7).map { from.adding(days: $0) }
        let zones = try await services.sites.zones(siteId: site.id, actor: visit.actor)
        let rows: [RosterWeekPage.Zone] = zones.compactMap { zone in
            let here = shifts.filter { $0.zoneId == zone.id }
            guard !here.isEmpty else { return nil }
            return RosterWeekPage.Zone(
                zone: zone.code, name: zone.name,
                days: days.map { day in
                    RosterWeekPage.Day(
                        shifts: here.filter { $0.days(in: timeZone).first == day }.map {
                            cell($0, findings: findings[$0.id] ?? [])
                        })
                })
        }
        let staff = try await services.staff.staff(siteId: site.id, actor: visit.actor)
        let model = RosterWeekPage(
            base: base, from: from.description, through: through.description,
            previous: from.adding(days: -7).description, next: from.adding(days: 7).description,
            days: days.map { .init(date: $0.description, weekday: words["weekday_\(weekday($0))"]) },
            zones: rows, empty: rows.isEmpty, canEdit: canEdit, hard: check.findings.filter(\.rule.isHard).count,
            soft: check.findings.filter { !$0.rule.isHard }.count, notices: notices, hasNotices: !notices.isEmpty,
            staff: Choices.of(staff, selected: staffCode, value: \.code) { "\($0.name) (\($0.code))" },
            person: person.map { .init(name: $0.name, code: $0.code) },
            mine: try await services.staff.ownRecord(siteId: site.id, actor: visit.actor)?.code,
            published: query["published"].map(String.init))
        return try await visit.page("roster", title: words["roster_title"], model: model, site: site, status: status)
    }

    /// One shift as a cell of the grid: times, staffing, the people and what the check found.
    func cell(_ shift: Shift, findings: [RosterFinding]) -> ShiftCell {
        ShiftCell(
            id: shift.id.rawValue, label: shift.label,
            time: "\(LocalTime.format(shift.startsAt, in: timeZone))–\(LocalTime.format(shift.endsAt, in: timeZone))",
            assigned: shift.assignments.count, min: shift.minStaff, max: shift.maxStaff,
            short: shift.assignments.count < shift.minStaff,
            people: shift.assignments.map { .init(name: $0.staffName, code: $0.staffCode, draft: $0.state == .draft) },
            findings: findings.map(finding), blocked: findings.contains { $0.rule.isHard },
            requires: shift.requires.map { words["profession_\($0.rawValue)"] })
    }

    func finding(_ finding: RosterFinding) -> FindingLine {
        FindingLine(
            rule: finding.rule.rawValue, ruleLabel: words["rule_\(finding.rule.rawValue)"], hard: finding.rule.isHard,
            reason: words.explainMarked(finding.explanation, in: site.timeZone), shift: finding.shift,
            who: finding.staffName)
    }

    /// 1 (Monday) to 7, for the weekday's name.
    func weekday(_ day: CalendarDate) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let instant = LocalTime.instant(day, "12:00", in: timeZone) ?? Date()
        return (calendar.component(.weekday, from: instant) + 5) % 7 + 1
    }

    /// Publishes the week's drafts; when a hard rule is broken, the week again with what blocks it.
    func publish(_ form: Form) async throws -> Response {
        guard let from = form.text("from").flatMap(CalendarDate.init),
            let through = form.text("through").flatMap(CalendarDate.init)
        else { throw DomainError.invalid("from", "must be a date as YYYY-MM-DD") }
        return try await visit.attempt {
            let result = try await visit.services.roster.publish(
                siteId: site.id, from: from, through: through, actor: visit.actor)
            return WebConsole.redirect(to: "\(base)?from=\(from)&published=\(result.published)")
        } orShow: { issues, status in
            try await week(
                notices: [words["roster_publish_blocked"]] + issues.map(\.detail), status: status, from: from)
        }
    }

    // MARK: One shift

    /// A shift's people with the edits a site manager may make, and who else could take a place.
    func shift(_ id: Int64, notices: [String], status: HTTPResponse.Status) async throws -> Response {
        let services = visit.services
        let shift = try await services.roster.shift(siteId: site.id, shiftId: Shift.ID(id), actor: visit.actor)
        let day = shift.days(in: timeZone).first
        let check = try await services.roster.check(siteId: site.id, from: day, through: day, actor: visit.actor)
        var model = ShiftPage(
            base: base, shift: cell(shift, findings: check.findings.filter { $0.shiftId == shift.id }),
            day: day.description, zone: shift.zoneCode, canEdit: canEdit, notices: notices,
            hasNotices: !notices.isEmpty,
            people: shift.assignments.map {
                .init(id: nil, name: $0.staffName, code: $0.staffCode, version: nil, draft: false)
            })
        if canEdit {
            let candidates = try await services.roster.candidates(
                siteId: site.id, shiftId: shift.id, actor: visit.actor)
            let nearby = try await services.roster.roster(
                siteId: site.id, from: day.adding(days: -3), through: day.adding(days: 3), actor: visit.actor)
            model.candidates = candidates.map { candidate in
                .init(
                    id: candidate.staff.id.rawValue, name: candidate.staff.name, code: candidate.staff.code,
                    free: candidate.isFree, certified: candidate.isCertified, rested: candidate.isRested,
                    clear: candidate.isClear, findings: candidate.findings.map(finding))
            }
            model.hasCandidates = !candidates.isEmpty
            let replacements = candidates.map {
                Choice(value: String($0.staff.id.rawValue), label: $0.staff.name, selected: false)
            }
            model.people = shift.assignments.map { assignment in
                let swaps = nearby.filter { $0.id != shift.id }.flatMap { other in
                    other.assignments.filter { $0.staffId != assignment.staffId }.map {
                        Choice(
                            value: "\($0.id.rawValue):\($0.version)",
                            label: "\($0.staffName) · \(other.summary(in: timeZone))", selected: false)
                    }
                }
                return .init(
                    id: assignment.id.rawValue, name: assignment.staffName, code: assignment.staffCode,
                    version: assignment.version, draft: assignment.state == .draft, replacements: replacements,
                    hasReplacements: !candidates.isEmpty, swaps: swaps, hasSwaps: !swaps.isEmpty)
            }
        }
        return try await visit.page(
            "roster-shift", title: "\(day)", named: "\(shift.zoneCode) \(shift.label)", model: model, site: site,
            status: status)
    }

    func assign(shiftId: Int64, _ form: Form) async throws -> Response {
        try await visit.attempt {
            guard let staffId = form.text("staffId").flatMap(Int64.init) else {
                throw DomainError.invalid("staffId", "choose a member of staff")
            }
            _ = try await visit.services.roster.assign(
                siteId: site.id, shiftId: Shift.ID(shiftId), staffId: StaffMember.ID(staffId), actor: visit.actor)
            return WebConsole.redirect(to: "\(base)/shifts/\(shiftId)")
        } orShow: { issues, status in
            try await shift(shiftId, notices: issues.map(\.detail), status: status)
        }
    }

    /// Cancels, replaces or swaps one assignment, at the version the person read.
    func change(_ id: Assignment.ID, _ form: Form) async throws -> Response {
        let roster = visit.services.roster
        let current = try await roster.assignment(siteId: site.id, assignmentId: id, actor: visit.actor)
        let version = form.text("version").flatMap(Int.init)
        return try await visit.attempt {
            switch form["action"] {
            case "cancel":
                _ = try await roster.cancel(
                    siteId: site.id, assignmentId: id, expectedVersion: version, actor: visit.actor)
            case "replace":
                guard let staffId = form.text("staffId").flatMap(Int64.init) else {
                    throw DomainError.invalid("staffId", "choose who takes the place")
                }
                _ = try await roster.replace(
                    siteId: site.id, assignmentId: id, with: StaffMember.ID(staffId), expectedVersion: version,
                    actor: visit.actor)
            case "swap":
                let other = (form["other"] ?? "").split(separator: ":").compactMap { Int64($0) }
                guard other.count == 2 else { throw DomainError.invalid("other", "choose whom to swap with") }
                _ = try await roster.swap(
                    siteId: site.id, assignmentId: id, expectedVersion: version, with: Assignment.ID(other[0]),
                    otherVersion: Int(other[1]), actor: visit.actor)
            default:
                throw DomainError.invalid("action", "must be cancel, replace or swap")
            }
            return WebConsole.redirect(to: "\(base)/shifts/\(current.shiftId.rawValue)")
        } orShow: { issues, status in
            try await shift(current.shiftId.rawValue, notices: issues.map(\.detail), status: status)
        }
    }

    // MARK: Upload

    func upload(issues: [FieldIssue], status: HTTPResponse.Status, result: RosterImport? = nil) async throws
        -> Response
    {
        try visit.actor.require(RosterService.writers, at: site.id)
        let model = RosterUploadPage(
            base: base, issues: issues.map { .init(field: $0.field, detail: $0.detail) }, hasIssues: !issues.isEmpty,
            result: result.map {
                .init(
                    rows: $0.rows, shifts: $0.shiftsCreated, assignments: $0.assignmentsCreated,
                    unchanged: $0.unchanged,
                    warnings: $0.warnings.map(finding), hasWarnings: !$0.warnings.isEmpty)
            })
        return try await visit.page(
            "roster-upload", title: words["roster_upload_title"], model: model, site: site, status: status)
    }

    /// Reads the spreadsheet: every bad line is listed by number and nothing is written until the file is clean.
    func importFile(_ form: Form) async throws -> Response {
        try await visit.attempt {
            guard let text = form.text("file") else { throw DomainError.invalid("file", "choose a CSV file") }
            let result = try await visit.services.rosterFiles.importCSV(siteId: site.id, text, actor: visit.actor)
            return try await upload(issues: [], status: .ok, result: result)
        } orShow: { issues, status in
            try await upload(issues: issues, status: status)
        }
    }
}

/// A shift as a cell of the week's grid, and at the top of its own page.
struct ShiftCell: Sendable {
    struct Person: Sendable {
        var name: String
        var code: String
        var draft: Bool
    }
    var id: Int64
    var label: String
    var time: String
    var assigned: Int
    var min: Int
    var max: Int
    var short: Bool
    var people: [Person]
    var findings: [FindingLine]
    /// A hard rule is broken: the week cannot be published.
    var blocked: Bool
    var requires: String?
}

/// What the roster check found, in words.
struct FindingLine: Sendable {
    var rule: String
    var ruleLabel: String
    var hard: Bool
    var reason: String
    var shift: String
    var who: String?
}

/// A week of shifts by zone and day, with the check's findings on their cells.
struct RosterWeekPage: PageModel {
    struct DayName: Sendable {
        var date: String
        var weekday: String
    }
    struct Zone: Sendable {
        var zone: String
        var name: String
        var days: [Day]
    }
    struct Day: Sendable { var shifts: [ShiftCell] }
    struct Person: Sendable {
        var name: String
        var code: String
    }
    var base: String
    var from: String
    var through: String
    var previous: String
    var next: String
    var days: [DayName]
    var zones: [Zone]
    var empty: Bool
    var canEdit: Bool
    /// How many findings break a hard rule, and a soft one.
    var hard: Int
    var soft: Int
    var notices: [String]
    var hasNotices: Bool
    var staff: [Choice]
    /// The person whose week this is, when one was chosen.
    var person: Person?
    /// The staff code of the person signed in, when they have a staff record.
    var mine: String?
    /// How many assignments were just published.
    var published: String?
}

/// One shift: its people with the edits a site manager may make, and who else could come.
struct ShiftPage: PageModel {
    struct Candidate: Sendable {
        var id: Int64
        var name: String
        var code: String
        var free: Bool
        var certified: Bool
        var rested: Bool
        var clear: Bool
        var findings: [FindingLine]
    }
    struct Person: Sendable {
        var id: Int64?
        var name: String
        var code: String
        var version: Int?
        var draft: Bool
        var replacements: [Choice] = []
        var hasReplacements = false
        var swaps: [Choice] = []
        var hasSwaps = false
    }
    var base: String
    var shift: ShiftCell
    var day: String
    var zone: String
    var canEdit: Bool
    var notices: [String]
    var hasNotices: Bool
    var people: [Person]
    var candidates: [Candidate] = []
    var hasCandidates = false
}

/// The roster spreadsheet's upload, and what it did or why it was refused.
struct RosterUploadPage: PageModel {
    struct Issue: Sendable {
        var field: String
        var detail: String
    }
    struct Result: Sendable {
        var rows: Int
        var shifts: Int
        var assignments: Int
        var unchanged: Int
        var warnings: [FindingLine]
        var hasWarnings: Bool
    }
    var base: String
    var issues: [Issue]
    var hasIssues: Bool
    var result: Result?
}
