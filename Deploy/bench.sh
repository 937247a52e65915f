#!/usr/bin/env bash
# Every benchmark in one run, on the release build, printing one table: each workload over HTTP
# (wrk, 2 threads, 32 connections, BENCH_SECONDS each), its baseline run in the same command
# (pgbench select-only or TPC-B, pgbench of the endpoint's own SQL), the ratio, p50/p99, and
# Cordon's and PostgreSQL's CPU per request (from /proc). Beside them, the framework's floor:
# a bare Hummingbird server (FrameworkFloor), plain and through ten pass-through middlewares, so
# each figure shows how much of its cost is Cordon's own. Then dispenses again with a million
# more ledger rows, the census at a million patients beside ten thousand, the roster import
# beside `psql \copy` (Deploy/bench-roster.sh) and the webhook drain beside a plain client
# (Deploy/bench-webhooks.sh).
#
#   BENCH_SECONDS=10            seconds per workload
#   BENCH_SCALE_PATIENTS=1000000  patients of the large site (50 beds and 40 admitted per 1,000)
#   BENCH_SKIP="ledger scale roster webhooks"  parts to leave out
#   CORDON_BIN=/path/to/cordon  measure that binary instead of this checkout (see common.sh)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${BENCH_SECONDS:-10}
large=${BENCH_SCALE_PATIENTS:-1000000}
skip=" ${BENCH_SKIP:-} "
source Deploy/bench/common.sh
bench_setup cordon_bench_all
bench_stock
pharmacist=$TOKEN
admin=$("$cordon" token issue --user demo-admin --quiet)
hash=$(printf '%s' "$admin" | sha256sum | cut -d' ' -f1)
owner() { psql -qtAX "$OWNER_DB" "$@"; }
work=$(mktemp -d)
rows="$work/rows.tsv"

# A site of 10,000 patients in its history (500 beds, 400 admitted) for the per-patient
# workloads; the large site comes later. `cordon migrate` works their release flags out.
owner -v code=S10K -v patients=10000 -v beds=500 -v admitted=400 -f Deploy/bench/scale-site.sql >/dev/null
"$cordon" migrate >/dev/null
small=$(owner -c "SELECT id FROM sites WHERE code = 'S10K'")
admitted=$(owner -c "SELECT string_agg(id::text, ',') FROM patients WHERE site_id = $small AND status = 'admitted'")
one=${admitted%%,*}
# The pgbench tables, in the same database and server, for select-only and TPC-B.
pgbench -i -q -s 10 "$OWNER_DB" >/dev/null 2>&1

ticks=$(getconf CLK_TCK)
# CPU seconds so far of `cordon serve` ($server) and of every postgres process.
cpu_of() { awk -v t="$ticks" '{s += $14 + $15} END {printf "%.3f", s / t}' "$@" 2>/dev/null || echo 0; }
cordon_cpu() { cpu_of "/proc/$server/stat"; }
postgres_cpu() { cpu_of $(for p in $(pgrep -x postgres); do echo "/proc/$p/stat"; done); }

# wrk against $2 (a path) with optional script $3; appends "name rps p50 p99 cordon_us pg_us".
# With FLOOR=1 it measures the framework floor's server ($floor_server on 18099) instead.
http() {
  local name=$1 path=$2 script=${3:-} out="$work/wrk.txt"
  local c0 p0 c1 p1 port=18090 pid=${server:-}
  if [ -n "${FLOOR:-}" ]; then port=18099; pid=$floor_server; fi
  c0=$(cpu_of "/proc/$pid/stat"); p0=$(postgres_cpu)
  BENCH_HEADER="Authorization: Bearer ${BENCH_TOKEN:-$admin}" wrk -t2 -c32 -d"${seconds}s" --latency \
    -s "${script:-Deploy/bench/auth.lua}" \
    "http://127.0.0.1:$port$path" >"$out"
  c1=$(cpu_of "/proc/$pid/stat"); p1=$(postgres_cpu)
  if grep -q "Non-2xx" "$out"; then echo "WARNING: $name had failed requests: $(grep Non-2xx "$out")" >&2; fi
  awk -v n="$name" -v c="$(echo "$c1 - $c0" | bc)" -v p="$(echo "$p1 - $p0" | bc)" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" {p50 = ms($2)} $1 == "99%" {p99 = ms($2)} /requests in/ {n_req = $1}
    /Requests\/sec/ {rps = $2}
    END {printf "%s\t%.0f\t%.1f\t%.1f\t%.0f\t%.0f\n", n, rps, p50, p99, c * 1e6 / n_req, p * 1e6 / n_req}' "$out" >>"$rows"
}

