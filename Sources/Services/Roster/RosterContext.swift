import Domain
import Foundation
import Storage

/// Loads what the roster rules look at, inside the caller's transaction.
enum RosterContext {
    /// A snapshot of `shifts` with the site's staff, teams and PPE records.
    static func snapshot(
        siteId: Site.ID, shifts: [Shift], rules: RosterRules, timeZone: TimeZone,
        _ tx: Transaction
    ) async throws -> RosterSnapshot {
        let staff = tx.staff
        return RosterSnapshot(
            shifts: shifts, staff: try await staff.staff(siteId: siteId), teams: try await staff.teams(siteId: siteId),
            ppeTrainings: try await staff.trainings(siteId: siteId, kind: .ppeDonningDoffing), rules: rules,
            timeZone: timeZone)
    }

    /// The snapshot a change to `shiftIds` and `staffIds` can affect: those shifts, and every
    /// shift of those people within reach of the rules.
    static func affected(
        siteId: Site.ID, shiftIds: [Shift.ID], staffIds: [StaffMember.ID], around shifts: [Shift],
        _ tx: Transaction
    ) async throws -> RosterSnapshot {
        let repository = tx.shifts
        let rules = try await repository.rules(siteId: siteId)
        let reach = Double(rules.maxConsecutiveDays + 2) * 86_400
        let window =
            shifts.map(\.startsAt).min()!.addingTimeInterval(
                -reach)..<shifts.map(\.endsAt).max()!.addingTimeInterval(reach)
        let loaded = try await repository.shifts(siteId: siteId, ids: shiftIds, orOf: staffIds, window: window)
        let timeZone = try await tx.site(siteId).timeZone
        return try await snapshot(siteId: siteId, shifts: loaded, rules: rules, timeZone: timeZone, tx)
    }
}
