import Domain
import Foundation
import Storage

/// Shift templates, shifts, assignments and the roster workflow: check, publish, edit, coverage.
///
/// Every assignment change runs the rules first. Drafts may break hard rules except the
/// capacities (overlap, maximum staffing) and are told so; publishing, and any edit of a
/// published assignment, is refused with every reason while a hard rule is broken. Locks are taken staff rows first,
/// then shift rows, each in id order, so
/// concurrent changes serialise per person and per shift without deadlocking; the exclusion
/// constraint on assignments stays the last guard against overlapping shifts.
public struct RosterService: Sendable {
    let database: Database

    public static let writers = StaffService.writers
    public static let readers = StaffService.readers

    // MARK: Rules and templates

    /// The site's roster rules; the defaults (version 0) until it sets its own.
    public func rules(siteId: Site.ID, actor: Actor) async throws -> RosterRules {
        try actor.require(Self.readers, at: siteId)
        return try await database.read(actor) { tx in try await tx.shifts.rules(siteId: siteId) }
    }

    /// Sets the site's rules; `expectedVersion` is 0 while the site uses the defaults.
    public func setRules(siteId: Site.ID, _ rules: RosterRules, expectedVersion: Int?, actor: Actor) async throws
        -> RosterRules
    {
        try actor.require(Self.writers, at: siteId)
        guard let expectedVersion else { throw DomainError.preconditionRequired }
        try rules.validate()
        return try await database.transaction(actor) { tx in
            let repository = tx.shifts
            _ = try await tx.site(siteId, lock: true)
            let before = try await repository.rules(siteId: siteId)
            try before.check(expectedVersion: expectedVersion)
            try await repository.saveRules(siteId: siteId, rules)
            let after = try await repository.rules(siteId: siteId)
            try await tx.audit.record(
                "update", entity: "roster_rules", id: siteId, siteId: siteId, before: before, after: after)
            return after
        }
    }

    /// Adds a recurring shift (site manager).
    public func createTemplate(siteId: Site.ID, _ draft: ShiftTemplateDraft, actor: Actor) async throws -> ShiftTemplate
    {
        try actor.require(Self.writers, at: siteId)
        try draft.validate()
        return try await database.transaction(actor) { tx in
            let template = try await tx.shifts.insertTemplate(siteId: siteId, draft)
            try await tx.audit.record(
                "create", entity: "shift_template", id: template.id, siteId: siteId, before: Nothing?.none,
                after: template)
            return template
        }
    }

    /// The site's shift templates, by start time.
    public func templates(siteId: Site.ID, actor: Actor) async throws -> [ShiftTemplate] {
        try actor.require(Self.readers, at: siteId)
        return try await database.read(actor) { tx in try await tx.shifts.templates(siteId: siteId) }
    }

    /// Creates the shifts of every template (or of `templateIds`) for `days` days from `from`,
    /// skipping shifts that already exist.
    public func generateShifts(
        siteId: Site.ID, from: CalendarDate, days: Int = 7, templateIds: [ShiftTemplate.ID]? = nil, actor: Actor
    ) async throws -> ShiftGeneration {
        try actor.require(Self.writers, at: siteId)
        var v = Validator()
        v.check((1...31).contains(days), "days", "must be between 1 and 31")
        v.check((templateIds?.count ?? 0) <= 100, "templateIds", "must list at most 100 templates")
        v.plannedDay(from, "from")
        try v.finish()
        return try await database.transaction(actor) { tx in
            let repository = tx.shifts
            let timeZone = try await tx.site(siteId).timeZone
            var templates = try await repository.templates(siteId: siteId)
            if let templateIds {
                let unknown = Set(templateIds).subtracting(templates.map(\.id))
                if let first = unknown.sorted().first {
                    throw DomainError.invalid("templateIds", "no shift template \(first) at this site")
                }
                templates = templates.filter { templateIds.contains($0.id) }
            }
            let drafts = (0..<days).flatMap { offset in
                templates.map { $0.shift(on: from.adding(days: offset), in: timeZone) }
            }
            let created = try await repository.insertShifts(siteId: siteId, drafts)
            let result = ShiftGeneration(from: from, days: days, created: created, skipped: drafts.count - created)
            try await tx.audit.record(
                "generate", entity: "shifts", id: from.description, siteId: siteId, before: Nothing?.none, after: result
            )
            return result
        }
    }

