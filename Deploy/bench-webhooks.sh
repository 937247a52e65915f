#!/usr/bin/env bash
# Benchmark webhook delivery to a local receiver (Deploy/bench/webhook_receiver.py, which checks
# every signature), in one run:
#   baseline  wrk POSTs the same event body straight to the receiver at WEBHOOK_CONCURRENCY
#             connections: what the receiver and loopback allow;
#   backlog   1,000 events (one per referral) waiting when `cordon serve` starts: drain rate;
#   live      1,000 events written one per transaction by pgbench at BENCH_RATE/s while
#             `cordon serve` runs: latency from the write to the receiver, and rate.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
events=${BENCH_EVENTS:-1000}
rate=${BENCH_RATE:-200}
export WEBHOOK_CONCURRENCY=${WEBHOOK_CONCURRENCY:-8}
# The receiver is plain HTTP on loopback, as a lab's may be.
export WEBHOOK_ALLOW_PRIVATE_NETWORKS=true
source Deploy/bench/common.sh
bench_setup cordon_bench_webhooks
work=$(mktemp -d)

python3 Deploy/bench/webhook_receiver.py --log "$work/received.log" --secret-file "$work/secret" >"$work/receiver.out" 2>&1 &
receiver=$!
trap 'kill $receiver 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q listening "$work/receiver.out" 2>/dev/null && break; sleep 0.1; done
port=$(awk '{print $3}' "$work/receiver.out")
"$cordon" hospital webhook PJ1 "http://127.0.0.1:$port/cordon-webhooks" | awk '/secret/ {print $NF}' >"$work/secret"

# The seed's own events are not measured; 2 x $events referrals to PJ1, each to carry one event.
psql -qX "$OWNER_DB" <<SQL
UPDATE webhook_events SET status = 'delivered', delivered_at = now();
INSERT INTO referrals (site_id, patient_id, hospital_id, department_id, reason, clinical_summary, services, urgency, fast_lane,
                       committee_contact, requested_by)
SELECT r.site_id, r.patient_id, r.hospital_id, r.department_id, r.reason, r.clinical_summary, r.services, r.urgency, r.fast_lane,
       r.committee_contact, r.requested_by
FROM generate_series(1, 2 * $events), (SELECT * FROM referrals WHERE hospital_id = (SELECT id FROM hospitals WHERE code = 'PJ1') LIMIT 1) r;
CREATE TABLE bench_referrals AS
SELECT row_number() OVER (ORDER BY id) AS n, site_id, id, hospital_id FROM referrals
WHERE hospital_id = (SELECT id FROM hospitals WHERE code = 'PJ1') ORDER BY id DESC LIMIT 2 * $events;
CREATE SEQUENCE bench_next;
-- One real event body to copy, its id swapped for each copy's.
CREATE TABLE bench_body AS SELECT id::text AS id, body FROM webhook_events ORDER BY seq LIMIT 1;
SQL
psql -tAqX "$OWNER_DB" -c "SELECT body FROM bench_body" >"$work/body.json"
# The SQL that writes one event for each bench referral matching $1.
enqueue_sql() {
  echo "INSERT INTO webhook_events (site_id, id, hospital_id, referral_id, type, body)
    SELECT r.site_id, r.event_id, r.hospital_id, r.id, 'referral.status_changed', replace(b.body, b.id, r.event_id::text)
    FROM (SELECT *, gen_random_uuid() AS event_id FROM bench_referrals WHERE $1) r, bench_body b"
}

echo "== baseline: wrk POSTs the event body to the receiver, $WEBHOOK_CONCURRENCY connections, 5 s"
# Signed as Cordon signs, so the receiver checks an HMAC on every request here too.
signature=$(python3 -c 'import hmac,hashlib,sys,time; t=int(time.time()); body=open(sys.argv[1],"rb").read().rstrip(b"\n"); print(f"t={t},v1="+hmac.new(open(sys.argv[2]).read().strip().encode(), f"{t}.".encode()+body, hashlib.sha256).hexdigest())' "$work/body.json" "$work/secret")
SIGNATURE=$signature BODY_FILE="$work/body.json" wrk -t1 -c"$WEBHOOK_CONCURRENCY" -d5s --latency -s Deploy/bench/webhook_post.lua \
  "http://127.0.0.1:$port/cordon-webhooks" | tee "$work/wrk.txt"
