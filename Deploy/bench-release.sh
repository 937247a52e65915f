#!/usr/bin/env bash
# Batch release on the release build: 5,000 signed-off people of a site of 5,000 beds released
# in one request (POST /sites/{id}/releases: each person decided, discharged as recovered, the
# bed stay closed, the bed to cleaning, an audit entry each), beside the database's floor for
# the same writes (set-wise updates of the same rows and the audit rows, in psql, rolled back).
# Each run starts from the same state; what was released is counted in SQL afterwards.
# Then the certificates of those released: a bus of 40 as one PDF, and all 5,000 printed bus by
# bus (125 files of 40, as a discharge office prints them; one file of 5,000 would outlast the
# request deadline), per certificate and beside the database's own read of the same
# certificates and tests; peak RSS of cordon serve at the end.
# Then buses home for the 5,000 across 300 residential committees of 30 streets (every
# committee with a webhook endpoint, so each notice is also written to the outbox): one plan
# request beside the database's floor for the same rows (buses, passengers, notices, outbox
# events and audit rows, set-wise in psql, rolled back), and every bus's manifest as CSV and
# as PDF beside the database's read of the same passengers.
#
#   CORDON_BIN=...   measure that binary (see Deploy/bench/common.sh)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source Deploy/bench/common.sh
bench_setup cordon_bench_release
owner() { psql -qtAX "$OWNER_DB" "$@"; }
owner -v code=REL5K -v patients=5000 -v beds=5000 -v admitted=5000 -f Deploy/bench/scale-site.sql >/dev/null
site=$(owner -c "SELECT id FROM sites WHERE code = 'REL5K'")
# Everyone clear (two negative tests a day apart, after the site's history) and signed off.
owner -q <<SQL >/dev/null
INSERT INTO nucleic_acid_tests (site_id, patient_id, sampled_at, result)
SELECT site_id, id, now() - h * interval '1 hour', 'negative'
FROM patients, (VALUES (30), (2)) AS t (h) WHERE site_id = $site AND status = 'admitted';
UPDATE patients SET release_eligible = true WHERE site_id = $site AND status = 'admitted';
INSERT INTO release_sign_offs (site_id, patient_id, signed_by, symptoms_improved)
SELECT site_id, id, 'bench clinician', true FROM patients WHERE site_id = $site AND status = 'admitted';
CREATE TABLE bench_stays AS
SELECT a.site_id, a.id, a.bed_id FROM bed_assignments a WHERE a.site_id = $site AND upper_inf(a.during);
ANALYZE;
SQL
admin=$("$cordon" token issue --user demo-admin --quiet)
bench_serve 18096
work=$(mktemp -d)
owner -c "SELECT json_build_object('patientIds', json_agg(id ORDER BY id)) FROM patients WHERE site_id = $site AND status = 'admitted'" >"$work/ids.json"
reset_release() {
  owner -q <<SQL >/dev/null
DELETE FROM release_certificates WHERE site_id = $site;
UPDATE patients SET status = 'admitted', discharged_at = NULL, discharge_reason = NULL
WHERE site_id = $site AND status = 'discharged' AND discharge_reason = 'recovered' AND discharged_at > now() - interval '1 hour';
UPDATE bed_assignments a SET during = tstzrange(lower(a.during), NULL) FROM bench_stays s
WHERE a.site_id = s.site_id AND a.id = s.id AND NOT upper_inf(a.during);
UPDATE beds b SET status = 'occupied' FROM bench_stays s WHERE b.site_id = s.site_id AND b.id = s.bed_id AND b.status <> 'occupied';
VACUUM ANALYZE patients, bed_assignments, beds;
SQL
}
median() { sort -n | sed -n 2p; }
seconds_of() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$@"; }

