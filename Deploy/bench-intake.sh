#!/usr/bin/env bash
# Intake and the district board on the release build:
# - proposing beds for a bus of 100 at a site of 3,000 beds with 2,000 taken (POST .../proposal,
#   which reads the site's beds, allocates and writes the proposal), and the same allocation
#   for 1,000 people over a district of ten such sites (POST /districts/{id}/next-bus: each site
#   ranked by placing the whole bus, then the bus planned over them);
# - the district's board of ten sites beside one site's census, with wrk, in the same run.
#
#   BENCH_SECONDS=10   seconds per wrk workload
#   CORDON_BIN=...     measure that binary (see Deploy/bench/common.sh)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${BENCH_SECONDS:-10}
source Deploy/bench/common.sh
bench_setup cordon_bench_intake
owner() { psql -qtAX "$OWNER_DB" "$@"; }
for i in $(seq -w 1 10); do
  owner -v code="IN$i" -v district="benchdistrict" -v beds=3000 -v admitted=2000 -f Deploy/bench/intake-site.sql >/dev/null
done
"$cordon" migrate >/dev/null
# Statistics for the rows just loaded, as a running site's tables have: without them the first
# plans depend on when autovacuum gets round to the tables, and the figures came out bimodal.
owner -c ANALYZE >/dev/null
admin=$("$cordon" token issue --user demo-admin --quiet)
bench_serve 18091
work=$(mktemp -d)
site=$(owner -c "SELECT id FROM sites WHERE code = 'IN01'")
district=$(owner -c "SELECT id FROM districts WHERE name = 'benchdistrict'")
api() { curl -sf -H @<(header "Authorization: Bearer $admin") -H 'Content-Type: application/json' "$@"; }
# Seconds per call of `curl "$@"`, the median of five.
timed() {
  for _ in 1 2 3 4 5; do curl -s -o "$work/out.json" -w '%{time_total}\n' -H @<(header "Authorization: Bearer $admin") "$@"; done |
    sort -n | sed -n 3p
}

# The floor: PostgreSQL reading one site's beds as the allocation reads them (median of 5, ms).
floor_ms=$(for _ in 1 2 3 4 5; do
  psql -qAtX "$OWNER_DB" -c '\timing on' -f - <<SQL 2>/dev/null | awk '/^Time:/ {print $2}'
SELECT count(*) FROM (
  SELECT b.id, b.code, z.code, b.room, b.bay, b.near_station, b.accessible, b.oxygen, b.single_sex,
         CASE WHEN i.id IS NULL THEN b.status ELSE 'occupied' END, coalesce(p.sex, i.sex)
  FROM beds b JOIN zones z ON z.site_id = b.site_id AND z.id = b.zone_id
  LEFT JOIN bed_assignments a ON a.site_id = b.site_id AND a.bed_id = b.id AND upper_inf(a.during)
  LEFT JOIN patients p ON p.site_id = a.site_id AND p.id = a.patient_id
  LEFT JOIN intake_persons i ON i.site_id = b.site_id AND i.bed_id = b.id
  WHERE b.site_id = $site) beds;
SQL
done | sort -n | sed -n 3p)
echo "floor: reading one site's 3,000 beds in psql: ${floor_ms} ms median of 5"

python3 Deploy/bench/transfer_list.py 100 1 >"$work/bus100.json"
batch=$(api -X POST "http://127.0.0.1:18091/sites/$site/intake-batches" --data-binary @"$work/bus100.json" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
propose=$(timed -X POST "http://127.0.0.1:18091/sites/$site/intake-batches/$batch/proposal")
placed=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["persons"]; print(sum(1 for x in p if x.get("bedId")))' "$work/out.json")
echo "propose 100 at a site of 3,000 beds (2,000 taken): ${propose}s median of 5, $placed of 100 placed"

python3 Deploy/bench/transfer_list.py 1000 2 | python3 -c 'import json,sys; print(json.dumps({"persons": json.load(sys.stdin)["persons"]}))' >"$work/bus1000.json"
python3 Deploy/bench/transfer_list.py 100 3 | python3 -c 'import json,sys; print(json.dumps({"persons": json.load(sys.stdin)["persons"]}))' >"$work/bus100-next.json"
for size in 100 1000; do
  file="$work/bus100-next.json"; [ "$size" = 1000 ] && file="$work/bus1000.json"
  t=$(timed -X POST -H 'Content-Type: application/json' --data-binary @"$file" "http://127.0.0.1:18091/districts/$district/next-bus")
  python3 - "$work/out.json" "$size" "$t" <<'PY'
import json, sys
advice = json.load(open(sys.argv[1]))
size, t = int(sys.argv[2]), sys.argv[3]
placed = size - advice["leftOver"]
plan = ", ".join(f'{leg["people"]} to {leg["code"]}' for leg in advice["plan"])
print(f"next bus of {size} over 10 sites: {t}s median of 5, {placed} of {size} placed ({plan}); best site alone places {advice['ranking'][0]['placed']}")
PY
done

# The board of ten sites beside one site's census, same server, same run.
for what in "census /sites/$site/census" "board /districts/$district/board"; do
  set -- $what
  BENCH_HEADER="Authorization: Bearer $admin" wrk -t2 -c16 -d"${seconds}s" --latency -s Deploy/bench/auth.lua "http://127.0.0.1:18091$2" >"$work/$1.txt"
  echo "$1: $(awk '/Requests\/sec/ {print $2 " req/s"} $1 == "50%" {print "p50 " $2} $1 == "99%" {print "p99 " $2}' "$work/$1.txt" | paste -sd' ')"
done
awk '/Requests\/sec/ {r[FILENAME] = $2} END {for (f in r) if (f ~ /board/) b = r[f]; else c = r[f]; printf "board of 10 sites / census of 1 site: %.2f of the census rate\n", b / c}' "$work/census.txt" "$work/board.txt"