base_rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
base_p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")

echo "== backlog: $events events waiting when cordon serve starts"
psql -qX "$OWNER_DB" -c "$(enqueue_sql "n <= $events")"
psql -tAqX "$OWNER_DB" -F $'\t' -c "SELECT id, extract(epoch FROM created_at) FROM webhook_events WHERE status = 'pending'" >"$work/backlog.tsv"
start=$(date +%s.%N);
bench_serve 18084
trap 'kill $server $receiver 2>/dev/null || true' EXIT
until [ "$(psql -tAqX "$OWNER_DB" -c "SELECT count(*) FROM webhook_events WHERE status = 'pending'")" = 0 ]; do sleep 0.25; done
end=$(date +%s.%N)
first=$(awk 'NR==FNR {want[$1]; next} ($1 in want) {print $3; exit}' "$work/backlog.tsv" "$work/received.log")
last=$(awk 'NR==FNR {want[$1]; next} ($1 in want) {t=$3} END {print t}' "$work/backlog.tsv" "$work/received.log")
drain_rate=$(echo "$events / ($last - $first)" | bc -l | xargs printf '%.0f')
echo "backlog: first to last arrival $(echo "$last - $first" | bc -l | xargs printf '%.2f') s ($drain_rate events/s); from starting cordon serve to all recorded $(echo "$end - $start" | bc -l | xargs printf '%.2f') s"

echo "== live: $events events written one per transaction at $rate/s while cordon serve runs"
echo "WITH next AS (SELECT nextval('bench_next') AS k) $(enqueue_sql "n = $events + (SELECT k FROM next)")" >"$work/enqueue.sql"
pgbench -n -c1 -t "$events" -R "$rate" -f "$work/enqueue.sql" "$OWNER_DB" | grep -E "tps|latency average"
until [ "$(psql -tAqX "$OWNER_DB" -c "SELECT count(*) FROM webhook_events WHERE status = 'pending'")" = 0 ]; do sleep 0.25; done
psql -tAqX "$OWNER_DB" -F $'\t' -c "SELECT e.id, extract(epoch FROM e.created_at) FROM webhook_events e JOIN bench_referrals r ON r.site_id = e.site_id AND r.id = e.referral_id WHERE r.n > $events" >"$work/live.tsv"
read -r count live_rate p50 p95 p99 max < <(python3 Deploy/bench/webhook_stats.py "$work/received.log" "$work/live.tsv")
echo "live: $count events, $live_rate/s; latency write -> receiver p50 $p50 ms, p95 $p95 ms, p99 $p99 ms, max $max ms"
connections=$(awk '$1 != "-" {print $5}' "$work/received.log" | sort -u | wc -l)
echo "connections Cordon opened to the receiver: $connections"
bad=$(awk '$4 == "0"' "$work/received.log" | wc -l)
dead=$(psql -tAqX "$OWNER_DB" -c "SELECT count(*) FROM webhook_events WHERE status <> 'delivered'")
echo "signatures that failed to verify: $bad; events not delivered: $dead"

base_p50_ms=$(echo "$base_p50" | awk '/us$/ {sub("us",""); print $1/1000; next} /ms$/ {sub("ms",""); print $1; next} /s$/ {sub("s",""); print $1*1000}')
echo "== summary: baseline $base_rps req/s (p50 $base_p50); backlog drain $drain_rate events/s = $(echo "$drain_rate / $base_rps" | bc -l | xargs printf '%.2f') x baseline;" \
     "live p50 latency $p50 ms = $(echo "$p50 / $base_p50_ms" | bc -l | xargs printf '%.1f') x the baseline request's p50"