    // MARK: Shifts and views

    /// Adds one shift in a zone of the site (site manager).
    public func createShift(siteId: Site.ID, _ draft: ShiftDraft, actor: Actor) async throws -> Shift {
        try actor.require(Self.writers, at: siteId)
        try draft.validate()
        return try await database.transaction(actor) { tx in
            let repository = tx.shifts
            guard try await tx.sites.zone(siteId: siteId, id: draft.zoneId) != nil else {
                throw DomainError.invalid("zoneId", "no zone \(draft.zoneId) at this site")
            }
            let id = try await repository.insertShift(siteId: siteId, draft)
            let shift = try await repository.shift(siteId: siteId, id: id)!
            try await tx.audit.record(
                "create", entity: "shift", id: id, siteId: siteId, before: Nothing?.none, after: shift)
            return shift
        }
    }

    /// One shift with the people on it.
    public func shift(siteId: Site.ID, shiftId: Shift.ID, actor: Actor) async throws -> Shift {
        try actor.require(Self.readers, at: siteId)
        let shift = try await database.read(actor) { tx in try await tx.shifts.shift(siteId: siteId, id: shiftId) }
        guard let shift else { throw DomainError.notFound("shift not found") }
        return shift
    }

    /// The site's roster: shifts starting from `from` through `through` (local dates) with the
    /// people on them; with `staffId`, only that person's shifts.
    public func roster(
        siteId: Site.ID, from: CalendarDate, through: CalendarDate, staffId: StaffMember.ID? = nil, actor: Actor
    ) async throws -> [Shift] {
        try actor.require(Self.readers, at: siteId)
        return try await database.read(actor) { tx in
            if let staffId, try await tx.staff.member(siteId: siteId, id: staffId) == nil {
                throw DomainError.notFound("member of staff not found")
            }
            let period = try RosterPeriod(from: from, through: through, timeZone: try await tx.site(siteId).timeZone)
            return try await tx.shifts.shifts(siteId: siteId, period: period.range, staffId: staffId)
        }
    }

    /// Each shift of the next `days` days from `from` (today where the site is, by default)
    /// with assigned, minimum and maximum staffing, gaps first.
    public func coverage(siteId: Site.ID, from: CalendarDate? = nil, days: Int = 7, actor: Actor) async throws
        -> [CoverageLine]
    {
        try actor.require(Self.readers, at: siteId)
        guard (1...62).contains(days) else { throw DomainError.invalid("days", "must be between 1 and 62") }
        return try await database.read(actor) { tx in
            let timeZone = try await tx.site(siteId).timeZone
            let start = from ?? CalendarDate(Date(), in: timeZone)
            let period = try RosterPeriod(from: start, through: start.adding(days: days - 1), timeZone: timeZone)
            return CoverageLine.ordered(try await tx.shifts.shifts(siteId: siteId, period: period.range))
        }
    }

    // MARK: Check and publish

    /// The dry run: every broken rule on shifts from `from` through `through`.
    public func check(siteId: Site.ID, from: CalendarDate, through: CalendarDate, actor: Actor) async throws
        -> RosterCheck
    {
        try actor.require(Self.readers, at: siteId)
        return try await database.read(actor) { tx in
            let (findings, _) = try await checkPeriod(siteId: siteId, from: from, through: through, tx)
            return RosterCheck(from: from, through: through, findings: findings)
        }
    }

