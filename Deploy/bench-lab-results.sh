#!/usr/bin/env bash
# Laboratory results on the release build, at a site of 50,000 beds, all occupied (every patient
# with three earlier tests), every tube of today's round taken and sent: taking 50,000 results
# as one CSV file (POST /lab/results), as 500 ORU^R01 messages of 100 over one MLLP connection,
# and as FHIR batch bundles of 1,000 (POST /fhir), each with every patient's release verdict
# worked out; beside the database's floor for the same rows: `\copy` into a staging table, then
# set-wise writes of the tests, the tubes and the flags (rolled back). Each run starts from the
# same state; the results are counted in SQL afterwards, and cordon serve's peak RSS is read.
#
#   CORDON_BIN=...   measure that binary (see Deploy/bench/common.sh)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source Deploy/bench/common.sh
bench_setup cordon_bench_lab
owner() { psql -qtAX "$OWNER_DB" "$@"; }
owner -v code=LAB50K -v patients=50000 -v beds=50000 -v admitted=50000 -f Deploy/bench/scale-site.sql >/dev/null
site=$(owner -c "SELECT id FROM sites WHERE code = 'LAB50K'")
"$cordon" lab add --code BENCH-LAB --name "benchmark laboratory" >/dev/null
lab_token=$("$cordon" lab token BENCH-LAB)
admin=$("$cordon" token issue --user demo-admin --quiet)
export LAB_MLLP_PORT=18095
bench_serve 18094
work=$(mktemp -d)

# Today's round, every tube taken two hours ago and sent in one box to the laboratory.
curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' -d '{}' \
  -H @<(header "Authorization: Bearer $admin") "http://127.0.0.1:18094/sites/$site/swab-rounds"
owner -q <<SQL >/dev/null
INSERT INTO specimen_boxes (site_id, laboratory_id) SELECT $site, id FROM laboratories WHERE code = 'BENCH-LAB';
UPDATE specimens SET status = 'sent', collected_at = now() - interval '2 hours',
       box_id = (SELECT max(id) FROM specimen_boxes WHERE site_id = $site)
WHERE site_id = $site;
CREATE TABLE bench_flags AS SELECT id, release_eligible FROM patients WHERE site_id = $site;
ANALYZE;
SQL
owner -c "SELECT accession FROM specimens WHERE site_id = $site ORDER BY accession" >"$work/tubes.txt"
echo "tubes sent (the round of those due today): $(wc -l <"$work/tubes.txt")"
reset_results() {
  owner -q <<SQL >/dev/null
DELETE FROM nucleic_acid_tests WHERE site_id = $site AND accession IS NOT NULL;
DELETE FROM lab_result_reviews;
UPDATE specimens SET status = 'sent' WHERE site_id = $site AND status <> 'sent';
UPDATE patients p SET release_eligible = f.release_eligible, repositive_at = NULL
FROM bench_flags f WHERE p.site_id = $site AND p.id = f.id;
VACUUM ANALYZE nucleic_acid_tests, specimens, patients;
SQL
}
median() { sort -n | sed -n 2p; }

# The floor: the same 50,000 results copied into a staging table and written set-wise, with
# each patient's flag set from their tests (two clear ones a day apart), rolled back.
python3 - "$work/tubes.txt" >"$work/floor.csv" <<'PY'
import sys
for line in open(sys.argv[1]):
    if line.strip(): print(f"{line.strip()},37.5,38.2,negative")
PY
floor_s=$(for _ in 1 2 3; do
  reset_results
  start=$(date +%s.%N)
  psql -qAtX "$OWNER_DB" >/dev/null <<SQL
BEGIN;
CREATE TEMP TABLE staging (accession bigint, n double precision, o double precision, result text) ON COMMIT DROP;
\copy staging FROM '$work/floor.csv' WITH (FORMAT csv)
INSERT INTO nucleic_acid_tests (site_id, patient_id, sampled_at, result, n_gene_ct, orf1ab_ct, accession, laboratory_id, source)
SELECT s.site_id, s.patient_id, s.collected_at, g.result, g.n, g.o, g.accession, x.laboratory_id, 'csv'
FROM staging g JOIN specimens s ON s.accession = g.accession JOIN specimen_boxes x ON x.site_id = s.site_id AND x.id = s.box_id;
UPDATE specimens s SET status = 'resulted', updated_at = now() FROM staging g WHERE s.accession = g.accession;
UPDATE patients p SET release_eligible = v.eligible
FROM (SELECT t.site_id, t.patient_id, bool_and(t.result = 'negative' OR (t.n_gene_ct >= 35 AND t.orf1ab_ct >= 35))
             AND max(t.sampled_at) - min(t.sampled_at) >= interval '24 hours' AS eligible
      FROM nucleic_acid_tests t JOIN specimens s ON s.site_id = t.site_id AND s.patient_id = t.patient_id
      JOIN staging g ON g.accession = s.accession
      WHERE t.sampled_at >= now() - interval '3 days' GROUP BY t.site_id, t.patient_id) v
WHERE p.site_id = v.site_id AND p.id = v.patient_id AND p.release_eligible IS DISTINCT FROM v.eligible;
ROLLBACK;
SQL
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$start" "$(date +%s.%N)"
done | median)
echo "floor: \\copy into staging, then set-wise tests, tubes and flags in psql: ${floor_s}s median of 3"

count() {
  local source=$1
  [ "$source" = hl7 ] && source=hl7v2
  owner -c "SELECT count(*) FILTER (WHERE t.source = '$source') || ' tests, ' ||
    (SELECT count(*) FROM specimens WHERE site_id = $site AND status = 'resulted') || ' tubes resulted, ' ||
    (SELECT count(*) FROM lab_result_reviews) || ' held'
    FROM nucleic_acid_tests t WHERE t.site_id = $site AND t.accession IS NOT NULL"
}
run_form() {
  local form=$1 target=$2 credential=$3
  local times=()
  for _ in 1 2 3; do
    reset_results
    out=$(python3 Deploy/bench/lab_results.py "$form" "$target" "$credential" "$work/tubes.txt")
    times+=("$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$out")")
  done
  t=$(printf '%s\n' "${times[@]}" | median)
  echo "$form: $(wc -l <"$work/tubes.txt") results in ${t}s median of 3 ($(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["said"])' "$out")); counted: $(count "$form")"
  python3 -c 'import sys; print(f"  {sys.argv[3]} / floor: {float(sys.argv[2]) / float(sys.argv[1]):.2f}")' "$floor_s" "$t" "$form"
}
run_form csv http://127.0.0.1:18094 "$lab_token"
run_form hl7 "$LAB_MLLP_PORT" BENCH-LAB
run_form fhir http://127.0.0.1:18094 "$lab_token"
rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$server/status")
echo "cordon serve peak RSS: ${rss} MB"
