import Domain
import Foundation
import Logging
import PostgresNIO

/// Roster rules, shift templates, shifts and assignments in SQL.
public struct ShiftRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    // MARK: Rules

    /// The site's rules, or the defaults when it has set none.
    public func rules(siteId: Site.ID) async throws -> RosterRules {
        for try await r in try await connection.query(
            """
            SELECT min_rest_minutes, contaminated_cap_minutes, max_consecutive_days, version FROM roster_rules WHERE
                site_id = \(siteId)
            """, logger: logger
        ).decode((Int, Int, Int, Int).self) {
            return RosterRules(minRestMinutes: r.0, contaminatedCapMinutes: r.1, maxConsecutiveDays: r.2, version: r.3)
        }
        return .defaults
    }

    /// Inserts or replaces the site's rules, bumping their version.
    public func saveRules(siteId: Site.ID, _ r: RosterRules) async throws {
        try await connection.query(
            """
            INSERT INTO roster_rules (site_id, min_rest_minutes, contaminated_cap_minutes, max_consecutive_days)
            VALUES (\(siteId), \(r.minRestMinutes), \(r.contaminatedCapMinutes), \(r.maxConsecutiveDays))
            ON CONFLICT (site_id) DO UPDATE SET min_rest_minutes = EXCLUDED.min_rest_minutes,
                contaminated_cap_minutes = EXCLUDED.contaminated_cap_minutes, max_consecutive_days =
                    EXCLUDED.max_consecutive_days,
                version = roster_rules.version + 1, updated_at = now()
            """, logger: logger)
    }

    // MARK: Templates

    static let templateColumns =
        "id, site_id, name, zone_id, requires, to_char(starts_at, 'HH24:MI'), minutes, min_staff, max_staff"

    /// Inserts a shift template.
    public func insertTemplate(siteId: Site.ID, _ d: ShiftTemplateDraft) async throws -> ShiftTemplate {
        try await templates(
            connection.query(
                """
                INSERT INTO shift_templates (site_id, name, zone_id, requires, starts_at, minutes, min_staff, max_staff)
                VALUES (\(siteId), \(d.name), \(d.zoneId), \(d.requires?.rawValue), \(d.startTime)::time, \(d.minutes),
                    \(d.minStaff), \(d.maxStaff))
                RETURNING \(unescaped: Self.templateColumns)
                """, logger: logger)
        ).first!
    }

    /// The site's templates by start time.
    public func templates(siteId: Site.ID) async throws -> [ShiftTemplate] {
        try await templates(
            connection.query(
                "SELECT \(unescaped: Self.templateColumns) FROM shift_templates WHERE site_id = \(siteId) ORDER BY starts_at, name",
                logger: logger))
    }

    private func templates(_ rows: PostgresRowSequence) async throws -> [ShiftTemplate] {
        var out: [ShiftTemplate] = []
        for try await r in rows.decode(
            (ShiftTemplate.ID, Site.ID, String, Zone.ID, Profession?, String, Int, Int, Int).self)
        {
            out.append(
                ShiftTemplate(
                    id: r.0, siteId: r.1, name: r.2, zoneId: r.3, requires: r.4, startTime: r.5,
                    minutes: r.6, minStaff: r.7, maxStaff: r.8))
        }
        return out
    }

    // MARK: Shifts

    static let shiftColumns = """
        s.id, s.site_id, s.zone_id, z.code, z.kind, s.requires, s.label, s.starts_at, s.ends_at, s.min_staff,
            s.max_staff, s.template_id
        """
    static let shiftFrom = "shifts s JOIN zones z ON z.site_id = s.site_id AND z.id = s.zone_id"

    /// Inserts shifts, skipping any whose zone, role and times already exist; returns how many were new.
    public func insertShifts(siteId: Site.ID, _ drafts: [ShiftDraft]) async throws -> Int {
        guard !drafts.isEmpty else { return 0 }
        return try await connection.single(
            """
            WITH inserted AS (
                INSERT INTO shifts (site_id, zone_id, requires, label, starts_at, ends_at, min_staff, max_staff,
                    template_id)
                SELECT \(siteId), zone, NULLIF(requires, ''), label, starts, ends, min, max, NULLIF(template, 0)
                FROM unnest(\(drafts.map(\.zoneId)), \(drafts.map { $0.requires?.rawValue ?? "" }),
                    \(drafts.map(\.label)),
                            \(drafts.map(\.startsAt)), \(drafts.map(\.endsAt)), \(drafts.map(\.minStaff)),
                                \(drafts.map(\.maxStaff)),
                            \(drafts.map { $0.templateId ?? 0 }))
                     AS d(zone, requires, label, starts, ends, min, max, template)
                ON CONFLICT ON CONSTRAINT shifts_slot_key DO NOTHING
                RETURNING 1)
            SELECT count(*)::int FROM inserted
            """, as: Int.self, logger: logger)
    }

    /// Inserts one shift; returns its id.
    public func insertShift(siteId: Site.ID, _ d: ShiftDraft) async throws -> Shift.ID {
        try await connection.single(
            """
            INSERT INTO shifts (site_id, zone_id, requires, label, starts_at, ends_at, min_staff, max_staff,
                template_id)
            VALUES (\(siteId), \(d.zoneId), \(d.requires?.rawValue), \(d.label), \(d.startsAt), \(d.endsAt),
                \(d.minStaff), \(d.maxStaff),
                    \(d.templateId))
            RETURNING id
            """, as: Shift.ID.self, logger: logger)
    }

    /// One shift with its assignments; with `lock`, the shift row stays locked until the
    /// transaction ends, which serialises staffing changes on it.
    public func shift(siteId: Site.ID, id: Shift.ID, lock: Bool = false) async throws -> Shift? {
        let found = try await shifts(
            connection.query(
                """
                SELECT \(unescaped: Self.shiftColumns) FROM \(unescaped: Self.shiftFrom) WHERE s.site_id = \(siteId) AND
                    s.id = \(id)
                \(unescaped: lock ? "FOR UPDATE OF s" : "")
                """, logger: logger))
        return try await withAssignments(siteId: siteId, found).first
    }

    /// Shifts starting in `period` with their assignments, by start time; optionally only those
    /// that one person is on.
    public func shifts(siteId: Site.ID, period: Range<Date>, staffId: StaffMember.ID? = nil) async throws -> [Shift] {
        let found = try await shifts(
            connection.query(
                """
                SELECT \(unescaped: Self.shiftColumns) FROM \(unescaped: Self.shiftFrom)
                WHERE s.site_id = \(siteId) AND s.starts_at >= \(period.lowerBound) AND s.starts_at <
                    \(period.upperBound)
                  AND (\(staffId)::bigint IS NULL OR EXISTS (
                       SELECT 1 FROM shift_assignments a WHERE a.site_id = s.site_id AND a.shift_id = s.id
                         AND a.staff_id = \(staffId)::bigint AND a.state <> 'cancelled'))
                ORDER BY s.starts_at, z.code, s.id
                """, logger: logger))
        return try await withAssignments(siteId: siteId, found)
    }

    /// The shifts a change could affect: `shiftIds`, and every shift in `window` that one of
    /// `staffIds` is on, with all their assignments.
    public func shifts(siteId: Site.ID, ids shiftIds: [Shift.ID], orOf staffIds: [StaffMember.ID], window: Range<Date>)
        async throws -> [Shift]
    {
        let found = try await shifts(
            connection.query(
                """
                SELECT \(unescaped: Self.shiftColumns) FROM \(unescaped: Self.shiftFrom)
                WHERE s.site_id = \(siteId) AND (s.id = ANY(\(shiftIds)) OR (s.starts_at >= \(window.lowerBound) AND
                    s.starts_at < \(window.upperBound)
                  AND EXISTS (SELECT 1 FROM shift_assignments a WHERE a.site_id = s.site_id AND a.shift_id = s.id
                                AND a.staff_id = ANY(\(staffIds)) AND a.state <> 'cancelled')))
                ORDER BY s.starts_at, s.id
                """, logger: logger))
        return try await withAssignments(siteId: siteId, found)
    }

    private func shifts(_ rows: PostgresRowSequence) async throws -> [Shift] {
        var out: [Shift] = []
        for try await r in rows.decode(
            (Shift.ID, Site.ID, Zone.ID, String, ZoneKind, Profession?, String, Date, Date, Int, Int, ShiftTemplate.ID?)
                .self)
        {
            out.append(
                Shift(
                    id: r.0, siteId: r.1, zoneId: r.2, zoneCode: r.3, zoneKind: r.4,
                    requires: r.5, label: r.6, startsAt: r.7, endsAt: r.8, minStaff: r.9,
                    maxStaff: r.10,
                    templateId: r.11))
        }
        return out
    }

    private func withAssignments(siteId: Site.ID, _ shifts: [Shift]) async throws -> [Shift] {
        guard !shifts.isEmpty else { return shifts }
        let all = try await assignments(
            connection.query(
                """
                SELECT \(unescaped: Self.assignmentColumns) FROM \(unescaped: Self.assignmentFrom)
                WHERE a.site_id = \(siteId) AND a.shift_id = ANY(\(shifts.map(\.id))) AND a.state <> 'cancelled'
                ORDER BY m.code
                """, logger: logger))
        let byShift = Dictionary(grouping: all, by: \.shiftId)
        return shifts.map {
            var s = $0
            s.assignments = byShift[s.id] ?? []
            return s
        }
    }

    // MARK: Assignments

    static let assignmentColumns = "a.id, a.site_id, a.shift_id, a.staff_id, m.code, m.name, a.state, a.version"
    static let assignmentFrom = "shift_assignments a JOIN staff m ON m.site_id = a.site_id AND m.id = a.staff_id"

    /// Puts `staffId` on `shiftId` as a draft; the exclusion constraint refuses an overlap.
    public func insertAssignment(siteId: Site.ID, shiftId: Shift.ID, staffId: StaffMember.ID) async throws
        -> Assignment.ID
    {
        try await connection.single(
            """
            INSERT INTO shift_assignments (site_id, shift_id, staff_id, during)
            SELECT site_id, id, \(staffId), tstzrange(starts_at, ends_at) FROM shifts WHERE site_id = \(siteId) AND id =
                \(shiftId)
            RETURNING id
            """, as: Assignment.ID.self, logger: logger)
    }

    /// Inserts many draft assignments at once (CSV import): pairs of shift and staff ids.
    public func insertAssignments(siteId: Site.ID, shiftIds: [Shift.ID], staffIds: [StaffMember.ID]) async throws -> Int
    {
        guard !shiftIds.isEmpty else { return 0 }
        return try await connection.single(
            """
            WITH inserted AS (
                INSERT INTO shift_assignments (site_id, shift_id, staff_id, during)
                SELECT s.site_id, s.id, n.staff, tstzrange(s.starts_at, s.ends_at)
                FROM unnest(\(shiftIds), \(staffIds)) AS n(shift, staff) JOIN shifts s ON s.site_id = \(siteId) AND s.id
                    = n.shift
                RETURNING 1)
            SELECT count(*)::int FROM inserted
            """, as: Int.self, logger: logger)
    }

    /// One assignment; with `lock`, locked until the transaction ends.
    public func assignment(siteId: Site.ID, id: Assignment.ID, lock: Bool = false) async throws -> Assignment? {
        try await assignments(
            connection.query(
                """
                SELECT \(unescaped: Self.assignmentColumns) FROM \(unescaped: Self.assignmentFrom) WHERE a.site_id =
                    \(siteId) AND a.id = \(id)
                \(unescaped: lock ? "FOR UPDATE OF a" : "")
                """, logger: logger)
        ).first
    }

    /// Sets an assignment's person and state and bumps its version.
    public func setAssignment(siteId: Site.ID, id: Assignment.ID, staffId: StaffMember.ID, state: AssignmentState)
        async throws
    {
        try await connection.query(
            """
            UPDATE shift_assignments SET staff_id = \(staffId), state = \(state.rawValue), version = version + 1,
                updated_at = now()
            WHERE site_id = \(siteId) AND id = \(id)
            """, logger: logger)
    }

    /// Lets a swap pass through a moment where one person holds both shifts.
    public func deferOverlapCheck() async throws {
        try await connection.query("SET CONSTRAINTS shift_assignments_no_overlap DEFERRED", logger: logger)
    }

    /// Publishes every draft on shifts starting in `period`; returns how many.
    public func publish(siteId: Site.ID, period: Range<Date>) async throws -> Int {
        try await connection.single(
            """
            WITH published AS (
                UPDATE shift_assignments a SET state = 'published', version = a.version + 1, updated_at = now()
                FROM shifts s
                WHERE a.site_id = \(siteId) AND a.state = 'draft' AND s.site_id = a.site_id AND s.id = a.shift_id
                  AND s.starts_at >= \(period.lowerBound) AND s.starts_at < \(period.upperBound)
                RETURNING 1)
            SELECT count(*)::int FROM published
            """, as: Int.self, logger: logger)
    }

    private func assignments(_ rows: PostgresRowSequence) async throws -> [Assignment] {
        var out: [Assignment] = []
        for try await r in rows.decode(
            (Assignment.ID, Site.ID, Shift.ID, StaffMember.ID, String, String, AssignmentState, Int).self)
        {
            out.append(
                Assignment(
                    id: r.0, siteId: r.1, shiftId: r.2, staffId: r.3, staffCode: r.4, staffName: r.5,
                    state: r.6, version: r.7))
        }
        return out
    }
}

extension ShiftRepository {
    /// Locks shift rows in id order, serialising staffing changes on them.
    public func lockShifts(siteId: Site.ID, ids: [Shift.ID]) async throws {
        guard !ids.isEmpty else { return }
        try await connection.query(
            "SELECT id FROM shifts WHERE site_id = \(siteId) AND id = ANY(\(ids.sorted())) ORDER BY id FOR UPDATE",
            logger: logger)
    }
}
