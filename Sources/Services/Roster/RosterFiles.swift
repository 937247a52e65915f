import CSV
import Domain
import Foundation
import Storage

/// What a roster import did.
public struct RosterImport: Sendable, Encodable, Equatable {
    public var rows: Int
    public var shiftsCreated: Int
    public var assignmentsCreated: Int
    /// Rows whose person was already on that shift.
    public var unchanged: Int
    /// Rules the imported drafts break that did not stop the import; `roster check` lists them too.
    public var warnings: [RosterFinding]
}

/// A secret calendar address, as issued.
public struct CalendarFeed: Sendable, Codable, Equatable {
    public var id: Int64
    public var siteId: Site.ID
    public var staffId: StaffMember.ID?
    /// `/calendar-feeds/{secret}`; shown only when issued.
    public var path: String
}

/// The roster as files: CSV import and export, and iCalendar feeds per site and per person.
public struct RosterFiles: Sendable {
    let database: Database
    let roster: RosterService

    /// Reads a roster spreadsheet into draft assignments, creating missing shifts.
    ///
    /// Every row is validated first (format, zone, person, staffing, overlaps and full shifts
    /// against the roster as it stands plus the whole file); if any row fails, each failure is
    /// reported with its line number and nothing is written.
    public func importCSV(siteId: Site.ID, _ text: String, actor: Actor) async throws -> RosterImport {
        try actor.require(RosterService.writers, at: siteId)
        return try await database.transaction(actor, .bulk) { tx in
            let timeZone = try await tx.site(siteId).timeZone
            let (rows, formatIssues) = try Self.parse(text, timeZone: timeZone)
            var plan = try await RosterImportPlan(siteId: siteId, rows: rows, tx)
            try await plan.validate(alongWith: formatIssues)
            let result = try await plan.write()
            try await tx.audit.record(
                "import", entity: "roster", id: nil, siteId: siteId, before: Nothing?.none,
                after: [
                    "rows": result.rows, "shiftsCreated": result.shiftsCreated,
                    "assignmentsCreated": result.assignmentsCreated,
                ])
            return result
        }
    }

    /// Parses the CSV text into the rows that are well formed and the problems of the others,
    /// by line. A header that does not fit is thrown at once: no row can be read without it.
    static func parse(_ text: String, timeZone: TimeZone) throws -> ([RosterImportRow], [FieldIssue]) {
        let table = try CSVTable(text, required: RosterImportRow.columns)
        var rows: [RosterImportRow] = []
        var issues = table.issues
        for row in table.rows {
            switch RosterImportRow.parse(row.fields, line: row.line, timeZone: timeZone) {
            case .success(let row): rows.append(row)
            case .failure(.invalid(let rowIssues)): issues += rowIssues
            case .failure(let other): throw other
            }
        }
        return (rows, issues)
    }

    /// The roster from `from` through `through` as CSV, one row per person on a shift.
    public func exportCSV(
        siteId: Site.ID, from: CalendarDate, through: CalendarDate, staffId: StaffMember.ID? = nil, actor: Actor
    ) async throws -> String {
        let shifts = try await roster.roster(
            siteId: siteId, from: from, through: through, staffId: staffId, actor: actor)
        let timeZone = try await database.read(actor) { tx in try await tx.site(siteId).timeZone }
        var rows: [[String]] = []
        for shift in shifts {
            for a in shift.assignments where staffId == nil || a.staffId == staffId {
                rows.append(RosterImportRow.fields(of: shift, staffCode: a.staffCode, timeZone: timeZone))
            }
        }
        return try CSVText.write(header: RosterImportRow.columns, rows: rows)
    }

    /// Published shifts as an iCalendar feed: one event per shift of the site, or per shift of
    /// one person when `staffId` is given. Without dates, a week back to five weeks ahead.
    public func exportICS(
        siteId: Site.ID, from: CalendarDate? = nil, through: CalendarDate? = nil, staffId: StaffMember.ID? = nil,
        actor: Actor
    ) async throws -> String {
        try actor.require(RosterService.readers, at: siteId)
        return try await calendar(siteId: siteId, from: from, through: through, staffId: staffId, actor: actor)
    }

