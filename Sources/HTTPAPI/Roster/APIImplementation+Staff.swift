import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension APIImplementation {
    // MARK: Teams

    func listTeams(_ input: Operations.ListTeams.Input) async throws -> Operations.ListTeams.Output {
        let teams = try await services.staff.teams(siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(body: .json(.init(items: teams.map { .init($0) }))))
    }

    func createTeam(_ input: Operations.CreateTeam.Input) async throws -> Operations.CreateTeam.Output {
        let b = try input.body.payload
        let team = try await services.staff.createTeam(
            siteId: try Parse.id(input.path.siteId, "siteId"), try b.draft(), actor: actor)
        return .created(
            .init(headers: .init(eTag: ETag.header(team.version)), body: .json(.init(team))))
    }

    func getTeam(_ input: Operations.GetTeam.Input) async throws -> Operations.GetTeam.Output {
        let team = try await services.staff.team(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            teamId: try Parse.id(input.path.teamId, "teamId"), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(team.version)), body: .json(.init(team))))
    }

    func updateTeam(_ input: Operations.UpdateTeam.Input) async throws -> Operations.UpdateTeam.Output {
        let b = try input.body.payload
        let team = try await services.staff.updateTeam(
            siteId: try Parse.id(input.path.siteId, "siteId"), teamId: try Parse.id(input.path.teamId, "teamId"),
            try b.draft(),
            expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(team.version)), body: .json(.init(team))))
    }

    // MARK: Staff

    func listStaff(_ input: Operations.ListStaff.Input) async throws -> Operations.ListStaff.Output {
        let staff = try await services.staff.staff(
            siteId: try Parse.id(input.path.siteId, "siteId"), teamId: input.query.teamId.map(Team.ID.init(rawValue:)),
            status: input.query.status?.converted(),
            profession: input.query.profession?.converted(), actor: actor)
        return .ok(.init(body: .json(.init(items: staff.map { .init($0) }))))
    }

    func createStaff(_ input: Operations.CreateStaff.Input) async throws -> Operations.CreateStaff.Output {
        let b = try input.body.payload
        let member = try await services.staff.createStaff(
            siteId: try Parse.id(input.path.siteId, "siteId"), b.draft(), actor: actor)
        return .created(
            .init(headers: .init(eTag: ETag.header(member.version)), body: .json(.init(member))))
    }

    func getStaff(_ input: Operations.GetStaff.Input) async throws -> Operations.GetStaff.Output {
        let member = try await services.staff.member(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            staffId: try Parse.id(input.path.staffId, "staffId"), actor: actor)
        return .ok(
            .init(headers: .init(eTag: ETag.header(member.version)), body: .json(.init(member))))
    }

    func updateStaff(_ input: Operations.UpdateStaff.Input) async throws -> Operations.UpdateStaff.Output {
        let b = try input.body.payload
        let member = try await services.staff.updateStaff(
            siteId: try Parse.id(input.path.siteId, "siteId"), staffId: try Parse.id(input.path.staffId, "staffId"),
            b.draft(),
            expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor)
        return .ok(
            .init(headers: .init(eTag: ETag.header(member.version)), body: .json(.init(member))))
    }

    // MARK: Training

    func listStaffTrainings(_ input: Operations.ListStaffTrainings.Input) async throws
        -> Operations.ListStaffTrainings.Output
    {
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let staffId: StaffMember.ID = try Parse.id(input.path.staffId, "staffId")
        _ = try await services.staff.member(siteId: siteId, staffId: staffId, actor: actor)
        let records = try await services.staff.trainings(siteId: siteId, staffId: staffId, actor: actor)
        return .ok(.init(body: .json(.init(items: records.map { .init($0) }))))
    }

    func addTraining(_ input: Operations.AddTraining.Input) async throws -> Operations.AddTraining.Output {
        let b = try input.body.payload
        guard let gainedOn = try Parse.date(b.gainedOn, "gainedOn") else {
            throw DomainError.invalid("gainedOn", "is required")
        }
        let record = try await services.staff.addTraining(
            siteId: try Parse.id(input.path.siteId, "siteId"), staffId: try Parse.id(input.path.staffId, "staffId"),
            TrainingDraft(
                kind: b.kind.converted(), gainedOn: gainedOn, expiresOn: try Parse.date(b.expiresOn, "expiresOn"),
                certifiedBy: b.certifiedBy), actor: actor)
        return .created(.init(body: .json(.init(record))))
    }

    func linkStaffAccount(_ input: Operations.LinkStaffAccount.Input) async throws
        -> Operations.LinkStaffAccount.Output
    {
        let b = try input.body.payload
        try await services.staff.linkAccount(
            siteId: try Parse.id(input.path.siteId, "siteId"), staffId: try Parse.id(input.path.staffId, "staffId"),
            username: b.username, actor: actor)
        return .noContent(.init())
    }

    func unlinkStaffAccount(_ input: Operations.UnlinkStaffAccount.Input) async throws
        -> Operations.UnlinkStaffAccount.Output
    {
        try await services.staff.linkAccount(
            siteId: try Parse.id(input.path.siteId, "siteId"), staffId: try Parse.id(input.path.staffId, "staffId"),
            username: nil, actor: actor)
        return .noContent(.init())
    }

    func listTrainings(_ input: Operations.ListTrainings.Input) async throws -> Operations.ListTrainings.Output {
        let records = try await services.staff.trainings(
            siteId: try Parse.id(input.path.siteId, "siteId"), kind: input.query.kind?.converted(),
            expiringBy: try Parse.queryDate(input.query.expiringBy, "expiringBy"), actor: actor)
        return .ok(.init(body: .json(.init(items: records.map { .init($0) }))))
    }
}

extension Components.Schemas.TeamInput {
    func draft() throws -> TeamDraft {
        guard let arrivesOn = try Parse.date(arrivesOn, "arrivesOn") else {
            throw DomainError.invalid("arrivesOn", "is required")
        }
        return TeamDraft(
            name: name, dispatchingHospital: dispatchingHospital, arrivesOn: arrivesOn,
            departsOn: try Parse.date(departsOn, "departsOn"),
            leaderStaffId: leaderStaffId.map(StaffMember.ID.init(rawValue:)))
    }
}

extension Components.Schemas.StaffInput {
    func draft() -> StaffDraft {
        StaffDraft(
            code: code, name: name, hospital: hospital, department: department ?? "",
            profession: profession.converted(),
            title: title ?? "", phone: phone, partyMember: partyMember ?? false,
            teamId: teamId.map(Team.ID.init(rawValue:)), status: status?.converted() ?? .active)
    }
}