floor_s=$(for _ in 1 2 3; do
  reset_release
  start=$(date +%s.%N)
  psql -qAtX "$OWNER_DB" >/dev/null <<SQL
BEGIN;
WITH released AS (
    UPDATE patients p SET status = 'discharged', discharged_at = now(), discharge_reason = 'recovered',
           version = p.version + 1, updated_at = now()
    FROM release_sign_offs s
    WHERE p.site_id = $site AND p.status = 'admitted' AND p.release_eligible
      AND s.site_id = p.site_id AND s.patient_id = p.id AND s.withdrawn_at IS NULL
    RETURNING p.site_id, p.id),
stays AS (
    UPDATE bed_assignments a SET during = tstzrange(lower(a.during), now(), '[)')
    FROM released r WHERE a.site_id = r.site_id AND a.patient_id = r.id AND upper_inf(a.during)
    RETURNING a.site_id, a.bed_id),
cleaned AS (
    UPDATE beds b SET status = 'cleaning', version = b.version + 1, updated_at = now()
    FROM stays WHERE b.site_id = stays.site_id AND b.id = stays.bed_id)
INSERT INTO audit_log (site_id, actor_name, role, action, entity, entity_id, after)
SELECT site_id, 'bench', 'admin', 'release', 'patient', id::text, '{}'::jsonb FROM released;
ROLLBACK;
SQL
  seconds_of "$start" "$(date +%s.%N)"
done | median)
echo "floor: the same writes set-wise in psql: ${floor_s}s median of 3"

times=()
for _ in 1 2 3; do
  reset_release
  start=$(date +%s.%N)
  curl -fs -o "$work/answer.json" -X POST -H 'Content-Type: application/json' \
    -H @<(header "Authorization: Bearer $admin") --data-binary @"$work/ids.json" \
    "http://127.0.0.1:18096/sites/$site/releases"
  times+=("$(seconds_of "$start" "$(date +%s.%N)")")
  released=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["released"])' "$work/answer.json")
done
t=$(printf '%s\n' "${times[@]}" | median)
counted=$(owner -c "SELECT count(*) FROM patients WHERE site_id = $site AND status = 'discharged' AND discharged_at > now() - interval '1 hour'")
cleaning=$(owner -c "SELECT count(*) FROM beds WHERE site_id = $site AND status = 'cleaning'")
echo "release: 5000 in one request in ${t}s median of 3 (answered released: $released; counted: $counted discharged, $cleaning beds cleaning)"
python3 -c 'import sys; print(f"  release / floor: {float(sys.argv[2]) / float(sys.argv[1]):.2f}")' "$floor_s" "$t"

# Certificates of the released: one file for a bus of 40, then all 5,000 a bus at a time.
owner -c "SELECT json_build_object('patientIds', json_agg(id ORDER BY id)) FROM (SELECT patient_id AS id FROM release_certificates WHERE site_id = $site ORDER BY patient_id LIMIT 40) b" >"$work/bus.json"
owner -c "SELECT json_build_object('patientIds', json_agg(patient_id ORDER BY patient_id)) FROM (SELECT patient_id, (row_number() OVER (ORDER BY patient_id) - 1) / 40 AS bus FROM release_certificates WHERE site_id = $site) c GROUP BY bus ORDER BY bus" >"$work/buses.jsonl"
read_floor=$(for _ in 1 2 3; do
  start=$(date +%s.%N)
  owner -c "SELECT c.id, p.name, p.national_id, t.sampled_at, t.n_gene_ct FROM release_certificates c JOIN patients p ON p.site_id = c.site_id AND p.id = c.patient_id JOIN nucleic_acid_tests t ON t.site_id = p.site_id AND t.patient_id = p.id WHERE c.site_id = $site" >/dev/null
  seconds_of "$start" "$(date +%s.%N)"
done | median)
print_certificates() {
  local ids=$1 out=$2
  local start
  start=$(date +%s.%N)
  curl -fs -o "$out" -X POST -H 'Content-Type: application/json' -H @<(header "Authorization: Bearer $admin") \
    --data-binary @"$ids" "http://127.0.0.1:18096/sites/$site/release-certificate-prints"
  seconds_of "$start" "$(date +%s.%N)"
}
bus_s=$(for _ in 1 2 3; do print_certificates "$work/bus.json" "$work/bus.pdf"; done | median)
start_all=$(date +%s.%N)
bytes_all=0
while read -r line; do
  printf '%s' "$line" >"$work/one-bus.json"
  print_certificates "$work/one-bus.json" "$work/one-bus.pdf" >/dev/null
  bytes_all=$((bytes_all + $(stat -c %s "$work/one-bus.pdf")))
