import Domain
import Foundation
import Logging
import PostgresNIO

/// Districts and the board's counts over their sites, set-wise, in SQL.
public struct DistrictRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Districts by name; only these when `ids` is given.
    public func districts(ids: [District.ID]?) async throws -> [District] {
        var out: [District] = []
        let rows = try await connection.query(
            """
            SELECT id, name FROM districts
            WHERE \(ids == nil) OR id = ANY(\(ids?.map(\.rawValue) ?? [])::bigint[]) ORDER BY name
            """, logger: logger)
        for try await (id, name) in rows.decode((District.ID, String).self) {
            out.append(District(id: id, name: name))
        }
        return out
    }

    /// A district by its name.
    public func district(named name: String) async throws -> District? {
        let rows = try await connection.query("SELECT id, name FROM districts WHERE name = \(name)", logger: logger)
        for try await (id, name) in rows.decode((District.ID, String).self) { return District(id: id, name: name) }
        return nil
    }

    /// The ids of the district's sites, by code.
    public func siteIds(districtId: District.ID) async throws -> [Site.ID] {
        var out: [Site.ID] = []
        let rows = try await connection.query(
            "SELECT id FROM sites WHERE district_id = \(districtId) ORDER BY code", logger: logger)
        for try await id in rows.decode(Site.ID.self) { out.append(id) }
        return out
    }

    /// Beds per site by status, and the free ones by mark; a free bed held for an expected
    /// person counts as held, not free. Read from the counts the triggers keep (and the changes
    /// not yet folded in), so it costs a few rows per site, whatever the site's size.
    public func beds(siteIds: [Site.ID]) async throws -> [Site.ID: BedAvailability] {
        var out: [Site.ID: BedAvailability] = [:]
        let rows = try await connection.query(
            """
            WITH b AS (
                SELECT site_id, status, held, single_sex, near_station, accessible, oxygen, beds
                FROM bed_availability_counts WHERE site_id = ANY(\(siteIds.map(\.rawValue))::bigint[])
                UNION ALL
                SELECT site_id, status, held, single_sex, near_station, accessible, oxygen, change
                FROM bed_availability_changes WHERE site_id = ANY(\(siteIds.map(\.rawValue))::bigint[])),
            o AS (SELECT *, status = 'free' AND NOT held AS open FROM b)
            SELECT site_id, coalesce(sum(beds), 0)::int, coalesce(sum(beds) FILTER (WHERE status = 'occupied'), 0)::int,
                   coalesce(sum(beds) FILTER (WHERE open), 0)::int,
                   coalesce(sum(beds) FILTER (WHERE status = 'free' AND held), 0)::int,
                   coalesce(sum(beds) FILTER (WHERE status = 'cleaning'), 0)::int,
                   coalesce(sum(beds) FILTER (WHERE status = 'out_of_service'), 0)::int,
                   coalesce(sum(beds) FILTER (WHERE open AND single_sex = 'female'), 0)::int,
                   coalesce(sum(beds) FILTER (WHERE open AND single_sex = 'male'), 0)::int,
                   coalesce(sum(beds) FILTER (WHERE open AND single_sex = ''), 0)::int,
                   coalesce(sum(beds) FILTER (WHERE open AND near_station), 0)::int,
                   coalesce(sum(beds) FILTER (WHERE open AND accessible), 0)::int,
                   coalesce(sum(beds) FILTER (WHERE open AND oxygen), 0)::int
            FROM o GROUP BY site_id
            """, logger: logger)
        for try await r in rows.decode((Site.ID, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int).self) {
            var a = BedAvailability()
            (a.total, a.occupied, a.free, a.heldForArrivals, a.cleaning, a.outOfService) = (
                r.1, r.2, r.3, r.4, r.5, r.6
            )
            (a.freeForWomen, a.freeForMen, a.freeForEither) = (r.7, r.8, r.9)
            (a.freeNearStation, a.freeAccessible, a.freeOxygen) = (r.10, r.11, r.12)
            out[r.0] = a
        }
        return out
    }

    /// People expected per site, and when the next of them is due.
    public func arrivals(siteIds: [Site.ID]) async throws -> [Site.ID: (expected: Int, next: Date?)] {
        var out: [Site.ID: (Int, Date?)] = [:]
        let rows = try await connection.query(
            """
            SELECT p.site_id, count(*)::int, min(coalesce(p.expected_at, b.expected_at))
            FROM intake_persons p JOIN intake_batches b ON b.site_id = p.site_id AND b.id = p.batch_id
            WHERE p.site_id = ANY(\(siteIds.map(\.rawValue))::bigint[]) AND p.status = 'expected'
            GROUP BY p.site_id
            """, logger: logger)
        for try await (site, count, next) in rows.decode((Site.ID, Int, Date?).self) { out[site] = (count, next) }
        return out
    }

    /// Per site: in care, eligible for release, and admitted and discharged on `days[site]` (the
    /// site's day), from the census's kept counts and the changes not yet folded in.
    public func patients(days: [Site.ID: CalendarDate]) async throws -> [Site.ID: (
        inCare: Int, eligible: Int, admitted: Int, discharged: Int
    )] {
        var out: [Site.ID: (Int, Int, Int, Int)] = [:]
        let ids = days.keys.map(\.rawValue)
        let dates = ids.map { days[Site.ID(rawValue: $0)]!.description }
        let rows = try await connection.query(
            """
            WITH d AS (SELECT * FROM unnest(\(ids)::bigint[], \(dates)::date[]) AS d(site_id, day)),
            sites AS (
                SELECT site_id, sum(admitted) AS admitted, sum(eligible) AS eligible FROM (
                    SELECT site_id, admitted, eligible FROM patient_site_counts WHERE site_id = ANY(\(ids)::bigint[])
                    UNION ALL
                    SELECT site_id, admitted, eligible FROM patient_site_changes WHERE site_id = ANY(\(ids)::bigint[])
                ) c GROUP BY site_id),
            today AS (
                SELECT d.site_id, sum(m.admissions) AS admissions, sum(m.discharges) AS discharges FROM d
                JOIN (SELECT site_id, day, admissions, discharges FROM patient_day_counts
                      UNION ALL
                      SELECT site_id, day, admissions, discharges FROM patient_day_changes) m
                  ON m.site_id = d.site_id AND m.day = d.day
                GROUP BY d.site_id)
            SELECT d.site_id, coalesce(s.admitted, 0)::int, coalesce(s.eligible, 0)::int,
                   coalesce(t.admissions, 0)::int, coalesce(t.discharges, 0)::int
            FROM d LEFT JOIN sites s ON s.site_id = d.site_id LEFT JOIN today t ON t.site_id = d.site_id
            """, logger: logger)
        for try await r in rows.decode((Site.ID, Int, Int, Int, Int).self) { out[r.0] = (r.1, r.2, r.3, r.4) }
        return out
    }

    /// Per site, releases and buses home: released and buses left on the site's `day` (in its
    /// time zone), and buses waiting. The committees' answers are `CommitteeNoticeRepository`'s.
    public func releases(days: [Site.ID: CalendarDate]) async throws -> [Site.ID: ReleaseFigures] {
        var out: [Site.ID: ReleaseFigures] = [:]
        let ids = days.keys.map(\.rawValue)
        let dates = ids.map { days[Site.ID(rawValue: $0)]!.description }
        let rows = try await connection.query(
            """
            WITH d AS (
                SELECT d.site_id, (d.day::timestamp AT TIME ZONE s.time_zone) AS starts,
                       ((d.day + 1)::timestamp AT TIME ZONE s.time_zone) AS ends
                FROM unnest(\(ids)::bigint[], \(dates)::date[]) AS d(site_id, day) JOIN sites s ON s.id = d.site_id)
            SELECT d.site_id,
                (SELECT count(*) FROM release_certificates c
                 WHERE c.site_id = d.site_id AND c.released_at >= d.starts AND c.released_at < d.ends)::int,
                (SELECT count(*) FROM release_buses b WHERE b.site_id = d.site_id AND b.departed_at IS NULL)::int,
                (SELECT count(*) FROM release_buses b
                 WHERE b.site_id = d.site_id AND b.departed_at >= d.starts AND b.departed_at < d.ends)::int
            FROM d
            """, logger: logger)
        for try await r in rows.decode((Site.ID, Int, Int, Int).self) {
            var figures = ReleaseFigures()
            figures.releasedToday = r.1
            figures.busesWaiting = r.2
            figures.busesLeftToday = r.3
            out[r.0] = figures
        }
        return out
    }

    /// Per site, shifts under way or starting within `hours` with fewer published people than
    /// their minimum.
    public func rosterGaps(siteIds: [Site.ID], within hours: Int = 24) async throws -> [Site.ID: Int] {
        var out: [Site.ID: Int] = [:]
        let rows = try await connection.query(
            """
            SELECT s.site_id, count(*)::int FROM shifts s
            WHERE s.site_id = ANY(\(siteIds.map(\.rawValue))::bigint[])
              AND s.ends_at > now() AND s.starts_at < now() + make_interval(hours => \(hours)::int)
              AND (SELECT count(*) FROM shift_assignments a
                   WHERE a.site_id = s.site_id AND a.shift_id = s.id AND a.state = 'published') < s.min_staff
            GROUP BY s.site_id
            """, logger: logger)
        for try await (site, gaps) in rows.decode((Site.ID, Int).self) { out[site] = gaps }
        return out
    }
}
