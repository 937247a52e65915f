import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension APIImplementation {
    // MARK: Rules, templates, shifts

    func getRosterRules(_ input: Operations.GetRosterRules.Input) async throws -> Operations.GetRosterRules.Output {
        let rules = try await services.roster.rules(siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(rules.version)), body: .json(.init(rules))))
    }

    func setRosterRules(_ input: Operations.SetRosterRules.Input) async throws -> Operations.SetRosterRules.Output {
        let b = try input.body.payload
        let rules = try await services.roster.setRules(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            RosterRules(
                minRestMinutes: b.minRestMinutes, contaminatedCapMinutes: b.contaminatedCapMinutes,
                maxConsecutiveDays: b.maxConsecutiveDays),
            expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(rules.version)), body: .json(.init(rules))))
    }

    func listShiftTemplates(_ input: Operations.ListShiftTemplates.Input) async throws
        -> Operations.ListShiftTemplates.Output
    {
        let templates = try await services.roster.templates(
            siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(body: .json(.init(items: templates.map { .init($0) }))))
    }

    func createShiftTemplate(_ input: Operations.CreateShiftTemplate.Input) async throws
        -> Operations.CreateShiftTemplate.Output
    {
        let b = try input.body.payload
        let template = try await services.roster.createTemplate(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            ShiftTemplateDraft(
                name: b.name, zoneId: Zone.ID(rawValue: b.zoneId), requires: b.requires?.converted(),
                startTime: b.startTime, minutes: b.minutes,
                minStaff: b.minStaff, maxStaff: b.maxStaff), actor: actor)
        return .created(.init(body: .json(.init(template))))
    }

    func generateShifts(_ input: Operations.GenerateShifts.Input) async throws -> Operations.GenerateShifts.Output {
        let b = try input.body.payload
        guard let from = try Parse.date(b.from, "from") else { throw DomainError.invalid("from", "is required") }
        let result = try await services.roster.generateShifts(
            siteId: try Parse.id(input.path.siteId, "siteId"), from: from,
            days: b.days ?? 7, templateIds: b.templateIds?.map(ShiftTemplate.ID.init(rawValue:)), actor: actor)
        return .ok(.init(body: .json(.init(result))))
    }

    func createShift(_ input: Operations.CreateShift.Input) async throws -> Operations.CreateShift.Output {
        let b = try input.body.payload
        let shift = try await services.roster.createShift(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            ShiftDraft(
                zoneId: Zone.ID(rawValue: b.zoneId), requires: b.requires?.converted(), label: b.label ?? "",
                startsAt: b.startsAt, endsAt: b.endsAt,
                minStaff: b.minStaff, maxStaff: b.maxStaff), actor: actor)
        return .created(.init(body: .json(.init(shift))))
    }

    func getShift(_ input: Operations.GetShift.Input) async throws -> Operations.GetShift.Output {
        let shift = try await services.roster.shift(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            shiftId: try Parse.id(input.path.shiftId, "shiftId"), actor: actor)
        return .ok(.init(body: .json(.init(shift))))
    }

    // MARK: Assignments

    func assignStaff(_ input: Operations.AssignStaff.Input) async throws -> Operations.AssignStaff.Output {
        let b = try input.body.payload
        let change = try await services.roster.assign(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            shiftId: try Parse.id(input.path.shiftId, "shiftId"),
            staffId: StaffMember.ID(rawValue: b.staffId), actor: actor)
        return .created(.init(body: .json(.init(change))))
    }

    func getAssignment(_ input: Operations.GetAssignment.Input) async throws -> Operations.GetAssignment.Output {
        let assignment = try await services.roster.assignment(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            assignmentId: try Parse.id(input.path.assignmentId, "assignmentId"), actor: actor)
        return .ok(
            .init(
                headers: .init(eTag: ETag.header(assignment.version)), body: .json(.init(assignment))))
    }

    func cancelAssignment(_ input: Operations.CancelAssignment.Input) async throws -> Operations.CancelAssignment.Output
    {
        let change = try await services.roster.cancel(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            assignmentId: try Parse.id(input.path.assignmentId, "assignmentId"),
            expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor)
        return .ok(.init(body: .json(.init(change))))
    }

    func replaceAssignment(_ input: Operations.ReplaceAssignment.Input) async throws
        -> Operations.ReplaceAssignment.Output
    {
        let b = try input.body.payload
        let change = try await services.roster.replace(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            assignmentId: try Parse.id(input.path.assignmentId, "assignmentId"),
            with: StaffMember.ID(rawValue: b.staffId),
            expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor)
        return .ok(.init(body: .json(.init(change))))
    }

    func swapAssignments(_ input: Operations.SwapAssignments.Input) async throws -> Operations.SwapAssignments.Output {
        let b = try input.body.payload
        let change = try await services.roster.swap(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            assignmentId: try Parse.id(input.path.assignmentId, "assignmentId"),
            expectedVersion: ETag.version(ifMatch: input.headers.ifMatch),
            with: Assignment.ID(rawValue: b.otherAssignmentId), otherVersion: b.otherVersion,
            actor: actor)
        return .ok(.init(body: .json(.init(change))))
    }

    // MARK: Views, check, publish, coverage

    func getSiteRoster(_ input: Operations.GetSiteRoster.Input) async throws -> Operations.GetSiteRoster.Output {
        let (from, through) = try Parse.period(input.query.from, input.query.through)
        let shifts = try await services.roster.roster(
            siteId: try Parse.id(input.path.siteId, "siteId"), from: from, through: through, actor: actor)
        return .ok(.init(body: .json(.init(items: shifts.map { .init($0) }))))
    }

    func getStaffRoster(_ input: Operations.GetStaffRoster.Input) async throws -> Operations.GetStaffRoster.Output {
        let (from, through) = try Parse.period(input.query.from, input.query.through)
        let shifts = try await services.roster.roster(
            siteId: try Parse.id(input.path.siteId, "siteId"), from: from, through: through,
            staffId: try Parse.id(input.path.staffId, "staffId"), actor: actor)
        return .ok(.init(body: .json(.init(items: shifts.map { .init($0) }))))
    }

    func exportRosterCSV(_ input: Operations.ExportRosterCSV.Input) async throws -> Operations.ExportRosterCSV.Output {
        let (from, through) = try Parse.period(input.query.from, input.query.through)
        let csv = try await services.rosterFiles.exportCSV(
            siteId: try Parse.id(input.path.siteId, "siteId"), from: from, through: through, actor: actor)
        return .ok(.init(body: .csv(HTTPBody(csv))))
    }

    func getSiteRosterCalendar(_ input: Operations.GetSiteRosterCalendar.Input) async throws
        -> Operations.GetSiteRosterCalendar.Output
    {
        let ics = try await services.rosterFiles.exportICS(
            siteId: try Parse.id(input.path.siteId, "siteId"), from: try Parse.queryDate(input.query.from, "from"),
            through: try Parse.queryDate(input.query.through, "through"), actor: actor)
        return .ok(.init(body: .textCalendar(HTTPBody(ics))))
    }

    func getStaffRosterCalendar(_ input: Operations.GetStaffRosterCalendar.Input) async throws
        -> Operations.GetStaffRosterCalendar.Output
    {
        let ics = try await services.rosterFiles.exportICS(
            siteId: try Parse.id(input.path.siteId, "siteId"), from: try Parse.queryDate(input.query.from, "from"),
            through: try Parse.queryDate(input.query.through, "through"),
            staffId: try Parse.id(input.path.staffId, "staffId"), actor: actor)
        return .ok(.init(body: .textCalendar(HTTPBody(ics))))
    }

    func checkRoster(_ input: Operations.CheckRoster.Input) async throws -> Operations.CheckRoster.Output {
        let (from, through) = try Parse.period(input.query.from, input.query.through)
        let check = try await services.roster.check(
            siteId: try Parse.id(input.path.siteId, "siteId"), from: from, through: through, actor: actor)
        return .ok(.init(body: .json(.init(check))))
    }

    func publishRoster(_ input: Operations.PublishRoster.Input) async throws -> Operations.PublishRoster.Output {
        let b = try input.body.payload
        let (from, through) = try Parse.bodyPeriod(b.from, b.through)
        let result = try await services.roster.publish(
            siteId: try Parse.id(input.path.siteId, "siteId"), from: from, through: through, actor: actor)
        return .ok(.init(body: .json(.init(result))))
    }

    func getRosterCoverage(_ input: Operations.GetRosterCoverage.Input) async throws
        -> Operations.GetRosterCoverage.Output
    {
        let lines = try await services.roster.coverage(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            from: try Parse.queryDate(input.query.from, "from"),
            days: try Parse.queryInt(input.query.days, "days", 1...62) ?? 7, actor: actor)
        return .ok(.init(body: .json(.init(items: lines.map { .init($0) }))))
    }

    func importRoster(_ input: Operations.ImportRoster.Input) async throws -> Operations.ImportRoster.Output {
        guard case .csv(let body) = input.body else { throw DomainError.invalid("body", "must be text/csv") }
        let text: String
        do {
            text = try await String(collecting: body, upTo: 32 * 1024 * 1024)
        } catch {
            throw DomainError.invalid("body", "a roster file is at most 32 MiB")
        }
        let result = try await services.rosterFiles.importCSV(
            siteId: try Parse.id(input.path.siteId, "siteId"), text, actor: actor)
        return .ok(.init(body: .json(.init(result))))
    }
}

