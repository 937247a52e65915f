#!/usr/bin/env bash
# Benchmark the roster at one site with 300 staff: importing a 10,000-row CSV beside
# `psql \copy` of the same file into a bare table and beside the database's floor for it (the
# file copied in and inserted set-wise into the constrained tables), then checking and publishing four weeks,
# beside a plain SQL read of the same four weeks, all in one run.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source Deploy/bench/common.sh
bench_setup cordon_bench_roster
sql() { psql -qtA "$OWNER_DB" "$@"; }
seconds() { local start=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $start" | bc; }

first=$(date -d "+7 days" +%F)
last=$(date -d "+34 days" +%F)
# The period as the site sees it: local days in Asia/Shanghai.
period="s.site_id = (SELECT id FROM sites WHERE code = 'BENCH') AND s.starts_at >= '$first'::timestamp AT TIME ZONE 'Asia/Shanghai' AND s.starts_at < ('$last'::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'"
"$cordon" site create --code BENCH --name "benchmark site" --district 金山区 --capacity 1000 >/dev/null
for zone in A B C; do "$cordon" zone add BENCH --code $zone --name "zone $zone" --kind contaminated >/dev/null; done
"$cordon" zone add BENCH --code CLN --name clean --kind clean >/dev/null
"$cordon" team add BENCH --name batch --hospital "浦江一院" --arrives 2022-04-03 >/dev/null
# Set-up only, not measured: 300 nurses with PPE certificates.
sql <<SQL
INSERT INTO staff (site_id, code, name, hospital, profession, team_id)
SELECT s.id, 'B' || lpad(n::text, 3, '0'), 'nurse ' || n, '浦江一院', 'nurse', t.id
FROM sites s JOIN teams t ON t.site_id = s.id, generate_series(0, 299) n WHERE s.code = 'BENCH';
INSERT INTO staff_trainings (site_id, staff_id, kind, gained_on, expires_on, certified_by)
SELECT site_id, id, 'ppe_donning_doffing', '2022-04-03', '2099-01-01', 'bench' FROM staff WHERE code LIKE 'B%';
CREATE TABLE bench_bare (date text, start text, "end" text, zone text, requires text, min_staff text, max_staff text, staff_code text);
SQL
csv=$(mktemp --suffix=.csv)
floor_csv=$(mktemp --suffix=.csv)
trap 'rm -f "$csv" "$floor_csv"' EXIT
python3 Deploy/bench/roster_csv.py "$first" 10000 >"$csv"
# The same shape of file for an empty period further on, for the database's floor below.
python3 Deploy/bench/roster_csv.py "$(date -d "+70 days" +%F)" 10000 >"$floor_csv"

echo "== import 10,000 rows"
copy=$(seconds sql -c "\\copy bench_bare FROM '$csv' CSV HEADER")
import=$(seconds "$cordon" roster import BENCH "$csv")
# The least any import of the file must do in the database: \copy it into a staging table, then
# insert its shifts and assignments set-wise into the real tables (exclusion constraint, foreign
# keys, indexes), rolled back. Cordon adds the rule checks and the audit to this.
floor=$(seconds sql -v ON_ERROR_STOP=1 <<SQL
BEGIN;
CREATE TEMP TABLE staged (date date, start time, "end" time, zone text, requires text, min_staff int, max_staff int,
  staff_code text) ON COMMIT DROP;
\\copy staged FROM '$floor_csv' CSV HEADER
CREATE TEMP TABLE slots ON COMMIT DROP AS
SELECT t.*, z.site_id, z.id AS zone_id, (t.date + t.start) AT TIME ZONE 'Asia/Shanghai' AS starts_at,
  (t.date + t."end" + CASE WHEN t."end" <= t.start THEN interval '1 day' ELSE interval '0' END) AT TIME ZONE 'Asia/Shanghai' AS ends_at
FROM staged t JOIN zones z ON z.code = t.zone AND z.site_id = (SELECT id FROM sites WHERE code = 'BENCH');
INSERT INTO shifts (site_id, zone_id, requires, starts_at, ends_at, min_staff, max_staff)
SELECT DISTINCT site_id, zone_id, NULLIF(requires, ''), starts_at, ends_at, min_staff, max_staff FROM slots;
WITH inserted AS (
  INSERT INTO shift_assignments (site_id, shift_id, staff_id, during)
  SELECT s.site_id, s.id, m.id, tstzrange(s.starts_at, s.ends_at)
  FROM slots t JOIN shifts s ON (s.site_id, s.zone_id, s.starts_at, s.ends_at) = (t.site_id, t.zone_id, t.starts_at, t.ends_at)
    AND s.requires IS NOT DISTINCT FROM NULLIF(t.requires, '')
  JOIN staff m ON m.site_id = t.site_id AND m.code = t.staff_code
  RETURNING 1)
-- Stops the script (division by zero) unless every row went in.
SELECT 1 / (count(*) = 10000)::int FROM inserted;
ROLLBACK;
SQL
)
echo "psql \\copy into a bare table: ${copy}s; cordon roster import: ${import}s; ratio import/copy = $(echo "scale=1; $import / $copy" | bc)"
echo "database floor (\\copy, then set-wise insert into shifts and shift_assignments): ${floor}s; ratio import/floor = $(echo "scale=2; $import / $floor" | bc)"
sql -c "SELECT 'rows copied: ' || count(*) FROM bench_bare"
sql -c "SELECT 'assignments imported: ' || count(*) FROM shift_assignments a JOIN sites s ON s.id = a.site_id WHERE s.code = 'BENCH'"

# Fresh statistics for both sides, as autovacuum would give them a minute later.
sql -c "ANALYZE"

echo "== four weeks ($first to $last), 300 staff"
in_period=$(sql -c "SELECT count(*) FROM shift_assignments a JOIN shifts s ON s.site_id = a.site_id AND s.id = a.shift_id
                    WHERE $period")
echo "assignments in the period: $in_period"
read_sql="SELECT s.*, a.*, m.* FROM shifts s JOIN shift_assignments a ON a.site_id = s.site_id AND a.shift_id = s.id
          JOIN staff m ON m.site_id = a.site_id AND m.id = a.staff_id WHERE $period"
for run in 1 2 3; do
  read=$(seconds sql -c "$read_sql")
  check=$(seconds "$cordon" roster check BENCH --from "$first" --through "$last" --json)
  echo "run $run: plain SQL read of the period ${read}s; cordon roster check ${check}s; ratio check/read = $(echo "scale=1; $check / $read" | bc)"
done
publish=$(seconds "$cordon" roster publish BENCH --from "$first" --through "$last")
read=$(seconds sql -c "$read_sql")
echo "cordon roster publish ${publish}s; plain SQL read ${read}s; ratio publish/read = $(echo "scale=1; $publish / $read" | bc)"
sql -c "SELECT 'published: ' || count(*) FROM shift_assignments WHERE state = 'published' AND site_id = (SELECT id FROM sites WHERE code = 'BENCH')"
