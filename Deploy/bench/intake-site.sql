-- A site for the intake benchmark, in district :'district':
--   psql -v code=IN01 -v district=bench -v beds=3000 -v admitted=2000 -f intake-site.sql
-- The first half of the beds stand in rooms of four in zone Z1 (a third kept for women, a third
-- for men), the rest in bays of forty kept alternately for women and men, in Z2 and Z3; every tenth bed is near the
-- nurses' station and every thirty-third accessible. :admitted beds are taken, by patients of
-- the room's or bay's sex; every tenth room stays empty.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO sites (code, name, district, kind, bed_capacity, opened_on)
VALUES (:'code', 'intake ' || :'code', :'district', 'makeshift_hospital', :beds, current_date - 30);
CREATE TEMP TABLE intake_site AS SELECT id FROM sites WHERE code = :'code';
INSERT INTO zones (site_id, code, name, kind)
SELECT s.id, 'Z' || z, 'zone ' || z, 'contaminated' FROM intake_site s, generate_series(1, 3) AS z;
CREATE TEMP TABLE plan AS
SELECT b,
       CASE WHEN b <= :beds / 2 THEN 'R' || ((b - 1) / 4 + 1) END AS room,
       CASE WHEN b > :beds / 2 THEN 'B' || ((b - :beds / 2 - 1) / 40 + 1) END AS bay,
       CASE WHEN b <= :beds / 2 THEN (ARRAY['female', 'male', NULL])[((b - 1) / 4) % 3 + 1]
            ELSE (ARRAY['female', 'male'])[((b - :beds / 2 - 1) / 40) % 2 + 1] END AS single_sex,
       CASE WHEN b <= :beds / 2 THEN (ARRAY['female', 'male'])[((b - 1) / 4) % 2 + 1] END AS room_sex,
       b <= :beds / 2 AND ((b - 1) / 4) % 10 = 9 AS family_room
FROM generate_series(1, :beds) AS b;
-- Every tenth room stays empty, for a household of its own; of the other beds, :admitted are
-- taken, two in three before the rest.
ALTER TABLE plan ADD COLUMN taken boolean;
UPDATE plan SET taken = k.n <= :admitted
FROM (SELECT b, row_number() OVER (ORDER BY b % 3 = 0, b) AS n FROM plan WHERE NOT family_room) k
WHERE k.b = plan.b;
UPDATE plan SET taken = false WHERE family_room;
INSERT INTO beds (site_id, zone_id, code, status, room, bay, near_station, accessible, single_sex)
SELECT s.id, z.id, 'B' || lpad(p.b::text, 5, '0'), CASE WHEN p.taken THEN 'occupied' ELSE 'free' END,
       p.room, p.bay, p.b % 10 = 0, p.b % 33 = 0, p.single_sex
FROM intake_site s, plan p
JOIN zones z ON z.code = 'Z' || CASE WHEN p.b <= :beds / 2 THEN 1 ELSE 2 + ((p.b - :beds / 2 - 1) / 40 >= 19)::int END
WHERE z.site_id = (SELECT id FROM intake_site);
INSERT INTO patients (site_id, name, sex, date_of_birth, national_id, severity, admitted_at)
SELECT s.id, 'patient ' || p.b, coalesce(p.single_sex, p.room_sex), date '1960-01-01' + p.b,
       '3101' || lpad(p.b::text, 13, '0') || 'X', 'mild', now() - interval '3 days'
FROM intake_site s, plan p WHERE p.taken;
INSERT INTO bed_assignments (site_id, patient_id, bed_id, during)
SELECT pa.site_id, pa.id, b.id, tstzrange(pa.admitted_at, NULL)
FROM patients pa JOIN beds b ON b.site_id = pa.site_id AND b.code = 'B' || lpad(substr(pa.name, 9), 5, '0')
WHERE pa.site_id = (SELECT id FROM intake_site);
COMMIT;
