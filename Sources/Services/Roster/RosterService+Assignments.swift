import Domain
import Foundation
import Storage

/// What an assignment change did.
public struct AssignmentChange: Sendable, Encodable, Equatable {
    public var assignments: [Assignment]
    /// Rules the change breaks that did not stop it: soft ones, and on drafts the hard ones
    /// that will block publishing.
    public var warnings: [RosterFinding]
}

extension RosterService {
    /// Puts a member of staff on a shift as a draft. An overlap or a full shift refuses it;
    /// other broken rules come back as warnings, and block publishing until fixed.
    public func assign(siteId: Site.ID, shiftId: Shift.ID, staffId: StaffMember.ID, actor: Actor) async throws
        -> AssignmentChange
    {
        try actor.require(Self.writers, at: siteId)
        return try await database.transaction(actor) { tx in
            let staff = tx.staff
            let shifts = tx.shifts
            try await staff.lock(siteId: siteId, ids: [staffId])
            guard let person = try await staff.member(siteId: siteId, id: staffId) else {
                throw DomainError.invalid("staffId", "no member of staff \(staffId) at this site")
            }
            let shift = try await shifts.shift(siteId: siteId, id: shiftId, lock: true).orNotFound("shift")
            if shift.assignments.contains(where: { $0.staffId == staffId }) {
                throw DomainError.conflict("\(person.name) is already on this shift", field: "staffId")
            }
            let before = try await RosterContext.affected(
                siteId: siteId, shiftIds: [shiftId], staffIds: [staffId], around: [shift], tx)
            let introduced = RosterChecker.introduced(
                before: before, after: before.adding(staffId: staffId, toShift: shiftId))
            try Self.refuse(introduced.filter { $0.rule.blocks(.draft) }, field: "staffId")
            let id = try await shifts.insertAssignment(siteId: siteId, shiftId: shiftId, staffId: staffId)
            let assignment = try await shifts.assignment(siteId: siteId, id: id)!
            try await tx.audit.record(
                "assign", entity: "shift_assignment", id: id, siteId: siteId, before: Nothing?.none, after: assignment)
            return AssignmentChange(assignments: [assignment], warnings: introduced)
        }
    }

    /// One assignment, cancelled ones included, with its version for `If-Match`.
    public func assignment(siteId: Site.ID, assignmentId: Assignment.ID, actor: Actor) async throws -> Assignment {
        try actor.require(Self.readers, at: siteId)
        let found = try await database.read(actor) { tx in
            try await tx.shifts.assignment(siteId: siteId, id: assignmentId)
        }
        return try found.orNotFound("assignment")
    }

    /// Takes a person off a shift.
    public func cancel(siteId: Site.ID, assignmentId: Assignment.ID, expectedVersion: Int?, actor: Actor) async throws
        -> AssignmentChange
    {
        try await edit(siteId: siteId, ids: [assignmentId], versions: [expectedVersion], action: "cancel", actor: actor)
        { current, before in
            (before.reassigning(assignmentId, to: nil), [(assignmentId, current[0].staffId, AssignmentState.cancelled)])
        }
    }

    /// Gives a person's place on a shift to someone else, keeping its state.
    public func replace(
        siteId: Site.ID, assignmentId: Assignment.ID, with staffId: StaffMember.ID, expectedVersion: Int?, actor: Actor
    ) async throws -> AssignmentChange {
        try await edit(
            siteId: siteId, ids: [assignmentId], versions: [expectedVersion], newStaff: [staffId], action: "replace",
            actor: actor
        ) { current, before in
            if current[0].staffId == staffId {
                throw DomainError.invalid("staffId", "is already the person on this shift")
            }
            if before.shifts.first(where: { $0.id == current[0].shiftId })?.assignments.contains(where: {
                $0.staffId == staffId
            }) == true {
                throw DomainError.conflict("that person is already on this shift", field: "staffId")
            }
            return (before.reassigning(assignmentId, to: staffId), [(assignmentId, staffId, current[0].state)])
        }
    }

    /// Exchanges the people of two assignments, both or neither.
    public func swap(
        siteId: Site.ID, assignmentId: Assignment.ID, expectedVersion: Int?, with otherId: Assignment.ID,
        otherVersion: Int?,
        actor: Actor
    ) async throws -> AssignmentChange {
        try actor.require(Self.writers, at: siteId)
        guard otherId != assignmentId else {
            throw DomainError.invalid("otherAssignmentId", "must be a different assignment")
        }
        guard otherVersion != nil else {
            throw DomainError.invalid("otherVersion", "is required: the version of the other assignment you read")
        }
        return try await edit(
            siteId: siteId, ids: [assignmentId, otherId], versions: [expectedVersion, otherVersion], action: "swap",
            actor: actor
        ) { current, before in
            let (a, b) = (current[0], current[1])
            if a.staffId == b.staffId {
                throw DomainError.invalid("otherAssignmentId", "both assignments are the same person's")
            }
            if a.shiftId == b.shiftId {
                throw DomainError.invalid("otherAssignmentId", "both assignments are on the same shift")
            }
            let after = before.reassigning(a.id, to: b.staffId).reassigning(b.id, to: a.staffId)
            return (after, [(a.id, b.staffId, a.state), (b.id, a.staffId, b.state)])
        }
    }

