#!/usr/bin/env bash
# Benchmark one-tablet dispenses over HTTP at 32 connections: all on one hot medication (every
# request locks the same balance row), then spread over 50 medications, in one run.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${BENCH_SECONDS:-15}
source Deploy/bench/common.sh
bench_setup cordon_bench_stock
bench_stock
hot=${meds%%,*}

bench_serve 18082

run() {
  MEDS=$1 wrk -t2 -c32 -d"${seconds}s" -s Deploy/bench/dispense.lua http://127.0.0.1:18082/sites/1/stock/dispenses | tee /tmp/cordon-wrk-dispense.txt
  grep -q "Non-2xx" /tmp/cordon-wrk-dispense.txt && echo "WARNING: some dispenses failed"
  awk '/Requests\/sec/ {print $2}' /tmp/cordon-wrk-dispense.txt
}
echo "== one hot medication (id $hot), 32 connections, ${seconds}s"
hot_rps=$(run "$hot" | tail -1)
echo "== 50 medications, 32 connections, ${seconds}s"
spread_rps=$(run "$meds" | tail -1)
psql -tAq "$APP_DB" -c "SELECT 'ledger balances: ' || (SELECT count(*) FROM stock_balances b WHERE b.quantity <> (SELECT coalesce(sum(quantity_change),0) FROM stock_ledger l WHERE l.location_id = b.location_id AND l.lot_id = b.lot_id)) || ' mismatches'"
echo "== dispenses/s: hot $hot_rps; spread over 50 $spread_rps; ratio hot/spread = $(echo "scale=2; $hot_rps / $spread_rps" | bc)"