done <"$work/buses.jsonl"
all_s=$(seconds_of "$start_all" "$(date +%s.%N)")
pages=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["patientIds"]) for l in open(sys.argv[1]) if l.strip()))' "$work/buses.jsonl")
buses=$(grep -c . "$work/buses.jsonl")
python3 - "$bus_s" "$all_s" "$pages" "$read_floor" "$(stat -c %s "$work/bus.pdf")" "$bytes_all" "$buses" <<'PY'
import sys
bus, every, pages, floor, bus_bytes, all_bytes, buses = map(float, sys.argv[1:])
print(f"certificates, a bus of 40 in one PDF: {bus:.2f}s median of 3 = {bus / 40 * 1000:.1f} ms each, {bus_bytes / 1024:.0f} KB")
print(f"certificates, all {pages:.0f} as {buses:.0f} files of a bus each: {every:.2f}s = {every / pages * 1000:.1f} ms each, {all_bytes / 1048576:.1f} MB in all")
print(f"  the database's read of the same certificates and tests: {floor:.2f}s; printing all / that read: {every / floor:.1f}")
PY

# Buses home: 300 committees on 30 streets, each with an endpoint; homes, households (pairs)
# and carers (one in 25) for the released.
owner -q <<SQL >/dev/null
INSERT INTO residential_committees (district_id, name, street, webhook_url, webhook_secret)
SELECT s.district_id, 'committee ' || c, 'street ' || (c % 30), 'https://committee.invalid/hook', 'whsec_bench'
FROM sites s, generate_series(1, 300) AS c WHERE s.id = $site;
UPDATE patients p SET committee_id = c.id, committee = c.name, home_address = 'road ' || p.id,
       household = CASE WHEN p.id % 10 < 4 THEN 'H' || (p.id / 2) END, needs_carer = p.id % 25 = 0
FROM residential_committees c
WHERE p.site_id = $site AND p.status = 'discharged' AND p.discharged_at > now() - interval '1 hour'
  AND c.name = 'committee ' || (1 + p.id % 300);
SQL
reset_buses() {
  owner -q <<SQL >/dev/null
ALTER TABLE webhook_attempts DISABLE TRIGGER webhook_attempts_append_only;
DELETE FROM webhook_attempts a USING webhook_events e
WHERE a.site_id = e.site_id AND a.event_id = e.id AND e.committee_id IS NOT NULL;
ALTER TABLE webhook_attempts ENABLE TRIGGER webhook_attempts_append_only;
DELETE FROM webhook_events WHERE committee_id IS NOT NULL;
DELETE FROM committee_notices WHERE site_id = $site;
DELETE FROM release_bus_passengers WHERE site_id = $site;
DELETE FROM release_buses WHERE site_id = $site;
VACUUM ANALYZE release_buses, release_bus_passengers, committee_notices, webhook_events;
SQL
}
departs=$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)
plan_times=()
for _ in 1 2 3; do
  reset_buses
  start=$(date +%s.%N)
  curl -fs -o "$work/plan.json" -X POST -H 'Content-Type: application/json' \
    -H @<(header "Authorization: Bearer $admin") --data-binary "{\"seats\":40,\"departsAt\":\"$departs\"}" \
    "http://127.0.0.1:18096/sites/$site/release-buses"
  plan_times+=("$(seconds_of "$start" "$(date +%s.%N)")")