    /// The common path of every edit: lock people, then shifts, then the assignments; check
    /// versions; refuse what breaks a rule the assignments' state keeps; write; audit.
    private func edit(
        siteId: Site.ID, ids: [Assignment.ID], versions: [Int?], newStaff: [StaffMember.ID] = [], action: String,
        actor: Actor,
        _ plan:
            @escaping @Sendable ([Assignment], RosterSnapshot) throws -> (
                RosterSnapshot, [(Assignment.ID, StaffMember.ID, AssignmentState)]
            )
    ) async throws -> AssignmentChange {
        try actor.require(Self.writers, at: siteId)
        guard versions.allSatisfy({ $0 != nil }) else { throw DomainError.preconditionRequired }
        return try await database.transaction(actor) { tx in
            let staff = tx.staff
            let shifts = tx.shifts
            var seen: [Assignment] = []
            for id in ids { seen.append(try await shifts.assignment(siteId: siteId, id: id).orNotFound("assignment")) }
            for staffId in newStaff where try await staff.member(siteId: siteId, id: staffId) == nil {
                throw DomainError.invalid("staffId", "no member of staff \(staffId) at this site")
            }
            try await staff.lock(siteId: siteId, ids: Array(Set(seen.map(\.staffId) + newStaff)).sorted())
            var lockedShifts: [Shift] = []
            for shiftId in Array(Set(seen.map(\.shiftId))).sorted() {
                lockedShifts.append(try await shifts.shift(siteId: siteId, id: shiftId, lock: true)!)
            }
            var current: [Assignment] = []
            for (id, version) in zip(ids, versions) {
                let row = try await shifts.assignment(siteId: siteId, id: id, lock: true)!
                try row.check(expectedVersion: version)
                guard row.state != .cancelled else {
                    throw DomainError.illegalTransition(from: "cancelled", to: action, allowed: [])
                }
                current.append(row)
            }
            let before = try await RosterContext.affected(
                siteId: siteId, shiftIds: lockedShifts.map(\.id),
                staffIds: Array(Set(current.map(\.staffId) + newStaff)), around: lockedShifts,
                tx)
            let (after, writes) = try plan(current, before)
            let introduced = RosterChecker.introduced(before: before, after: after)
            // Published assignments keep every hard rule; drafts only the capacities.
            let strictest: AssignmentState = current.contains { $0.state == .published } ? .published : .draft
            try Self.refuse(introduced.filter { $0.rule.blocks(strictest) }, field: "staffId")
            if writes.count > 1 { try await shifts.deferOverlapCheck() }
            for (id, staffId, state) in writes {
                try await shifts.setAssignment(siteId: siteId, id: id, staffId: staffId, state: state)
            }
            var changed: [Assignment] = []
            let audit = tx.audit
            for old in current {
                let new = try await shifts.assignment(siteId: siteId, id: old.id)!
                try await audit.record(
                    action, entity: "shift_assignment", id: old.id, siteId: siteId, before: old, after: new)
                changed.append(new)
            }
            return AssignmentChange(assignments: changed, warnings: introduced)
        }
    }
}

extension RosterService {
    /// Everyone on duty who could join a shift and is not on it yet, with what each would break,
    /// the ones who break nothing first.
    public func candidates(siteId: Site.ID, shiftId: Shift.ID, actor: Actor) async throws -> [AssignmentCandidate] {
        try actor.require(Self.writers, at: siteId)
        return try await database.read(actor) { tx in
            let shift = try await tx.shifts.shift(siteId: siteId, id: shiftId).orNotFound("shift")
            let taken = Set(shift.assignments.map(\.staffId))
            let pool = try await tx.staff.staff(siteId: siteId, status: .active, profession: shift.requires).filter {
                !taken.contains($0.id)
            }
            guard !pool.isEmpty else { return [] }
            let before = try await RosterContext.affected(
                siteId: siteId, shiftIds: [shiftId], staffIds: pool.map(\.id), around: [shift], tx)
            let candidates = pool.map { person in
                AssignmentCandidate(
                    staff: person,
                    findings: RosterChecker.introduced(
                        before: before, after: before.adding(staffId: person.id, toShift: shiftId)))
            }
            return candidates.sorted { ($0.findings.count, $0.staff.code) < ($1.findings.count, $1.staff.code) }
        }
    }
}
