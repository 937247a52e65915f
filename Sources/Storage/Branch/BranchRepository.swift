import Domain
import Foundation
import Logging
import PostgresNIO

/// The Party branch, its officers, members, check-in codes, check-ins and tasks in SQL.
public struct BranchRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    // MARK: Branch and officers

    /// Inserts an active branch; the partial unique index refuses a second one at the site.
    public func insertBranch(siteId: Site.ID, _ d: BranchDraft, signingKey: String) async throws -> Branch.ID {
        try await connection.single(
            """
            INSERT INTO party_branches (site_id, name, parent_organisation, established_on, signing_key)
            VALUES (\(siteId), \(d.name), \(d.parentOrganisation), \(d.establishedOn.description)::date, \(signingKey))
            RETURNING id
            """, as: Branch.ID.self, logger: logger)
    }

    static let branchColumns =
        "id, site_id, name, parent_organisation, established_on::text, dissolved_on::text, status, version"

    /// One branch with its officers; with `lock`, locked until the transaction ends.
    public func branch(siteId: Site.ID, id: Branch.ID, lock: Bool = false) async throws -> Branch? {
        try await withOfficers(
            branches(
                connection.query(
                    """
                    SELECT \(unescaped: Self.branchColumns) FROM party_branches WHERE site_id = \(siteId) AND id = \(id)
                        \(unescaped: lock ? "FOR UPDATE" : "")
                    """, logger: logger))
        ).first
    }

    /// The site's active branch, if it has one.
    public func activeBranch(siteId: Site.ID) async throws -> Branch? {
        try await withOfficers(
            branches(
                connection.query(
                    """
                    SELECT \(unescaped: Self.branchColumns) FROM party_branches WHERE site_id = \(siteId) AND status =
                        'active'
                    """, logger: logger))
        ).first
    }

    /// The key that signs a branch's codes, with whether the branch is active.
    public func signingKey(siteId: Site.ID, branchId: Branch.ID) async throws -> (key: String, active: Bool)? {
        for try await r in try await connection.query(
            """
            SELECT signing_key, status = 'active' FROM party_branches WHERE site_id = \(siteId) AND id = \(branchId)
            """, logger: logger
        ).decode((String, Bool).self) { return (r.0, r.1) }
        return nil
    }

    public func dissolve(siteId: Site.ID, id: Branch.ID, on day: CalendarDate) async throws {
        try await connection.query(
            """
            UPDATE party_branches SET status = 'dissolved', dissolved_on = \(day.description)::date, version = version +
                1
            WHERE site_id = \(siteId) AND id = \(id)
            """, logger: logger)
    }

    private func branches(_ rows: PostgresRowSequence) async throws -> [Branch] {
        var out: [Branch] = []
        for try await r in rows.decode(
            (Branch.ID, Site.ID, String, String, CalendarDate, CalendarDate?, BranchStatus, Int).self)
        {
            out.append(
                Branch(
                    id: r.0, siteId: r.1, name: r.2, parentOrganisation: r.3, establishedOn: r.4,
                    dissolvedOn: r.5, status: r.6, officers: [],
                    version: r.7))
        }
        return out
    }

    private func withOfficers(_ branches: [Branch]) async throws -> [Branch] {
        var out = branches
        for i in out.indices {
            for try await r in try await connection.query(
                """
                SELECT o.id, o.staff_id, m.name, o.office, o.from_on::text, o.until_on::text
                FROM branch_officers o JOIN staff m ON m.site_id = o.site_id AND m.id = o.staff_id
                WHERE o.site_id = \(out[i].siteId) AND o.branch_id = \(out[i].id) ORDER BY
                    array_position(ARRAY['secretary', 'deputy_secretary', 'committee_member'], o.office), o.id
                """, logger: logger
            ).decode((Int64, StaffMember.ID, String, Office, CalendarDate, CalendarDate?).self) {
                out[i].officers.append(
                    Officer(
                        id: r.0, staffId: r.1, staffName: r.2, office: r.3, fromOn: r.4,
                        untilOn: r.5))
            }
        }
        return out
    }

    /// Appoints an officer; a unique index keeps one sitting secretary.
    public func insertOfficer(
        siteId: Site.ID, branchId: Branch.ID, staffId: StaffMember.ID, office: Office, from: CalendarDate
    ) async throws {
        try await connection.query(
            """
            INSERT INTO branch_officers (site_id, branch_id, staff_id, office, from_on)
            VALUES (\(siteId), \(branchId), \(staffId), \(office.rawValue), \(from.description)::date)
            """, logger: logger)
    }

    /// Ends every sitting officer's term (when the branch is dissolved).
    public func endOfficers(siteId: Site.ID, branchId: Branch.ID, on day: CalendarDate) async throws {
        try await connection.query(
            """
            UPDATE branch_officers SET until_on = \(day.description)::date
            WHERE site_id = \(siteId) AND branch_id = \(branchId) AND until_on IS NULL
            """, logger: logger)
    }

    // MARK: Members

    public func insertMember(siteId: Site.ID, branchId: Branch.ID, _ d: BranchMemberDraft) async throws -> Int64 {
        try await connection.single(
            """
            INSERT INTO branch_members (site_id, branch_id, staff_id, joined_on, role, joined_front_line)
            VALUES (\(siteId), \(branchId), \(d.staffId), \(d.joinedOn.description)::date, \(d.role),
                \(d.joinedFrontLine))
            RETURNING id
            """, as: Int64.self, logger: logger)
    }

    /// Staff members of a branch by work number.
    public func members(siteId: Site.ID, branchId: Branch.ID) async throws -> [BranchMember] {
        var out: [BranchMember] = []
        for try await r in try await connection.query(
            """
            SELECT b.id, b.staff_id, m.code, m.name, m.profession, b.joined_on::text, b.role, b.joined_front_line
            FROM branch_members b JOIN staff m ON m.site_id = b.site_id AND m.id = b.staff_id
            WHERE b.site_id = \(siteId) AND b.branch_id = \(branchId) ORDER BY m.code
            """, logger: logger
        ).decode((Int64, StaffMember.ID, String, String, Profession, CalendarDate, String, Bool).self) {
            out.append(
                BranchMember(
                    id: r.0, staffId: r.1, staffCode: r.2, staffName: r.3, profession: r.4,
                    joinedOn: r.5, role: r.6, joinedFrontLine: r.7))
        }
        return out
    }

    // MARK: Codes and check-ins

    public func insertCode(siteId: Site.ID, branchId: Branch.ID, expiresAt: Date, issuedBy: String) async throws
        -> Int64
    {
        try await connection.single(
            """
            INSERT INTO branch_checkin_codes (site_id, branch_id, expires_at, issued_by)
            VALUES (\(siteId), \(branchId), \(expiresAt), \(issuedBy)) RETURNING id
            """, as: Int64.self, logger: logger)
    }

    /// The branch and expiry of an issued code.
    public func code(siteId: Site.ID, id: Int64) async throws -> (branchId: Branch.ID, expiresAt: Date)? {
        for try await r in try await connection.query(
            """
            SELECT branch_id, expires_at FROM branch_checkin_codes WHERE site_id = \(siteId) AND id = \(id)
            """, logger: logger
        ).decode((Branch.ID, Date).self) { return (r.0, r.1) }
        return nil
    }

    /// Admitted patients of the site with this exact name and birth date: their ids and ID
    /// numbers, locked so two check-ins of one person take turns.
    public func admittedPatients(siteId: Site.ID, named name: String, born: CalendarDate) async throws -> [(
        id: Patient.ID, nationalId: String
    )] {
        var out: [(Patient.ID, String)] = []
        for try await r in try await connection.query(
            """
            SELECT id, national_id FROM patients
            WHERE site_id = \(siteId) AND status = 'admitted' AND name = \(name) AND date_of_birth =
                \(born.description)::date
            FOR UPDATE
            """, logger: logger
        ).decode((Patient.ID, String).self) { out.append(r) }
        return out.map { (id: $0.0, nationalId: $0.1) }
    }

    /// Records a check-in; the unique key refuses a second one by the same patient.
    public func insertCheckIn(
        siteId: Site.ID, branchId: Branch.ID, patientId: Patient.ID, codeId: Int64, homeOrganisation: String,
        phone: String
    ) async throws -> CheckIn.ID {
        try await connection.single(
            """
            INSERT INTO branch_checkins (site_id, branch_id, patient_id, code_id, home_organisation, phone)
            VALUES (\(siteId), \(branchId), \(patientId), \(codeId), \(homeOrganisation), \(phone)) RETURNING id
            """, as: CheckIn.ID.self, logger: logger)
    }

    static let checkInSelect = """
        SELECT c.id, c.branch_id, c.patient_id, p.name, b.code, z.code, c.home_organisation, c.phone, c.checked_in_at
        FROM branch_checkins c JOIN patients p ON p.site_id = c.site_id AND p.id = c.patient_id
        LEFT JOIN bed_assignments a ON a.site_id = p.site_id AND a.patient_id = p.id AND upper_inf(a.during)
        LEFT JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
        LEFT JOIN zones z ON z.site_id = b.site_id AND z.id = b.zone_id
        """

    /// Check-ins of a branch, newest first; optionally only one patient's.
    public func checkIns(siteId: Site.ID, branchId: Branch.ID, patientId: Patient.ID? = nil) async throws -> [CheckIn] {
        var out: [CheckIn] = []
        for try await r in try await connection.query(
            """
            \(unescaped: Self.checkInSelect)
            WHERE c.site_id = \(siteId) AND c.branch_id = \(branchId) AND (\(patientId)::bigint IS NULL OR c.patient_id
                = \(patientId)::bigint)
            ORDER BY c.checked_in_at DESC, c.id DESC
            """, logger: logger
        ).decode((CheckIn.ID, Branch.ID, Patient.ID, String, String?, String?, String, String, Date).self) {
            out.append(
                CheckIn(
                    id: r.0, branchId: r.1, patientId: r.2, patientName: r.3, bedCode: r.4, zoneCode: r.5,
                    homeOrganisation: r.6, phone: r.7, checkedInAt: r.8))
        }
        return out
    }

    // MARK: Tasks

    static let taskSelect = """
        SELECT t.id, t.branch_id, t.title, t.description, t.zone_id, t.place, t.starts_at, t.ends_at,
            t.assignee_staff_id,
               t.assignee_checkin_id, coalesce(m.name, p.name), t.status, t.version
        FROM branch_tasks t
        LEFT JOIN staff m ON m.site_id = t.site_id AND m.id = t.assignee_staff_id
        LEFT JOIN branch_checkins c ON c.site_id = t.site_id AND c.id = t.assignee_checkin_id
        LEFT JOIN patients p ON p.site_id = c.site_id AND p.id = c.patient_id
        """

    public func insertTask(siteId: Site.ID, branchId: Branch.ID, _ d: BranchTaskDraft) async throws -> BranchTask.ID {
        try await connection.single(
            """
            INSERT INTO branch_tasks (site_id, branch_id, title, description, zone_id, place, starts_at, ends_at,
                assignee_staff_id, assignee_checkin_id)
            VALUES (\(siteId), \(branchId), \(d.title), \(d.description), \(d.zoneId), \(d.place), \(d.startsAt),
                \(d.endsAt),
                    \(d.assigneeStaffId), \(d.assigneeCheckInId))
            RETURNING id
            """, as: BranchTask.ID.self, logger: logger)
    }

    public func task(siteId: Site.ID, id: BranchTask.ID, lock: Bool = false) async throws -> BranchTask? {
        try await tasks(
            connection.query(
                """
                \(unescaped: Self.taskSelect) WHERE t.site_id = \(siteId) AND t.id = \(id)
                    \(unescaped: lock ? "FOR UPDATE OF t" : "")
                """, logger: logger)
        ).first
    }

    /// A branch's tasks by start time, optionally in one status.
    public func tasks(siteId: Site.ID, branchId: Branch.ID, status: BranchTaskStatus? = nil) async throws
        -> [BranchTask]
    {
        try await tasks(
            connection.query(
                """
                \(unescaped: Self.taskSelect)
                WHERE t.site_id = \(siteId) AND t.branch_id = \(branchId) AND (\(status?.rawValue)::text IS NULL OR
                    t.status = \(status?.rawValue)::text)
                ORDER BY t.starts_at, t.id
                """, logger: logger))
    }

    public func setTaskStatus(siteId: Site.ID, id: BranchTask.ID, _ status: BranchTaskStatus) async throws {
        try await connection.query(
            """
            UPDATE branch_tasks SET status = \(status.rawValue), version = version + 1 WHERE site_id = \(siteId) AND id
                = \(id)
            """, logger: logger)
    }

    private func tasks(_ rows: PostgresRowSequence) async throws -> [BranchTask] {
        var out: [BranchTask] = []
        for try await r in rows.decode(
            (
                BranchTask.ID, Branch.ID, String, String, Zone.ID?, String, Date, Date, StaffMember.ID?, CheckIn.ID?,
                String?, BranchTaskStatus, Int
            ).self)
        {
            out.append(
                BranchTask(
                    id: r.0, branchId: r.1, title: r.2, description: r.3, zoneId: r.4, place: r.5, startsAt: r.6,
                    endsAt: r.7,
                    assigneeStaffId: r.8, assigneeCheckInId: r.9, assigneeName: r.10,
                    status: r.11,
                    version: r.12))
        }
        return out
    }
}
