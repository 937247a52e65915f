-- The statements one GET /sites/{id}/census runs (token lookup, site, beds by zone, movements
-- per day, admitted patients, their tests), for pgbench beside the HTTP benchmark.
SELECT u.id, u.username, u.display_name, g.role, g.site_id
FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN grants g ON g.user_id = u.id
WHERE t.token_hash = :token_hash AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now());
SELECT id, code, name, district, address, kind, bed_capacity, time_zone, opened_on::text, closed_on::text, status, version
FROM sites WHERE id = 1;
SELECT z.id, z.code, z.kind, b.status, count(b.id)::int
FROM zones z LEFT JOIN beds b ON b.site_id = z.site_id AND b.zone_id = z.id
WHERE z.site_id = 1 GROUP BY z.id, z.code, z.kind, b.status ORDER BY z.id;
WITH days AS (
    SELECT d::date AS day, d::timestamp AT TIME ZONE 'Asia/Shanghai' AS starts,
           (d + interval '1 day')::timestamp AT TIME ZONE 'Asia/Shanghai' AS ends
    FROM generate_series('2022-04-01'::date, '2022-04-14'::date, interval '1 day') AS d)
SELECT days.day::text,
       (SELECT count(*)::int FROM patients p WHERE p.site_id = 1 AND p.admitted_at >= days.starts AND p.admitted_at < days.ends),
       (SELECT count(*)::int FROM patients p WHERE p.site_id = 1 AND p.discharged_at >= days.starts AND p.discharged_at < days.ends)
FROM days ORDER BY days.day;
SELECT p.id, p.name, b.code FROM patients p
LEFT JOIN bed_assignments a ON a.site_id = p.site_id AND a.patient_id = p.id AND upper_inf(a.during)
LEFT JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
WHERE p.site_id = 1 AND p.status = 'admitted' ORDER BY p.id;
SELECT t.id, t.patient_id, t.sampled_at, t.result, t.n_gene_ct, t.orf1ab_ct, t.recorded_at
FROM nucleic_acid_tests t JOIN patients p ON p.site_id = t.site_id AND p.id = t.patient_id
WHERE t.site_id = 1 AND p.status = 'admitted' ORDER BY t.patient_id, t.sampled_at, t.id;
