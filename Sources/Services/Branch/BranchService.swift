import Domain
import Foundation
import QRCodeImage
import Storage

/// The site's temporary Party branch: its officers and staff members, check-in codes and the
/// patients who check in with them, tasks and the dashboard. The branch secretary manages it;
/// site managers read.
public struct BranchService: Sendable {
    let database: Database
    let settings: ServiceSettings

    public static let managers: Set<Role> = [.branchSecretary]
    public static let readers: Set<Role> = [.branchSecretary, .siteManager]

    // MARK: Branch

    /// Forms the site's branch with its secretary; a site has one active branch at a time.
    public func create(siteId: Site.ID, _ draft: BranchDraft, secretaryStaffId: StaffMember.ID, actor: Actor)
        async throws -> Branch
    {
        try actor.require(Self.managers, at: siteId)
        try draft.validate()
        return try await database.transaction(actor) { tx in
            let repository = tx.branch
            if try await repository.activeBranch(siteId: siteId) != nil {
                throw DomainError.conflict("the site already has an active branch; dissolve it first", field: "name")
            }
            try await requireStaff(secretaryStaffId, siteId: siteId, field: "secretaryStaffId", tx)
            let id = try await repository.insertBranch(siteId: siteId, draft, signingKey: CheckInCodes.newKey())
            try await repository.insertOfficer(
                siteId: siteId, branchId: id, staffId: secretaryStaffId, office: .secretary, from: draft.establishedOn)
            let branch = try await repository.branch(siteId: siteId, id: id)!
            try await tx.audit.record(
                "create", entity: "party_branch", id: id, siteId: siteId, before: Nothing?.none, after: branch)
            return branch
        }
    }

    /// The site's active branch.
    public func activeBranch(siteId: Site.ID, actor: Actor) async throws -> Branch {
        try actor.require(Self.readers, at: siteId)
        let branch = try await database.read(actor) { tx in try await tx.branch.activeBranch(siteId: siteId) }
        guard let branch else { throw DomainError.notFound("the site has no active branch") }
        return branch
    }

    /// Dissolves the active branch on `day` (when the site closes); officers' terms end with it.
    public func dissolve(siteId: Site.ID, on day: CalendarDate, expectedVersion: Int?, actor: Actor) async throws
        -> Branch
    {
        try actor.require(Self.managers, at: siteId)
        guard let expectedVersion else { throw DomainError.preconditionRequired }
        var v = Validator()
        v.plannedDay(day, "dissolvedOn")
        try v.finish()
        return try await withActiveBranch(siteId: siteId, lock: true, actor: actor) { branch, tx in
            let repository = tx.branch
            try branch.check(expectedVersion: expectedVersion)
            guard day >= branch.establishedOn else {
                throw DomainError.invalid("dissolvedOn", "must not be before \(branch.establishedOn)")
            }
            try await repository.dissolve(siteId: siteId, id: branch.id, on: day)
            try await repository.endOfficers(siteId: siteId, branchId: branch.id, on: day)
            let after = try await repository.branch(siteId: siteId, id: branch.id)!
            try await tx.audit.record(
                "dissolve", entity: "party_branch", id: branch.id, siteId: siteId, before: branch, after: after)
            return after
        }
    }

    /// Appoints a deputy secretary or committee member (or a new secretary once the last one's
    /// term ended).
    public func appoint(siteId: Site.ID, staffId: StaffMember.ID, office: Office, from: CalendarDate, actor: Actor)
        async throws -> Branch
    {
        try actor.require(Self.managers, at: siteId)
        var v = Validator()
        v.plannedDay(from, "fromOn")
        try v.finish()
        return try await withActiveBranch(siteId: siteId, lock: true, actor: actor) { branch, tx in
            let repository = tx.branch
            try await requireStaff(staffId, siteId: siteId, field: "staffId", tx)
            try await repository.insertOfficer(
                siteId: siteId, branchId: branch.id, staffId: staffId, office: office, from: from)
            let after = try await repository.branch(siteId: siteId, id: branch.id)!
            try await tx.audit.record(
                "appoint", entity: "party_branch", id: branch.id, siteId: siteId, before: branch, after: after)
            return after
        }
    }

    // MARK: Members