# pgbench with arguments; prints its tps.
baseline() {
  pgbench -n -c32 -j2 -T"$seconds" "$@" "$OWNER_DB" >"$work/pgbench.txt" 2>&1 ||
    { echo "pgbench $* failed:" >&2; tail -3 "$work/pgbench.txt" >&2; return 0; }
  awk '/^tps/ {printf "%.0f", $3}' "$work/pgbench.txt"
}

echo "== baselines: pgbench, 32 clients, ${seconds}s each"
select_only=$(baseline -S); echo "select-only $select_only tps"
tpcb=$(baseline); echo "TPC-B $tpcb tps"
me_sql=$(baseline -M prepared -D token_hash="$hash" -f Deploy/bench/me.sql); echo "GET /me's SQL $me_sql tps"
census_sql=$(baseline -M prepared -D site=1 -f Deploy/bench/census.sql); echo "the census's SQL $census_sql tps"

echo "== the framework's floor: Hummingbird alone, plain and through 10 pass-through middlewares"
source Deploy/lib/build.sh
floor_bin=$(product_build FrameworkFloor release)
PORT=18099 MALLOC_ARENA_MAX=2 "$floor_bin" &
floor_server=$!
for _ in $(seq 50); do curl -fs http://127.0.0.1:18099/plain >/dev/null && break; sleep 0.2; done
FLOOR=1 http "floor: plain" /plain
FLOOR=1 http "floor: 10 middlewares" /layered/plain
kill "$floor_server"; wait "$floor_server" 2>/dev/null || true

echo "== HTTP: wrk, 32 connections, ${seconds}s each"
bench_serve 18090
http "GET /health/live" /health/live
http "GET /me" /me
IDS=$admitted PATH_PREFIX="/sites/$small/patients/" http "GET a patient" "/" Deploy/bench/get_many.lua
http "GET /sites/{id}/patients" "/sites/$small/patients"
http "GET /sites/{id}/census" /sites/1/census
PATIENTS=$admitted SITE=$small SAMPLED_AT=$(date -u -d '-1 minute' +%FT%TZ) \
  http "POST a test result" "/" Deploy/bench/test_result.lua
BENCH_TOKEN=$pharmacist MEDS=$meds http "POST a dispense" /sites/1/stock/dispenses Deploy/bench/dispense.lua
rss=$(awk '/VmHWM/ {print $2 / 1024}' "/proc/$server/status")
kill "$server"; wait "$server" 2>/dev/null || true

echo
printf '%-28s %8s %8s %8s  %-22s %8s %6s %11s %11s\n' workload req/s p50_ms p99_ms baseline tps ratio cordon_us pg_us
while IFS=$'\t' read -r name rps p50 p99 cus pus; do
  case $name in
    "GET /me") base="/me's SQL"; tps=$me_sql ;;
    "GET a patient") base="select-only"; tps=$select_only ;;
    "GET /sites/{id}/census") base="census's SQL"; tps=$census_sql ;;
    POST*) base="TPC-B"; tps=$tpcb ;;
    "GET /health/live") base="floor: 10 middlewares"; tps=$(awk -F'\t' '$1 == "floor: 10 middlewares" {print $2}' "$rows") ;;
    *) base="-"; tps="" ;;
  esac
  ratio=$([ -n "$tps" ] && [ "$tps" != 0 ] && echo "scale=2; $rps / $tps" | bc || echo "-")
  printf '%-28s %8s %8s %8s  %-22s %8s %6s %11s %11s\n' "$name" "$rps" "$p50" "$p99" "$base" "${tps:--}" "$ratio" "$cus" "$pus"
done <"$rows"
echo "cordon serve's peak RSS: ${rss} MB"
floor_us=$(awk -F'\t' '$1 == "floor: 10 middlewares" {print $5}' "$rows")
me_rps=$(awk -F'\t' '$1 == "GET /me" {print $2}' "$rows")
echo "Cordon's own CPU per request, over the floor's ${floor_us} us:" \
  "$(awk -F'\t' -v f="$floor_us" '$1 !~ /^floor/ {printf "%s %d us; ", $1, $5 - f}' "$rows")"