done
plan_s=$(printf '%s\n' "${plan_times[@]}" | median)
read -r bus_count seated notices events < <(owner -F ' ' -c "SELECT (SELECT count(*) FROM release_buses WHERE site_id = $site), (SELECT count(*) FROM release_bus_passengers WHERE site_id = $site), (SELECT count(*) FROM committee_notices WHERE site_id = $site), (SELECT count(*) FROM webhook_events WHERE committee_id IS NOT NULL)")
# The floor: the plan's own rows copied aside, then written again set-wise in one transaction.
owner -q <<SQL >/dev/null
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_buses, bench_passengers, bench_events;
CREATE TABLE bench_buses AS SELECT id, destination, seats, seats_taken FROM release_buses WHERE site_id = $site;
CREATE TABLE bench_passengers AS SELECT bus_id, patient_id, seat_count, committee_id, committee FROM release_bus_passengers WHERE site_id = $site;
CREATE TABLE bench_events AS SELECT n.bus_id, n.committee_id, e.body FROM webhook_events e JOIN committee_notices n ON n.site_id = e.site_id AND n.id = e.committee_notice_id;
SQL
reset_buses
plan_floor_s=$(for _ in 1 2 3; do
  start=$(date +%s.%N)
  psql -qAtX "$OWNER_DB" >/dev/null <<SQL
BEGIN;
SELECT count(*) FROM patients p LEFT JOIN residential_committees c ON c.id = p.committee_id
WHERE p.site_id = $site AND p.status = 'discharged' AND p.discharge_reason = 'recovered' AND p.discharged_at > now() - interval '72 hours'
  AND NOT EXISTS (SELECT 1 FROM release_bus_passengers x WHERE x.site_id = p.site_id AND x.patient_id = p.id);
INSERT INTO release_buses (site_id, id, destination, seats, seats_taken, departs_at, planned_by) OVERRIDING SYSTEM VALUE
SELECT $site, id, destination, seats, seats_taken, now() + interval '2 hours', 'bench' FROM bench_buses;
INSERT INTO release_bus_passengers (site_id, bus_id, patient_id, seat_count, committee_id, committee)
SELECT $site, bus_id, patient_id, seat_count, committee_id, committee FROM bench_passengers;
WITH n AS (
    INSERT INTO committee_notices (site_id, bus_id, committee_id)
    SELECT DISTINCT $site, bus_id, committee_id FROM bench_passengers RETURNING id, bus_id, committee_id)
INSERT INTO webhook_events (site_id, id, committee_id, committee_notice_id, type, body)
SELECT $site, gen_random_uuid(), n.committee_id, n.id, 'committee.arrivals', e.body
FROM n JOIN bench_events e ON e.bus_id = n.bus_id AND e.committee_id = n.committee_id;
INSERT INTO audit_log (site_id, actor_name, role, action, entity, entity_id, after)
SELECT $site, 'bench', 'admin', 'plan', 'release_bus', id::text, '{}'::jsonb FROM bench_buses;
ROLLBACK;
SQL
  seconds_of "$start" "$(date +%s.%N)"
done | median)
# Leave the plan in place for the manifests.
reset_buses
curl -fs -o "$work/plan.json" -X POST -H 'Content-Type: application/json' \
  -H @<(header "Authorization: Bearer $admin") --data-binary "{\"seats\":40,\"departsAt\":\"$departs\"}" \
  "http://127.0.0.1:18096/sites/$site/release-buses"
echo "buses: $seated people across 300 committees planned onto $bus_count buses in ${plan_s}s median of 3 ($notices committee notices, $events outbox events)"
python3 -c 'import sys; print(f"  floor, the same rows set-wise in psql: {float(sys.argv[1]):.2f}s; plan / floor: {float(sys.argv[2]) / float(sys.argv[1]):.2f}")' "$plan_floor_s" "$plan_s"
manifest_read=$(for _ in 1 2 3; do
  start=$(date +%s.%N)
  owner -c "SELECT x.bus_id, p.id, p.name, x.committee, p.household, x.seat_count, p.discharged_at FROM release_bus_passengers x JOIN patients p ON p.site_id = x.site_id AND p.id = x.patient_id WHERE x.site_id = $site ORDER BY x.bus_id" >/dev/null
  seconds_of "$start" "$(date +%s.%N)"
done | median)
# The same number of requests to the readiness check: what a request costs at all (curl, TLS-less
# loopback, sign-in), so the manifests' own cost shows.
bus_ids=$(owner -c "SELECT id FROM release_buses WHERE site_id = $site ORDER BY id")
start=$(date +%s.%N)
for _ in $bus_ids; do
  curl -fs -o /dev/null -H @<(header "Authorization: Bearer $admin") "http://127.0.0.1:18096/health/ready"
done
requests_s=$(seconds_of "$start" "$(date +%s.%N)")
for format in csv pdf; do
  start=$(date +%s.%N)
  for bus in $bus_ids; do
    curl -fs -o "$work/manifest.$format" -H @<(header "Authorization: Bearer $admin") \
      "http://127.0.0.1:18096/sites/$site/release-buses/$bus/manifest?format=$format"
  done
  manifest_s=$(seconds_of "$start" "$(date +%s.%N)")
  python3 -c 'import sys; s, n, floor, base, f = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]; print(f"manifests as {f.upper()}, all {n} buses one request each: {s:.2f}s = {s / n * 1000:.1f} ms a bus; / as many readiness requests ({base:.2f}s): {s / base:.1f}; the database read of every passenger at once: {floor:.2f}s")' "$manifest_s" "$bus_count" "$manifest_read" "$requests_s" "$format"
done

rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$server/status")
echo "cordon serve peak RSS: ${rss} MB"
