import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension APIImplementation {
    func getBranch(_ input: Operations.GetBranch.Input) async throws -> Operations.GetBranch.Output {
        let branch = try await services.branch.activeBranch(
            siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(
            .init(headers: .init(eTag: ETag.header(branch.version)), body: .json(.init(branch))))
    }

    func createBranch(_ input: Operations.CreateBranch.Input) async throws -> Operations.CreateBranch.Output {
        let b = try input.body.payload
        guard let established = try Parse.date(b.establishedOn, "establishedOn") else {
            throw DomainError.invalid("establishedOn", "is required")
        }
        let branch = try await services.branch.create(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            BranchDraft(name: b.name, parentOrganisation: b.parentOrganisation, establishedOn: established),
            secretaryStaffId: StaffMember.ID(rawValue: b.secretaryStaffId), actor: actor)
        return .created(
            .init(headers: .init(eTag: ETag.header(branch.version)), body: .json(.init(branch))))
    }

    func dissolveBranch(_ input: Operations.DissolveBranch.Input) async throws -> Operations.DissolveBranch.Output {
        let b = try input.body.payload
        guard let day = try Parse.date(b.dissolvedOn, "dissolvedOn") else {
            throw DomainError.invalid("dissolvedOn", "is required")
        }
        let branch = try await services.branch.dissolve(
            siteId: try Parse.id(input.path.siteId, "siteId"), on: day,
            expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor)
        return .ok(
            .init(headers: .init(eTag: ETag.header(branch.version)), body: .json(.init(branch))))
    }

    func appointOfficer(_ input: Operations.AppointOfficer.Input) async throws -> Operations.AppointOfficer.Output {
        let b = try input.body.payload
        guard let from = try Parse.date(b.fromOn, "fromOn") else { throw DomainError.invalid("fromOn", "is required") }
        let branch = try await services.branch.appoint(
            siteId: try Parse.id(input.path.siteId, "siteId"), staffId: StaffMember.ID(rawValue: b.staffId),
            office: b.office.converted(), from: from, actor: actor)
        return .created(.init(body: .json(.init(branch))))
    }

    func listBranchMembers(_ input: Operations.ListBranchMembers.Input) async throws
        -> Operations.ListBranchMembers.Output
    {
        let members = try await services.branch.members(siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(body: .json(.init(items: members.map { .init($0) }))))
    }

    func addBranchMember(_ input: Operations.AddBranchMember.Input) async throws -> Operations.AddBranchMember.Output {
        let b = try input.body.payload
        guard let joined = try Parse.date(b.joinedOn, "joinedOn") else {
            throw DomainError.invalid("joinedOn", "is required")
        }
        let member = try await services.branch.addMember(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            BranchMemberDraft(
                staffId: StaffMember.ID(rawValue: b.staffId), joinedOn: joined, role: b.role ?? "member",
                joinedFrontLine: b.joinedFrontLine ?? false), actor: actor)
        return .created(.init(body: .json(.init(member))))
    }

    func issueCheckInCode(_ input: Operations.IssueCheckInCode.Input) async throws -> Operations.IssueCheckInCode.Output
    {
        let b = try input.body.payload
        let code = try await services.branch.issueCode(
            siteId: try Parse.id(input.path.siteId, "siteId"), validForDays: b.days, actor: actor)
        return .created(.init(body: .json(.init(code))))
    }

    func getCheckInPoster(_ input: Operations.GetCheckInPoster.Input) async throws -> Operations.GetCheckInPoster.Output
    {
        let format: BranchService.PosterFormat = input.query.format.map { $0.rawValue == "png" ? .png : .svg } ?? .svg
        let data = try await services.branch.poster(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            codeId: try Parse.id(input.path.codeId, "codeId"), format: format, actor: actor)
        return .ok(.init(body: format == .png ? .png(HTTPBody(data)) : .imageSvgXml(HTTPBody(data))))
    }

    func checkIn(_ input: Operations.CheckIn.Input) async throws -> Operations.CheckIn.Output {
        let b = try input.body.payload
        guard let born = try Parse.date(b.dateOfBirth, "dateOfBirth") else {
            throw DomainError.invalid("dateOfBirth", "is required")
        }
        let receipt = try await services.branch.checkIn(
            CheckInSubmission(
                code: b.code, name: b.name, idLast4: b.idLast4, dateOfBirth: born, homeOrganisation: b.homeOrganisation,
                phone: b.phone),
            origin: .http(requestId: RequestScope.requestId, address: RequestScope.clientAddress))
        return .created(.init(body: .json(.init(receipt))))
    }

    func listCheckIns(_ input: Operations.ListCheckIns.Input) async throws -> Operations.ListCheckIns.Output {
        let checkIns = try await services.branch.checkIns(
            siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(body: .json(.init(items: checkIns.map { .init($0) }))))
    }

    func listBranchTasks(_ input: Operations.ListBranchTasks.Input) async throws -> Operations.ListBranchTasks.Output {
        let tasks = try await services.branch.tasks(
            siteId: try Parse.id(input.path.siteId, "siteId"), status: input.query.status?.converted(),
            actor: actor)
        return .ok(.init(body: .json(.init(items: tasks.map { .init($0) }))))
    }

    func createBranchTask(_ input: Operations.CreateBranchTask.Input) async throws -> Operations.CreateBranchTask.Output
    {
        let b = try input.body.payload
        let task = try await services.branch.createTask(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            BranchTaskDraft(
                title: b.title, description: b.description ?? "", zoneId: b.zoneId.map(Zone.ID.init(rawValue:)),
                place: b.place ?? "", startsAt: b.startsAt,
                endsAt: b.endsAt, assigneeStaffId: b.assigneeStaffId.map(StaffMember.ID.init(rawValue:)),
                assigneeCheckInId: b.assigneeCheckInId.map(CheckIn.ID.init(rawValue:))), actor: actor)
        return .created(
            .init(headers: .init(eTag: ETag.header(task.version)), body: .json(.init(task))))
    }

    func setBranchTaskStatus(_ input: Operations.SetBranchTaskStatus.Input) async throws
        -> Operations.SetBranchTaskStatus.Output
    {
        let b = try input.body.payload
        let task = try await services.branch.setTaskStatus(
            siteId: try Parse.id(input.path.siteId, "siteId"), taskId: try Parse.id(input.path.taskId, "taskId"),
            to: b.status.converted(),
            expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(task.version)), body: .json(.init(task))))
    }

    func getBranchDashboard(_ input: Operations.GetBranchDashboard.Input) async throws
        -> Operations.GetBranchDashboard.Output
    {
        let dashboard = try await services.branch.dashboard(
            siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(body: .json(.init(dashboard))))
    }
}
