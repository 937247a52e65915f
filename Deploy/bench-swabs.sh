#!/usr/bin/env bash
# The daily swab round on the release build, at a site of 50,000 beds, all occupied (every
# patient with three earlier tests): making the day's round of 50,000 tubes through
# POST /sites/{id}/swab-rounds, beside PostgreSQL's own INSERT ... SELECT of the same rows
# (the floor), each the median of three runs on an empty day; then making it again, which
# prints nothing new; then the label PDF of a zone of 2,000 tubes (A4 sheets and thermal labels):
# time and size.
#
#   CORDON_BIN=...   measure that binary (see Deploy/bench/common.sh)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source Deploy/bench/common.sh
command -v pdfinfo >/dev/null || Deploy/system-packages.sh --tests
bench_setup cordon_bench_swabs
owner() { psql -qtAX "$OWNER_DB" "$@"; }
owner -v code=SWAB50K -v patients=50000 -v beds=50000 -v admitted=50000 -f Deploy/bench/scale-site.sql >/dev/null
owner -c ANALYZE >/dev/null
site=$(owner -c "SELECT id FROM sites WHERE code = 'SWAB50K'")
admin=$("$cordon" token issue --user demo-admin --quiet)
bench_serve 18093
work=$(mktemp -d)
median() { sort -n | sed -n 2p; }

# The floor: the same 50,000 rows written by one INSERT ... SELECT (rolled back), in ms.
floor_ms=$(for _ in 1 2 3; do
  psql -qAtX "$OWNER_DB" -f - <<SQL 2>/dev/null | awk '/^Time:/ {print $2}' | tail -1
BEGIN;
\timing on
INSERT INTO specimens (site_id, round_date, patient_id, zone_id, bed_id)
SELECT p.site_id, current_date, p.id, b.zone_id, b.id
FROM patients p
JOIN bed_assignments a ON a.site_id = p.site_id AND a.patient_id = p.id AND upper_inf(a.during)
JOIN beds b ON b.site_id = a.site_id AND b.id = a.bed_id
JOIN zones z ON z.site_id = b.site_id AND z.id = b.zone_id
WHERE p.site_id = $site AND p.status = 'admitted'
ORDER BY z.code, b.code;
\timing off
ROLLBACK;
SQL
done | median)
echo "floor: INSERT ... SELECT of the round's rows in psql: ${floor_ms} ms median of 3"

make_round() {
  curl -s -o "$work/round.json" -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' -d '{}' \
    -H @<(header "Authorization: Bearer $admin") "http://127.0.0.1:18093/sites/$site/swab-rounds"
}
round_s=$(for _ in 1 2 3; do
  owner -c "DELETE FROM specimens WHERE site_id = $site" >/dev/null
  make_round
done | median)
printed=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["added"])' "$work/round.json")
again_s=$(make_round)
again=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["added"])' "$work/round.json")
rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$server/status")
echo "cordon: making the round of $printed tubes: ${round_s}s median of 3; made again: ${again_s}s, $again new"
python3 -c 'import sys; f, r = float(sys.argv[1]), float(sys.argv[2]) * 1000; print(f"round / floor: {r / f:.2f}")' "$floor_ms" "$round_s"
echo "cordon serve peak RSS: ${rss} MB"
owner -c "SELECT count(*) AS tubes, count(DISTINCT accession) AS distinct_accessions FROM specimens WHERE site_id = $site"

# A zone of 2,000: the site's zones hold 1,000 beds each, so the second zone's beds and tubes
# join the first for this measure.
owner -q <<SQL >/dev/null
UPDATE beds SET zone_id = (SELECT id FROM zones WHERE site_id = $site AND code = 'Z1')
WHERE site_id = $site AND zone_id = (SELECT id FROM zones WHERE site_id = $site AND code = 'Z2');
UPDATE specimens SET zone_id = (SELECT id FROM zones WHERE site_id = $site AND code = 'Z1')
WHERE site_id = $site AND zone_id = (SELECT id FROM zones WHERE site_id = $site AND code = 'Z2');
SQL
zone=$(owner -c "SELECT id FROM zones WHERE site_id = $site AND code = 'Z1'")
day=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["round"]["date"])' "$work/round.json")
for sheet in a4 thermal; do
  t=$(for _ in 1 2 3; do
    curl -s -o "$work/labels.pdf" -w '%{time_total}\n' -H @<(header "Authorization: Bearer $admin") \
      "http://127.0.0.1:18093/sites/$site/swab-rounds/$day/labels?zoneId=$zone&sheet=$sheet"
  done | median)
  pages=$(pdfinfo "$work/labels.pdf" | awk '/^Pages:/ {print $2}')
  echo "labels of a zone of 2,000 ($sheet): ${t}s median of 3, $(($(stat -c %s "$work/labels.pdf") / 1024)) KiB, $pages pages"
done
rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$server/status")
echo "cordon serve peak RSS after the labels: ${rss} MB"