    /// Adds a member of staff to the active branch.
    public func addMember(siteId: Site.ID, _ draft: BranchMemberDraft, actor: Actor) async throws -> BranchMember {
        try actor.require(Self.managers, at: siteId)
        try draft.validate()
        return try await withActiveBranch(siteId: siteId, actor: actor) { branch, tx in
            let repository = tx.branch
            let member = try await requireStaff(draft.staffId, siteId: siteId, field: "staffId", tx)
            guard member.partyMember else {
                throw DomainError.invalid(
                    "staffId", "\(member.name) is not recorded as a Party member; edit the staff record first")
            }
            let id = try await repository.insertMember(siteId: siteId, branchId: branch.id, draft)
            let added = try await repository.members(siteId: siteId, branchId: branch.id).first { $0.id == id }!
            try await tx.audit.record(
                "add_member", entity: "party_branch", id: branch.id, siteId: siteId, before: Nothing?.none, after: added
            )
            return added
        }
    }

    /// Staff members of the active branch.
    public func members(siteId: Site.ID, actor: Actor) async throws -> [BranchMember] {
        let branch = try await activeBranch(siteId: siteId, actor: actor)
        return try await database.read(actor) { tx in try await tx.branch.members(siteId: siteId, branchId: branch.id) }
    }

    // MARK: Check-in codes

    /// Issues a signed check-in code valid for `days`, with the URL its QR code carries.
    public func issueCode(siteId: Site.ID, validForDays days: Int? = nil, actor: Actor) async throws
        -> IssuedCheckInCode
    {
        try actor.require(Self.managers, at: siteId)
        let days = days ?? settings.checkInCodeDays
        guard (1...90).contains(days) else { throw DomainError.invalid("days", "must be between 1 and 90") }
        let expiresAt = Date().addingTimeInterval(Double(days) * 86_400)
        return try await withActiveBranch(siteId: siteId, actor: actor) { branch, tx in
            let repository = tx.branch
            let codeId = try await repository.insertCode(
                siteId: siteId, branchId: branch.id, expiresAt: expiresAt, issuedBy: actor.username)
            let key = try await (repository.signingKey(siteId: siteId, branchId: branch.id)?.key).orNotFound("branch")
            try await tx.audit.record(
                "issue_code", entity: "party_branch", id: branch.id, siteId: siteId, before: Nothing?.none,
                after: ["codeId": codeId, "days": Int64(days)])
            return try issued(
                CheckInClaims(
                    siteId: siteId, branchId: branch.id, codeId: codeId,
                    expiresAt: Int64(expiresAt.timeIntervalSince1970)), keyHex: key)
        }
    }

    /// The code of `claims` and the URL its QR code carries. Signing is deterministic, so an
    /// issued code can be drawn again from what is stored.
    private func issued(_ claims: CheckInClaims, keyHex: String) throws -> IssuedCheckInCode {
        let code = try CheckInCodes.sign(claims, keyHex: keyHex)
        var url = URLComponents(string: settings.checkInBaseURL + "/check-in")!
        url.queryItems = [URLQueryItem(name: "code", value: code)]
        return IssuedCheckInCode(
            codeId: claims.codeId, code: code, url: url.string!,
            expiresAt: Date(timeIntervalSince1970: TimeInterval(claims.expiresAt)))
    }

    /// The poster of an issued, unexpired code.
    public func poster(siteId: Site.ID, codeId: Int64, format: PosterFormat, actor: Actor) async throws -> Data {
        try actor.require(Self.readers, at: siteId)
        let code = try await database.read(actor) { tx in
            let repository = tx.branch
            guard let (branchId, expiresAt) = try await repository.code(siteId: siteId, id: codeId),
                let key = try await repository.signingKey(siteId: siteId, branchId: branchId)?.key
            else {
                throw DomainError.notFound("check-in code not found")
            }
            return try issued(
                CheckInClaims(
                    siteId: siteId, branchId: branchId, codeId: codeId,
                    expiresAt: Int64(expiresAt.timeIntervalSince1970)), keyHex: key)
        }
        guard code.expiresAt > Date() else {
            throw DomainError.expired("check-in code \(codeId) has expired; issue a new one")
        }
        return try poster(for: code, format: format)
    }

    /// A poster for the ward: the code's URL as a QR code, in SVG (with a caption) or PNG.
    public func poster(for code: IssuedCheckInCode, format: PosterFormat) throws -> Data {
        let image = try QRCodeImage(code.url)
        switch format {
        case .svg: return Data(image.svg(caption: "党员患者扫码向临时党支部报到").utf8)
        case .png: return try image.png()
        }
    }

    /// Image formats of the check-in poster.
    public enum PosterFormat: String, Sendable, CaseIterable { case svg, png }

    // MARK: Check-ins

    /// Check-in attempts allowed per code and address in `checkInWindow`.
    static let checkInAttempts = 10
    static let checkInWindow: TimeInterval = 600

