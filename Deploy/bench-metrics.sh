#!/usr/bin/env bash
# The cost of metrics and traces: GET /sites/1/census and one-tablet dispenses spread over 50
# medicines, each with wrk at 32 connections, served once with both off (METRICS_PORT=off, no
# OTEL_EXPORTER_OTLP_ENDPOINT) and once with both on (metrics scraped every second, every request
# traced and exported over OTLP/HTTP to a local sink), alternating twice in one run (off, on,
# off, on) so that the ledger's growth and the machine's noise fall on both sides.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${BENCH_SECONDS:-15}
source Deploy/bench/common.sh
bench_setup cordon_bench_metrics
bench_stock
admin=$("$cordon" token issue --user demo-admin --quiet)
export MEDS=$meds

# An OTLP/HTTP sink that accepts and drops what it is sent.
python3 -c '
import http.server
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"{}")
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", 14318), Sink).serve_forever()' &
sink=$!
trap 'kill $sink 2>/dev/null || true' EXIT

measure() {
  local label=$1 metrics_port=$2 scraper=""
  if [ "$metrics_port" = off ]; then
    unset OTEL_EXPORTER_OTLP_ENDPOINT
  else
    export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:14318
  fi
  METRICS_PORT=$metrics_port bench_serve 18086
  if [ "$metrics_port" != off ]; then
    (while sleep 1; do curl -fs "http://127.0.0.1:$metrics_port/metrics" >/dev/null || true; done) &
    scraper=$!
  fi
  census=$(BENCH_HEADER="Authorization: Bearer $admin" wrk -t2 -c32 -d"${seconds}s" -s Deploy/bench/auth.lua http://127.0.0.1:18086/sites/1/census |
    awk '/Requests\/sec/ {print $2}')
  dispense=$(wrk -t2 -c32 -d"${seconds}s" -s Deploy/bench/dispense.lua http://127.0.0.1:18086/sites/1/stock/dispenses |
    awk '/Requests\/sec/ {print $2}')
  [ -n "$scraper" ] && kill "$scraper"
  kill "$server"; wait "$server" 2>/dev/null || true
  echo "$label census $census dispense $dispense"
}
c_off=0 d_off=0 c_on=0 d_on=0
for round in 1 2; do
  for mode in off on; do
    line=$(measure "round $round metrics+traces $mode" "$([ $mode = off ] && echo off || echo 19464)" | tail -1)
    echo "== $line"
    read -r _ _ _ _ _ census _ dispense <<<"$line"
    if [ $mode = off ]; then
      c_off=$(echo "$c_off + $census" | bc) d_off=$(echo "$d_off + $dispense" | bc)
    else
      c_on=$(echo "$c_on + $census" | bc) d_on=$(echo "$d_on + $dispense" | bc)
    fi
  done
done
echo "== with metrics and traces / without (sums of both rounds): census $(echo "scale=3; $c_on / $c_off" | bc), dispense $(echo "scale=3; $d_on / $d_off" | bc)"
kill "$sink" 2>/dev/null || true