    private func calendar(
        siteId: Site.ID, from: CalendarDate?, through: CalendarDate?, staffId: StaffMember.ID?, actor: Actor
    ) async throws -> String {
        let (site, person, shifts) = try await database.read(actor) { tx in
            let site = try await tx.site(siteId)
            // A feed's default window, where the site is: what a phone needs to show.
            let today = site.today
            let (from, through) = (from ?? today.adding(days: -7), through ?? today.adding(days: 35))
            let person = try await staffId.asyncMap {
                try await tx.staff.member(siteId: siteId, id: $0).orNotFound("member of staff")
            }
            let period = try RosterPeriod(from: from, through: through, timeZone: site.timeZone)
            let shifts = try await tx.shifts.shifts(siteId: siteId, period: period.range, staffId: staffId)
            return (site, person, shifts)
        }
        let timeZone = site.timeZone
        var events: [ICalendarEvent] = []
        for shift in shifts {
            let published = shift.assignments.filter { $0.state == .published }
            let mine = published.first { $0.staffId == staffId }
            if published.isEmpty || (staffId != nil && mine == nil) { continue }
            let role = shift.requires?.rawValue ?? "any role"
            let team = published.map { "\($0.staffName) (\($0.staffCode))" }.joined(separator: ", ")
            events.append(
                ICalendarEvent(
                    uid: mine.map { "assignment-\($0.id)@\(site.code).cordon" }
                        ?? "shift-\(shift.id)@\(site.code).cordon",
                    start: shift.startsAt, end: shift.endsAt,
                    summary: "\(shift.zoneCode) \(shift.zoneKind.rawValue) shift, \(role)"
                        + (staffId == nil ? " (\(published.count)/\(shift.minStaff)-\(shift.maxStaff))" : ""),
                    location: "\(site.name), zone \(shift.zoneCode)",
                    description: (shift.label.isEmpty ? "" : shift.label + "\n")
                        + "On shift: \(team)\nLocal time \(shift.summary(in: timeZone))"))
        }
        let name = person.map { "\($0.name) — \(site.name)" } ?? "\(site.name) roster"
        return ICalendar.document(name: name, events: events, stamp: Date())
    }

    // MARK: Calendar subscriptions

    /// Issues a secret address for the site's feed, or one person's, that a phone's calendar
    /// app can subscribe to without a bearer token. The secret is shown once.
    public func issueFeed(siteId: Site.ID, staffId: StaffMember.ID?, actor: Actor) async throws -> CalendarFeed {
        try actor.require(RosterService.writers, at: siteId)
        let secret = Secret.generate(prefix: "cal_")
        return try await database.transaction(actor) { tx in
            if let staffId, try await tx.staff.member(siteId: siteId, id: staffId) == nil {
                throw DomainError.invalid("staffId", "no member of staff \(staffId) at this site")
            }
            let id = try await tx.calendarFeeds
                .insert(siteId: siteId, staffId: staffId, tokenHash: Secret.hash(secret))
            try await tx.audit.record(
                "issue", entity: "calendar_feed", id: id, siteId: siteId, before: Nothing?.none,
                after: ["staffId": staffId])
            return CalendarFeed(id: id, siteId: siteId, staffId: staffId, path: "/calendar-feeds/\(secret)")
        }
    }

    /// Revokes a calendar address; its secret answers 404 from then on (site manager).
    public func revokeFeed(siteId: Site.ID, feedId: Int64, actor: Actor) async throws {
        try actor.require(RosterService.writers, at: siteId)
        try await database.transaction(actor) { tx in
            guard try await tx.calendarFeeds.revoke(siteId: siteId, id: feedId) else {
                throw DomainError.notFound("no live calendar feed \(feedId)")
            }
            try await tx.audit.record(
                "revoke", entity: "calendar_feed", id: feedId, siteId: siteId, before: Nothing?.none,
                after: Nothing?.none)
        }
    }

    /// The feed behind a secret address: published shifts from a week back to five weeks ahead.
    /// An unknown or revoked secret is simply not found.
    public func subscribedCalendar(secret: String) async throws -> String {
        guard secret.hasPrefix("cal_"), secret.count < 100 else {
            throw DomainError.notFound("calendar feed not found")
        }
        let subscriber = Actor.system("calendar-feed")
        let found = try await database.read(subscriber) { tx in
            try await tx.calendarFeeds.feed(tokenHash: Secret.hash(secret))
        }
        guard let (siteId, staffId) = found else { throw DomainError.notFound("calendar feed not found") }
        return try await calendar(siteId: siteId, from: nil, through: nil, staffId: staffId, actor: subscriber)
    }
}
