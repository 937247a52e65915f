#!/usr/bin/env bash
# Benchmark GET /sites/{id}/census with wrk at 32 connections, beside pgbench running the same
# SQL at the same concurrency, in one run. Uses a database of its own (cordon_bench) with the
# demo data, and a release build.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${BENCH_SECONDS:-20}
source Deploy/bench/common.sh
bench_setup cordon_bench
token=$("$cordon" token issue --user demo-admin --quiet)
hash=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)

bench_serve 18080
url="http://127.0.0.1:18080/sites/1/census?until=2022-04-14"
curl -fs -H @<(header "Authorization: Bearer $token") "$url" >/dev/null

echo "== wrk: GET /sites/1/census, 32 connections, ${seconds}s"
BENCH_HEADER="Authorization: Bearer $token" wrk -t2 -c32 -d"${seconds}s" -s Deploy/bench/auth.lua "$url" | tee /tmp/cordon-wrk.txt
echo "== pgbench: the census SQL, 32 clients, ${seconds}s"
PGPASSWORD=$(cat .local/postgres/password 2>/dev/null || true) \
  /usr/lib/postgresql/*/bin/pgbench -n -c32 -j2 -T"$seconds" -M prepared -D token_hash="$hash" \
  -f Deploy/bench/census.sql "$APP_DB" | tee /tmp/cordon-pgbench.txt
http=$(awk '/Requests\/sec/ {print $2}' /tmp/cordon-wrk.txt)
sql=$(awk '/^tps/ {print $3}' /tmp/cordon-pgbench.txt)
echo "== census over HTTP: $http req/s; census SQL alone: $sql tx/s; ratio HTTP/SQL = $(echo "scale=2; $http / $sql" | bc)"
