import Domain
import Foundation
import Storage

/// Teams (batches), staff and their training records. Site managers write; the other roles at
/// the site read.
public struct StaffService: Sendable {
    let database: Database

    public static let writers: Set<Role> = [.siteManager]
    public static let readers: Set<Role> = [.siteManager, .clinician, .pharmacist, .branchSecretary]

    // MARK: Teams

    /// Registers a team arriving as a batch (site manager).
    public func createTeam(siteId: Site.ID, _ draft: TeamDraft, actor: Actor) async throws -> Team {
        try actor.require(Self.writers, at: siteId)
        try draft.validate()
        return try await database.transaction(actor) { tx in
            let repository = tx.staff
            try await checkLeader(draft.leaderStaffId, siteId: siteId, repository)
            let id = try await repository.insertTeam(siteId: siteId, draft)
            let team = try await repository.team(siteId: siteId, id: id)!
            try await tx.audit.record(
                "create", entity: "team", id: id, siteId: siteId, before: Nothing?.none, after: team)
            return team
        }
    }

    /// Edits a team (its dates, its leader) when `expectedVersion` is current.
    public func updateTeam(siteId: Site.ID, teamId: Team.ID, _ draft: TeamDraft, expectedVersion: Int?, actor: Actor)
        async throws -> Team
    {
        try actor.require(Self.writers, at: siteId)
        guard let expectedVersion else { throw DomainError.preconditionRequired }
        try draft.validate()
        return try await database.transaction(actor) { tx in
            let repository = tx.staff
            let before = try await repository.team(siteId: siteId, id: teamId, lock: true).orNotFound("team")
            try before.check(expectedVersion: expectedVersion)
            try await checkLeader(draft.leaderStaffId, siteId: siteId, repository)
            try await repository.updateTeam(siteId: siteId, id: teamId, draft)
            let after = try await repository.team(siteId: siteId, id: teamId)!
            try await tx.audit.record(
                "update", entity: "team", id: teamId, siteId: siteId, before: before, after: after)
            return after
        }
    }

    private func checkLeader(_ leaderId: StaffMember.ID?, siteId: Site.ID, _ repository: StaffRepository) async throws {
        if let leaderId, try await repository.member(siteId: siteId, id: leaderId) == nil {
            throw DomainError.invalid("leaderStaffId", "no member of staff \(leaderId) at this site")
        }
    }

    /// One team of the site.
    public func team(siteId: Site.ID, teamId: Team.ID, actor: Actor) async throws -> Team {
        try actor.require(Self.readers, at: siteId)
        let team = try await database.read(actor) { tx in try await tx.staff.team(siteId: siteId, id: teamId) }
        guard let team else { throw DomainError.notFound("team not found") }
        return team
    }

    /// The team called `name` (or numbered `name`) at the site.
    public func team(siteId: Site.ID, named name: String, actor: Actor) async throws -> Team {
        try await teams(siteId: siteId, actor: actor).first { $0.name == name || String($0.id) == name }
            .orThrow(DomainError.notFound("no team \(name) at this site"))
    }

    /// The site's teams, by arrival.
    public func teams(siteId: Site.ID, actor: Actor) async throws -> [Team] {
        try actor.require(Self.readers, at: siteId)
        return try await database.read(actor) { tx in try await tx.staff.teams(siteId: siteId) }
    }

    // MARK: Staff

    /// Adds a member of staff (site manager); the work number is unique at the site.
    public func createStaff(siteId: Site.ID, _ draft: StaffDraft, actor: Actor) async throws -> StaffMember {
        try actor.require(Self.writers, at: siteId)
        try draft.validate()
        return try await database.transaction(actor) { tx in
            let repository = tx.staff
            let member = try await repository.insertStaff(siteId: siteId, draft)
            try await tx.audit.record(
                "create", entity: "staff", id: member.id, siteId: siteId, before: Nothing?.none, after: member)
            return member
        }
    }