echo "a patient read's rate against GET /me's: $(awk -F'\t' -v m="$me_rps" '$1 == "GET a patient" {printf "%.2f", $2 / m}' "$rows")"

if [[ $skip != *" ledger "* ]]; then
  echo
  echo "== dispenses again with a million more ledger rows on the same shelf"
  owner -c "INSERT INTO stock_ledger (site_id, kind, medication_id, lot_id, location_id, quantity_change, balance_after,
                                      counted_quantity, reason, movement_id, actor_name, occurred_at)
            SELECT b.site_id, 'count', l.medication_id, b.lot_id, b.location_id, 0, b.quantity, b.quantity,
                   'benchmark history', gen_random_uuid(), 'bench', now()
            FROM generate_series(1, 20000) g, stock_balances b
            JOIN stock_lots l ON l.site_id = b.site_id AND l.id = b.lot_id
            WHERE b.location_id = $LOCATION AND l.medication_id = ANY('{$meds}'::bigint[])" >/dev/null
  owner -c "ANALYZE stock_ledger" >/dev/null
  echo "ledger rows now: $(owner -c "SELECT count(*) FROM stock_ledger")"
  before_rps=$(awk -F'\t' '$1 == "POST a dispense" {print $2}' "$rows")
  bench_serve 18090
  BENCH_TOKEN=$pharmacist MEDS=$meds http "POST a dispense, 1M ledger" /sites/1/stock/dispenses Deploy/bench/dispense.lua
  kill "$server"; wait "$server" 2>/dev/null || true
  after_rps=$(awk -F'\t' '$1 == "POST a dispense, 1M ledger" {print $2}' "$rows")
  echo "dispenses/s: $before_rps with the seed's ledger, $after_rps with a million more rows;" \
    "ratio $(echo "scale=2; $after_rps / $before_rps" | bc)"
fi

if [[ $skip != *" scale "* ]]; then
  echo
  echo "== the census at $large patients beside 10,000 (same shape), 1 and 32 connections"
  owner -v code=SBIG -v patients="$large" -v beds=$((large / 20)) -v admitted=$((large * 4 / 100)) \
    -f Deploy/bench/scale-site.sql >/dev/null
  "$cordon" migrate >/dev/null
  big=$(owner -c "SELECT id FROM sites WHERE code = 'SBIG'")
  bench_serve 18090
  : >"$rows"
  for site in "$small" "$big"; do
    curl -fs -o /dev/null -w "site $site census body: %{size_download} bytes\n" \
      -H @<(header "Authorization: Bearer $admin") "http://127.0.0.1:18090/sites/$site/census"
    BENCH_HEADER="Authorization: Bearer $admin" wrk -t1 -c1 -d"${seconds}s" --latency -s Deploy/bench/auth.lua \
      "http://127.0.0.1:18090/sites/$site/census" >"$work/one.txt"
    http "census site $site" "/sites/$site/census"
    echo "site $site, one connection: p50 $(awk '$1 == "50%" {print $2}' "$work/one.txt")"
  done
  kill "$server"; wait "$server" 2>/dev/null || true
  read -r _ _ small_rps small_p50 small_p99 _ _ < <(sed -n 1p "$rows" | tr '\t' ' ' | awk '{print $1, $2, $(NF-4), $(NF-3), $(NF-2), $(NF-1), $NF}')
  read -r _ _ big_rps big_p50 big_p99 _ _ < <(sed -n 2p "$rows" | tr '\t' ' ' | awk '{print $1, $2, $(NF-4), $(NF-3), $(NF-2), $(NF-1), $NF}')
  echo "census under load: 10,000 patients $small_rps req/s p50 ${small_p50} ms; $large patients $big_rps req/s p50 ${big_p50} ms;" \
    "ratio of p50s $(echo "scale=2; $big_p50 / $small_p50" | bc)"
fi

if [[ $skip != *" roster "* ]]; then
  echo
  echo "== roster import (Deploy/bench-roster.sh)"
  Deploy/bench-roster.sh 2>&1 | grep -E "ratio import/copy|ratio import/floor|run 1:"
fi
if [[ $skip != *" webhooks "* ]]; then
  echo
  echo "== webhook drain (Deploy/bench-webhooks.sh)"
  Deploy/bench-webhooks.sh 2>&1 | grep -E "== summary|backlog:"
fi
rm -rf "$work"
