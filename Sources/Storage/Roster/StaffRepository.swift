import Domain
import Foundation
import Logging
import PostgresNIO

/// Teams, staff and their training records in SQL.
public struct StaffRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    // MARK: Teams

    static let teamColumns = """
        t.id, t.site_id, t.name, t.dispatching_hospital, t.arrives_on::text, t.departs_on::text, t.leader_staff_id,
        (SELECT count(*)::int FROM staff m WHERE m.site_id = t.site_id AND m.team_id = t.id), t.version
        """

    /// Inserts a team; returns its id.
    public func insertTeam(siteId: Site.ID, _ d: TeamDraft) async throws -> Team.ID {
        try await connection.single(
            """
            INSERT INTO teams (site_id, name, dispatching_hospital, arrives_on, departs_on, leader_staff_id)
            VALUES (\(siteId), \(d.name), \(d.dispatchingHospital), \(d.arrivesOn.description)::date,
                \(d.departsOn?.description)::date,
                    \(d.leaderStaffId))
            RETURNING id
            """, as: Team.ID.self, logger: logger)
    }

    /// Replaces a team's fields and bumps its version.
    public func updateTeam(siteId: Site.ID, id: Team.ID, _ d: TeamDraft) async throws {
        try await connection.query(
            """
            UPDATE teams SET name = \(d.name), dispatching_hospital = \(d.dispatchingHospital), arrives_on =
                \(d.arrivesOn.description)::date,
                departs_on = \(d.departsOn?.description)::date, leader_staff_id = \(d.leaderStaffId), version = version
                    + 1, updated_at = now()
            WHERE site_id = \(siteId) AND id = \(id)
            """, logger: logger)
    }

    /// One team with its member count; with `lock`, locked until the transaction ends.
    public func team(siteId: Site.ID, id: Team.ID, lock: Bool = false) async throws -> Team? {
        try await teams(
            connection.query(
                """
                SELECT \(unescaped: Self.teamColumns) FROM teams t WHERE t.site_id = \(siteId) AND t.id = \(id)
                    \(unescaped: lock ? "FOR UPDATE" : "")
                """, logger: logger)
        ).first
    }

    /// The site's teams by arrival.
    public func teams(siteId: Site.ID) async throws -> [Team] {
        try await teams(
            connection.query(
                "SELECT \(unescaped: Self.teamColumns) FROM teams t WHERE t.site_id = \(siteId) ORDER BY t.arrives_on, t.id",
                logger: logger))
    }

    private func teams(_ rows: PostgresRowSequence) async throws -> [Team] {
        var out: [Team] = []
        for try await r in rows.decode(
            (Team.ID, Site.ID, String, String, CalendarDate, CalendarDate?, StaffMember.ID?, Int, Int).self)
        {
            out.append(
                Team(
                    id: r.0, siteId: r.1, name: r.2, dispatchingHospital: r.3, arrivesOn: r.4,
                    departsOn: r.5, leaderStaffId: r.6, memberCount: r.7, version: r.8))
        }
        return out
    }

    // MARK: Staff

    static let staffColumns =
        "id, site_id, code, name, hospital, department, profession, title, phone, party_member, team_id, status, version"

    /// Inserts a member of staff.
    public func insertStaff(siteId: Site.ID, _ d: StaffDraft) async throws -> StaffMember {
        try await staff(
            connection.query(
                """
                INSERT INTO staff (site_id, code, name, hospital, department, profession, title, phone, party_member,
                    team_id, status)
                VALUES (\(siteId), \(d.code), \(d.name), \(d.hospital), \(d.department), \(d.profession.rawValue),
                    \(d.title), \(d.phone),
                        \(d.partyMember), \(d.teamId), \(d.status.rawValue))
                RETURNING \(unescaped: Self.staffColumns)
                """, logger: logger)
        ).first!
    }

    /// Replaces a member of staff's fields and bumps their version.
    public func updateStaff(siteId: Site.ID, id: StaffMember.ID, _ d: StaffDraft) async throws -> StaffMember {
        try await staff(
            connection.query(
                """
                UPDATE staff SET code = \(d.code), name = \(d.name), hospital = \(d.hospital), department =
                    \(d.department),
                    profession = \(d.profession.rawValue), title = \(d.title), phone = \(d.phone), party_member =
                        \(d.partyMember),
                    team_id = \(d.teamId), status = \(d.status.rawValue), version = version + 1, updated_at = now()
                WHERE site_id = \(siteId) AND id = \(id)
                RETURNING \(unescaped: Self.staffColumns)
                """, logger: logger)
        ).first!
    }

    /// One member of staff; with `lock`, their row stays locked until the transaction ends, which
    /// serialises every roster change that concerns them.
    public func member(siteId: Site.ID, id: StaffMember.ID, lock: Bool = false) async throws -> StaffMember? {
        try await staff(
            connection.query(
                """
                SELECT \(unescaped: Self.staffColumns) FROM staff WHERE site_id = \(siteId) AND id = \(id)
                    \(unescaped: lock ? "FOR UPDATE" : "")
                """, logger: logger)
        ).first
    }

    /// The member of staff at the site who signs in as `userId`, if any.
    public func member(siteId: Site.ID, userId: Int64) async throws -> StaffMember? {
        try await staff(
            connection.query(
                "SELECT \(unescaped: Self.staffColumns) FROM staff WHERE site_id = \(siteId) AND user_id = \(userId)",
                logger: logger)
        ).first
    }

    /// Sets (or, with nil, clears) the account a member of staff signs in with; false when no such
    /// member. A second member linked to the same account at the site is a unique violation.
    public func linkAccount(siteId: Site.ID, id: StaffMember.ID, userId: Int64?) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE staff SET user_id = \(userId), version = version + 1, updated_at = now()
            WHERE site_id = \(siteId) AND id = \(id) RETURNING id
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }

    /// Locks the rows of `ids` in id order, so that two edits touching the same people cannot deadlock.
    public func lock(siteId: Site.ID, ids: [StaffMember.ID]) async throws {
        try await connection.query(
            """
            SELECT id FROM staff WHERE site_id = \(siteId) AND id = ANY(\(ids)) ORDER BY id FOR UPDATE
            """, logger: logger)
    }

    /// The site's staff, optionally of one team, status or profession, by code.
    public func staff(
        siteId: Site.ID, teamId: Team.ID? = nil, status: StaffStatus? = nil, profession: Profession? = nil
    ) async throws -> [StaffMember] {
        try await staff(
            connection.query(
                """
                SELECT \(unescaped: Self.staffColumns) FROM staff
                WHERE site_id = \(siteId) AND (\(teamId)::bigint IS NULL OR team_id = \(teamId)::bigint)
                  AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue)::text)
                  AND (\(profession?.rawValue)::text IS NULL OR profession = \(profession?.rawValue)::text)
                ORDER BY code
                """, logger: logger))
    }

    private func staff(_ rows: PostgresRowSequence) async throws -> [StaffMember] {
        var out: [StaffMember] = []
        for try await r in rows.decode(
            (
                StaffMember.ID, Site.ID, String, String, String, String, Profession, String, String?, Bool, Team.ID?,
                StaffStatus, Int
            ).self)
        {
            out.append(
                StaffMember(
                    id: r.0, siteId: r.1, code: r.2, name: r.3, hospital: r.4, department: r.5,
                    profession: r.6, title: r.7, phone: r.8, partyMember: r.9, teamId: r.10, status: r.11,
                    version: r.12))
        }
        return out
    }

    // MARK: Training

    static let trainingColumns = "id, site_id, staff_id, kind, gained_on::text, expires_on::text, certified_by"

    /// Inserts a training record.
    public func insertTraining(siteId: Site.ID, staffId: StaffMember.ID, _ d: TrainingDraft) async throws -> Training {
        try await trainings(
            connection.query(
                """
                INSERT INTO staff_trainings (site_id, staff_id, kind, gained_on, expires_on, certified_by)
                VALUES (\(siteId), \(staffId), \(d.kind.rawValue), \(d.gainedOn.description)::date,
                    \(d.expiresOn?.description)::date, \(d.certifiedBy))
                RETURNING \(unescaped: Self.trainingColumns)
                """, logger: logger)
        ).first!
    }

    /// Training records of a site, optionally of one person or kind, or expiring on or before a date.
    public func trainings(
        siteId: Site.ID, staffId: StaffMember.ID? = nil, kind: TrainingKind? = nil, expiringBy: CalendarDate? = nil
    ) async throws -> [Training] {
        try await trainings(
            connection.query(
                """
                SELECT \(unescaped: Self.trainingColumns) FROM staff_trainings
                WHERE site_id = \(siteId) AND (\(staffId)::bigint IS NULL OR staff_id = \(staffId)::bigint)
                  AND (\(kind?.rawValue)::text IS NULL OR kind = \(kind?.rawValue)::text)
                  AND (\(expiringBy?.description)::date IS NULL OR expires_on <= \(expiringBy?.description)::date)
                ORDER BY staff_id, kind, gained_on, id
                """, logger: logger))
    }

    private func trainings(_ rows: PostgresRowSequence) async throws -> [Training] {
        var out: [Training] = []
        for try await r in rows.decode(
            (Int64, Site.ID, StaffMember.ID, TrainingKind, CalendarDate, CalendarDate?, String).self)
        {
            out.append(
                Training(
                    id: r.0, siteId: r.1, staffId: r.2, kind: r.3, gainedOn: r.4, expiresOn: r.5, certifiedBy: r.6))
        }
        return out
    }
}