    /// Edits a member of staff (status included: off duty, departed) when `expectedVersion` is current.
    public func updateStaff(
        siteId: Site.ID, staffId: StaffMember.ID, _ draft: StaffDraft, expectedVersion: Int?, actor: Actor
    ) async throws -> StaffMember {
        try actor.require(Self.writers, at: siteId)
        guard let expectedVersion else { throw DomainError.preconditionRequired }
        try draft.validate()
        return try await database.transaction(actor) { tx in
            let repository = tx.staff
            let before = try await repository.member(siteId: siteId, id: staffId, lock: true).orNotFound(
                "member of staff")
            try before.check(expectedVersion: expectedVersion)
            let after = try await repository.updateStaff(siteId: siteId, id: staffId, draft)
            try await tx.audit.record(
                "update", entity: "staff", id: staffId, siteId: siteId, before: before, after: after)
            return after
        }
    }

    /// Links a member of staff to the user account they sign in with (site manager), or unlinks
    /// them with a nil `username`, so the console can show the person their own roster.
    public func linkAccount(siteId: Site.ID, staffId: StaffMember.ID, username: String?, actor: Actor) async throws {
        try actor.require(Self.writers, at: siteId)
        try await database.transaction(actor) { tx in
            var userId: Int64?
            if let username {
                let user = try await tx.access.user(username: username)
                guard let user else { throw DomainError.invalid("user", "no user named \(username)") }
                userId = user.id
            }
            guard try await tx.staff.linkAccount(siteId: siteId, id: staffId, userId: userId) else {
                throw DomainError.notFound("member of staff not found")
            }
            try await tx.audit.record(
                username == nil ? "unlink_account" : "link_account", entity: "staff", id: staffId, siteId: siteId,
                before: Nothing?.none, after: username.map { ["user": $0] })
        }
    }

    /// The signed-in person's own record at the site, when their account is linked to one.
    public func ownRecord(siteId: Site.ID, actor: Actor) async throws -> StaffMember? {
        try actor.require(Self.readers, at: siteId)
        guard let userId = actor.userId else { return nil }
        return try await database.read(actor) { tx in try await tx.staff.member(siteId: siteId, userId: userId) }
    }

    /// One member of staff by id.
    public func member(siteId: Site.ID, staffId: StaffMember.ID, actor: Actor) async throws -> StaffMember {
        try actor.require(Self.readers, at: siteId)
        let member = try await database.read(actor) { tx in try await tx.staff.member(siteId: siteId, id: staffId) }
        guard let member else { throw DomainError.notFound("member of staff not found") }
        return member
    }

    /// A member of staff by work number, as the CLI and CSV name them.
    public func member(siteId: Site.ID, code: String, actor: Actor) async throws -> StaffMember {
        let found = try await staff(siteId: siteId, actor: actor).first { $0.code == code }
        guard let found else { throw DomainError.notFound("no member of staff with code \(code) at this site") }
        return found
    }

    /// The site's staff by work number, optionally of one team, status or profession.
    public func staff(
        siteId: Site.ID, teamId: Team.ID? = nil, status: StaffStatus? = nil, profession: Profession? = nil,
        actor: Actor
    ) async throws -> [StaffMember] {
        try actor.require(Self.readers, at: siteId)
        return try await database.read(actor) { tx in
            try await tx.staff.staff(siteId: siteId, teamId: teamId, status: status, profession: profession)
        }
    }

    // MARK: Training

    /// Records a training or certification of a member of staff (site manager).
    public func addTraining(siteId: Site.ID, staffId: StaffMember.ID, _ draft: TrainingDraft, actor: Actor) async throws
        -> Training
    {
        try actor.require(Self.writers, at: siteId)
        try draft.validate()
        return try await database.transaction(actor) { tx in
            let repository = tx.staff
            guard try await repository.member(siteId: siteId, id: staffId) != nil else {
                throw DomainError.notFound("member of staff not found")
            }
            let training = try await repository.insertTraining(siteId: siteId, staffId: staffId, draft)
            try await tx.audit.record(
                "create", entity: "training", id: training.id, siteId: siteId, before: Nothing?.none, after: training)
            return training
        }
    }

    /// Training records, optionally of one person or kind, or expiring on or before `expiringBy`.
    public func trainings(
        siteId: Site.ID, staffId: StaffMember.ID? = nil, kind: TrainingKind? = nil, expiringBy: CalendarDate? = nil,
        actor: Actor
    ) async throws -> [Training] {
        try actor.require(Self.readers, at: siteId)
        return try await database.read(actor) { tx in
            try await tx.staff.trainings(siteId: siteId, staffId: staffId, kind: kind, expiringBy: expiringBy)
        }
    }
}