    /// Publishes the drafts of the period, all or nothing, and only when no hard rule is broken.
    public func publish(siteId: Site.ID, from: CalendarDate, through: CalendarDate, actor: Actor) async throws
        -> RosterPublication
    {
        try actor.require(Self.writers, at: siteId)
        return try await database.transaction(actor) { tx in
            // One publisher per site at a time; assignment changes still take their own row locks.
            try await tx.lock("roster_publish", scope: siteId)
            let (findings, period) = try await checkPeriod(siteId: siteId, from: from, through: through, tx)
            try Self.refuse(findings.filter(\.rule.isHard), field: "roster")
            let count = try await tx.shifts.publish(siteId: siteId, period: period.range)
            let result = RosterPublication(from: from, through: through, published: count, warnings: findings)
            try await tx.audit.record(
                "publish", entity: "roster", id: "\(from)..\(through)", siteId: siteId, before: Nothing?.none,
                after: result)
            return result
        }
    }

    private func checkPeriod(
        siteId: Site.ID, from: CalendarDate, through: CalendarDate,
        _ tx: Transaction
    ) async throws -> ([RosterFinding], RosterPeriod) {
        let timeZone = try await tx.site(siteId).timeZone
        let period = try RosterPeriod(from: from, through: through, timeZone: timeZone)
        let rules = try await tx.shifts.rules(siteId: siteId)
        let window = period.widened(byDays: rules.maxConsecutiveDays + 1)
        let shifts = try await tx.shifts.shifts(siteId: siteId, period: window)
        let snapshot = try await RosterContext.snapshot(
            siteId: siteId, shifts: shifts, rules: rules, timeZone: timeZone, tx)
        return (RosterChecker.check(snapshot, period: period.range), period)
    }

    /// Throws the hard findings as a 422 naming each rule, person and reason.
    static func refuse(_ hard: [RosterFinding], field: String) throws {
        guard !hard.isEmpty else { return }
        throw DomainError.invalid(
            hard.map { FieldIssue(field: field, explanation: $0.refusal(namingTheShift: true)) })
    }

}

/// The local dates a roster operation covers, as instants where the site is.
struct RosterPeriod {
    static let maximumDays = 92
    let range: Range<Date>

    init(from: CalendarDate, through: CalendarDate, timeZone: TimeZone) throws {
        var v = Validator()
        v.plannedDay(from, "from")
        v.plannedDay(through, "through")
        try v.finish()
        guard from <= through else { throw DomainError.invalid("through", "must not be before from") }
        guard from.adding(days: Self.maximumDays - 1) >= through else {
            throw DomainError.invalid("through", "a period spans at most \(Self.maximumDays) days")
        }
        range =
            LocalTime.instant(from, "00:00", in: timeZone)!..<LocalTime.instant(
                through.adding(days: 1), "00:00", in: timeZone)!
    }

    func widened(byDays days: Int) -> Range<Date> {
        range.lowerBound.addingTimeInterval(
            -Double(days) * 86_400)..<range.upperBound.addingTimeInterval(Double(days) * 86_400)
    }
}

/// What generating shifts from templates did.
public struct ShiftGeneration: Sendable, Codable, Equatable {
    public var from: CalendarDate
    public var days: Int
    public var created: Int
    /// Shifts that already existed.
    public var skipped: Int
}

/// The result of a dry run.
public struct RosterCheck: Sendable, Encodable, Equatable {
    public var from: CalendarDate
    public var through: CalendarDate
    public var hard: Int
    public var soft: Int
    public var findings: [RosterFinding]

    init(from: CalendarDate, through: CalendarDate, findings: [RosterFinding]) {
        self.from = from
        self.through = through
        self.findings = findings
        hard = findings.filter(\.rule.isHard).count
        soft = findings.count - hard
    }
}

/// The result of publishing a period.
public struct RosterPublication: Sendable, Encodable, Equatable {
    public var from: CalendarDate
    public var through: CalendarDate
    public var published: Int
    /// Soft findings that remain (below minimum staffing, long runs of days).
    public var warnings: [RosterFinding]
}
