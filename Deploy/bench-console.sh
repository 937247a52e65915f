#!/usr/bin/env bash
# Benchmark the web console's two busiest pages, the site board and the roster week, with wrk at
# 32 connections, beside GET /sites/{id}/census in the same run (the board is the census plus the
# beds, alerts and gaps around it), and print each main page's size. Uses a database of its own
# (cordon_bench) with the demo data, and a release build.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${BENCH_SECONDS:-20}
source Deploy/bench/common.sh
bench_setup cordon_bench
token=$("$cordon" token issue --user manager-shen --quiet)
password="bench-$(head -c 9 /dev/urandom | base64 | tr '+/' 'xy')"
printf '%s\n' "$password" | "$cordon" user password manager-shen >/dev/null

bench_serve 18080
base="http://127.0.0.1:18080"
jar=$(mktemp)
curl -fs -c "$jar" -o /dev/null --data-urlencode "username=manager-shen" --data-urlencode "password=$password" \
  "$base/console/sign-in"
cookie="cordon_session=$(awk '$6 == "cordon_session" {print $7}' "$jar")"
rm -f "$jar"

echo "== page sizes (bytes, as the site manager sees them)"
for page in "" /patients /patients/1 /patients/new /roster /referrals /referrals/1 /doses /worklist /stock /branch /audit; do
  printf '%-24s %s\n' "${page:-/ (board)}" "$(curl -fs -H @<(header "Cookie: $cookie") "$base/console/sites/JS-01$page" | wc -c)"
done

run() {
  local name=$1 url=$2 header=$3
  echo "== wrk: $name, 32 connections, ${seconds}s"
  BENCH_HEADER=$header wrk -t2 -c32 -d"${seconds}s" --latency -s Deploy/bench/auth.lua "$url" | tee "/tmp/cordon-wrk-$name.txt"
}
run census "$base/sites/1/census" "Authorization: Bearer $token"
run board "$base/console/sites/JS-01" "Cookie: $cookie"
run roster "$base/console/sites/JS-01/roster" "Cookie: $cookie"

echo "== summary (requests/s, p50, p99)"
for name in census board roster; do
  file="/tmp/cordon-wrk-$name.txt"
  printf '%-8s %10s rps  p50 %-9s p99 %s\n' "$name" "$(awk '/Requests\/sec/ {print $2}' "$file")" \
    "$(awk '$1 == "50%" {print $2}' "$file")" "$(awk '$1 == "99%" {print $2}' "$file")"
done