extension Parse {
    /// A required period of local dates.
    /// A period given in the query string (`from`, `through`).
    static func period(_ from: String, _ through: String) throws -> (CalendarDate, CalendarDate) {
        guard let start = try queryDate(from, "from") else { throw ProblemDetails.malformed("from", "is required") }
        guard let end = try queryDate(through, "through") else {
            throw ProblemDetails.malformed("through", "is required")
        }
        return (start, end)
    }

    /// A period given in a JSON body.
    static func bodyPeriod(_ from: String, _ through: String) throws -> (CalendarDate, CalendarDate) {
        guard let start = try date(from, "from") else { throw DomainError.invalid("from", "is required") }
        guard let end = try date(through, "through") else { throw DomainError.invalid("through", "is required") }
        return (start, end)
    }
}

extension APIImplementation {
    // MARK: Calendar subscriptions

    func issueCalendarFeed(_ input: Operations.IssueCalendarFeed.Input) async throws
        -> Operations.IssueCalendarFeed.Output
    {
        let b = try input.body.payload
        let feed = try await services.rosterFiles.issueFeed(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            staffId: try b.staffId.map { StaffMember.ID(rawValue: $0) }, actor: actor)
        return .created(.init(body: .json(.init(feed))))
    }

    func revokeCalendarFeed(_ input: Operations.RevokeCalendarFeed.Input) async throws
        -> Operations.RevokeCalendarFeed.Output
    {
        try await services.rosterFiles.revokeFeed(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            feedId: try Parse.id(input.path.feedId, "feedId"), actor: actor)
        return .noContent(.init())
    }

    func getSubscribedCalendar(_ input: Operations.GetSubscribedCalendar.Input) async throws
        -> Operations.GetSubscribedCalendar.Output
    {
        .ok(
            .init(
                body: .textCalendar(
                    HTTPBody(try await services.rosterFiles.subscribedCalendar(secret: input.path.secret)))))
    }
}
