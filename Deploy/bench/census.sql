-- The statements one GET /sites/{id}/census runs (the site, beds by zone, movements per day,
-- admitted and eligible counts, the first 100 eligible), for pgbench beside the HTTP benchmark.
-- The bearer token's lookup is not among them: Cordon answers it from its token cache.
-- pgbench -D site=ID. Keep in step with Sources/Storage/Sites/CensusRepository.swift.
SELECT id, code, name, district, address, kind, bed_capacity, time_zone, opened_on::text, closed_on::text, status, version
FROM sites WHERE id = :site;
SELECT z.id, z.code, z.kind, c.status, coalesce(sum(c.beds), 0)::int
FROM zones z
LEFT JOIN (SELECT zone_id, status, beds FROM bed_status_counts WHERE site_id = :site
           UNION ALL
           SELECT zone_id, status, change FROM bed_status_changes WHERE site_id = :site) c ON c.zone_id = z.id
WHERE z.site_id = :site
GROUP BY z.id, z.code, z.kind, c.status
ORDER BY z.id;
SELECT d::date::text, coalesce(sum(c.admissions), 0)::int, coalesce(sum(c.discharges), 0)::int
FROM generate_series(current_date - 13, current_date, interval '1 day') AS d
LEFT JOIN (SELECT day, admissions, discharges FROM patient_day_counts
           WHERE site_id = :site AND day BETWEEN current_date - 13 AND current_date
           UNION ALL
           SELECT day, admissions, discharges FROM patient_day_changes
           WHERE site_id = :site AND day BETWEEN current_date - 13 AND current_date) c ON c.day = d::date
GROUP BY d ORDER BY d;
SELECT coalesce(sum(admitted), 0)::int, coalesce(sum(eligible), 0)::int
FROM (SELECT admitted, eligible FROM patient_site_counts WHERE site_id = :site
      UNION ALL
      SELECT admitted, eligible FROM patient_site_changes WHERE site_id = :site) c;
SELECT p.id, p.name, b.code FROM patients p
LEFT JOIN bed_assignments a ON a.site_id = p.site_id AND a.patient_id = p.id AND upper_inf(a.during)
LEFT JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
WHERE p.site_id = :site AND p.status = 'admitted' AND p.release_eligible ORDER BY p.id LIMIT 100;
