-- A site of a given size with a history, for measuring what grows with it:
--   psql -v code=BIG -v patients=1000000 -v beds=50000 -v admitted=40000 -f scale-site.sql
-- Zones of 1,000 beds; the admitted patients hold the first beds; every patient has three tests
-- (positive, then two clear ones a day apart, so about half of the admitted are eligible for
-- release). Admissions spread over the last 100 days. Closed bed assignments of discharged
-- patients are left out: nothing measured reads them, and the exclusion index makes them slow
-- to load.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO sites (code, name, district, kind, bed_capacity, opened_on)
VALUES (:'code', 'scale ' || :'code', 'bench', 'makeshift_hospital', :beds, current_date - 120);
CREATE TEMP TABLE scale_site AS SELECT id FROM sites WHERE code = :'code';
INSERT INTO zones (site_id, code, name, kind)
SELECT s.id, 'Z' || z, 'zone ' || z, 'contaminated'
FROM scale_site s, generate_series(1, greatest(1, ceil(:beds / 1000.0)::int)) AS z;
INSERT INTO beds (site_id, zone_id, code, status)
SELECT s.id, z.id, 'B' || lpad(b::text, 6, '0'), CASE WHEN b <= :admitted THEN 'occupied' ELSE 'free' END
FROM scale_site s, generate_series(1, :beds) AS b
JOIN zones z ON z.code = 'Z' || ((b - 1) / 1000 + 1)
WHERE z.site_id = (SELECT id FROM scale_site);
-- Patient n: the last :admitted are still in; the others were discharged after 14 days.
INSERT INTO patients (site_id, name, sex, date_of_birth, national_id, severity, status, admitted_at,
                      discharged_at, discharge_reason)
SELECT s.id, 'patient ' || n, CASE WHEN n % 2 = 0 THEN 'female' ELSE 'male' END, date '1960-01-01' + (n % 20000),
       '3101' || lpad(n::text, 13, '0') || 'X', 'mild',
       CASE WHEN n > :patients - :admitted THEN 'admitted' ELSE 'discharged' END,
       now() - interval '100 days' * (1 - n::float / :patients) - interval '1 hour',
       CASE WHEN n > :patients - :admitted THEN NULL
            ELSE now() - interval '100 days' * (1 - n::float / :patients) + interval '14 days' END,
       CASE WHEN n > :patients - :admitted THEN NULL ELSE 'recovered' END
FROM scale_site s, generate_series(1, :patients) AS n;
INSERT INTO bed_assignments (site_id, patient_id, bed_id, during)
SELECT p.site_id, p.id, b.id, tstzrange(p.admitted_at, NULL)
FROM (SELECT site_id, id, admitted_at, row_number() OVER (ORDER BY id) AS k
      FROM patients WHERE site_id = (SELECT id FROM scale_site) AND status = 'admitted') p
JOIN beds b ON b.site_id = p.site_id AND b.code = 'B' || lpad(p.k::text, 6, '0');
INSERT INTO nucleic_acid_tests (site_id, patient_id, sampled_at, result, n_gene_ct, orf1ab_ct)
SELECT p.site_id, p.id, p.admitted_at + interval '1 hour' * t.h, t.result, t.ct, t.ct
FROM patients p
CROSS JOIN (VALUES (0, 'positive', 22.0), (48, 'negative', 38.0), (73, 'negative', 38.0)) AS t(h, result, ct)
WHERE p.site_id = (SELECT id FROM scale_site)
  AND (p.status = 'discharged' OR p.id % 2 = 0 OR t.h < 73);
-- Loaded behind the services' back: have the next `cordon migrate` work the release flags out.
DO $$ BEGIN
    IF to_regclass('release_rule_applied') IS NOT NULL THEN DELETE FROM release_rule_applied; END IF;
END $$;
COMMIT;
ANALYZE sites, zones, beds, patients, bed_assignments, nucleic_acid_tests;