    /// A patient's check-in from a scanned code. The code is checked first (genuine, unexpired,
    /// of an active branch), so a made-up code costs one read and is never counted; then the
    /// attempt is counted per code and address; then the patient must be admitted at that site
    /// under this name, birth date and ID ending. A repeat writes nothing and gets the same
    /// answer as the first, which says nothing of the bed or the zone.
    public func checkIn(_ submission: CheckInSubmission, origin: Origin) async throws -> CheckInReceipt {
        try submission.validate()
        let claims = try CheckInCodes.claims(of: submission.code)
        let visitor = Actor(userId: nil, username: "check-in", grants: [], origin: origin)
        let branch = try await database.read(visitor) { tx in
            let repository = tx.branch
            guard let (key, active) = try await repository.signingKey(siteId: claims.siteId, branchId: claims.branchId),
                CheckInCodes.isGenuine(submission.code, keyHex: key),
                let branch = try await repository.branch(siteId: claims.siteId, id: claims.branchId)
            else {
                throw DomainError.forbidden("this check-in code is not genuine; scan the branch's poster again")
            }
            guard active else { throw DomainError.expired("the branch that issued this code has been dissolved") }
            return branch
        }
        let expiry = Date(timeIntervalSince1970: TimeInterval(claims.expiresAt))
        guard expiry > Date() else {
            throw DomainError.expired(
                "this check-in code expired at \(ISO8601DateFormatter().string(from: expiry)); ask the branch for a new one"
            )
        }
        let address = RateLimiter.address(of: origin)
        try await RateLimiter(database: database).admit(
            bucket: "check-in:\(claims.siteId):\(claims.codeId):\(address)", limit: Self.checkInAttempts,
            window: Self.checkInWindow,
            what: "too many check-in attempts with this code from this address")
        return try await database.transaction(visitor) { tx in
            let repository = tx.branch
            let last4 = submission.idLast4.uppercased()
            let matches = try await repository.admittedPatients(
                siteId: claims.siteId, named: submission.name.trimmingCharacters(in: .whitespaces),
                born: submission.dateOfBirth
            )
            .filter { $0.nationalId.hasSuffix(last4) }
            guard matches.count == 1, let patient = matches.first else {
                throw DomainError.invalid([
                    FieldIssue(
                        field: "name",
                        detail: "no patient admitted at this site matches this name, birth date and ID number ending"),
                    FieldIssue(field: "dateOfBirth", detail: "check the birth date"),
                    FieldIssue(field: "idLast4", detail: "check the last 4 characters of the ID number"),
                ])
            }
            let receipt = CheckInReceipt(branchName: branch.name)
            if try await repository.checkIns(siteId: claims.siteId, branchId: claims.branchId, patientId: patient.id)
                .first != nil
            {
                return receipt
            }
            let id = try await repository.insertCheckIn(
                siteId: claims.siteId, branchId: claims.branchId, patientId: patient.id,
                codeId: claims.codeId, homeOrganisation: submission.homeOrganisation,
                phone: submission.phone)
            let checkIn = try await repository.checkIns(
                siteId: claims.siteId, branchId: claims.branchId, patientId: patient.id
            ).first!
            let patientActor = Actor(
                userId: nil, username: "patient \(patient.id) (check-in)", grants: [], origin: origin)
            try await tx.audit(as: patientActor).record(
                "check_in", entity: "party_branch", id: id, siteId: claims.siteId, before: Nothing?.none, after: checkIn
            )
            return receipt
        }
    }

    /// The active branch's check-ins, newest first.
    public func checkIns(siteId: Site.ID, actor: Actor) async throws -> [CheckIn] {
        let branch = try await activeBranch(siteId: siteId, actor: actor)
        return try await database.read(actor) { tx in try await tx.branch.checkIns(siteId: siteId, branchId: branch.id)
        }
    }

    // MARK: Helpers

    @discardableResult
    func requireStaff(_ staffId: StaffMember.ID, siteId: Site.ID, field: String, _ tx: Transaction) async throws
        -> StaffMember
    {
        guard let member = try await tx.staff.member(siteId: siteId, id: staffId) else {
            throw DomainError.invalid(field, "no member of staff \(staffId) at this site")
        }
        return member
    }

    /// Runs `body` in a transaction with the site's active branch (locked when `lock`).
    func withActiveBranch<T: Sendable>(
        siteId: Site.ID, lock: Bool = false, actor: Actor,
        _ body: @escaping @Sendable (Branch, Transaction) async throws -> T
    ) async throws -> T {
        try await database.transaction(actor) { tx in
            let repository = tx.branch
            guard let active = try await repository.activeBranch(siteId: siteId),
                let branch = try await repository.branch(siteId: siteId, id: active.id, lock: lock)
            else {
                throw DomainError.notFound("the site has no active branch")
            }
            return try await body(branch, tx)
        }
    }
}
