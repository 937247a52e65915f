#!/usr/bin/env bash
# The restore drill: proves that Deploy/backup.sh brings Cordon back to a chosen minute.
#
# On a PostgreSQL cluster of its own (the development one is not touched) it loads the demo site,
# takes a full backup, writes more (admissions and stock receipts), notes the time, writes more,
# then restores to the noted time into a new data directory, starts `cordon serve` on it and
# checks that exactly the records written up to that time are there, that every shelf's balance
# equals the sum of its ledger, that the audit trail holds exactly the entries it held then, and
# that the restored Cordon answers. Prints the backup's size and time and the restore time; exits
# non-zero on any difference. Uses the release build (CORDON_BUILD_CONFIGURATION=debug: debug).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. "$root/Deploy/lib/private.sh"
config=${CORDON_BUILD_CONFIGURATION:-release}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
drill=/var/tmp/cordon-restore-drill
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
say() { printf '== %s\n' "$*"; }
fail() { printf 'DRILL FAILED: %s\n' "$*" >&2; exit 1; }

Deploy/system-packages.sh
"$root/Deploy/postgres.sh" start >/dev/null 2>&1 || true  # installs PostgreSQL if missing
source "$root/Deploy/lib/build.sh"
cordon=$(cordon_build "$config")

# A cluster of the drill's own, on loopback, trusting local connections (it lives for minutes).
stop_all() {
  for data in "$drill/data" "$drill/restored"; do
    [ -f "$data/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  done
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
}
trap stop_all EXIT
stop_all
rm -rf "$drill"
private_dir "$drill" "$(if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi)"
mkdir -p "$drill/data" "$drill/socket"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$drill"
as_postgres "$bin/initdb" -D "$drill/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
port=57432
while port_in_use "$port"; do port=$((port + 1)); done
as_postgres "$bin/pg_ctl" -D "$drill/data" -l "$drill/server.log" -w \
  -o "-p $port -k $drill/socket -c listen_addresses=127.0.0.1" start >/dev/null
psql_at() { as_postgres "$bin/psql" -v ON_ERROR_STOP=1 -qAt -h 127.0.0.1 -p "$1" -U postgres -d "${2:-cordon}" -c "$3"; }
psql_at "$port" postgres "CREATE ROLE cordon_owner LOGIN" >/dev/null
psql_at "$port" postgres "CREATE ROLE cordon_app LOGIN" >/dev/null
psql_at "$port" postgres "CREATE DATABASE cordon OWNER cordon_owner" >/dev/null
url() { printf 'postgres://%s@127.0.0.1:%s/cordon?sslmode=disable' "$1" "$2"; }
export DATABASE_URL DATABASE_OWNER_URL
DATABASE_URL=$(url cordon_app "$port") DATABASE_OWNER_URL=$(url cordon_owner "$port")
"$cordon" migrate >/dev/null
"$cordon" seed >/dev/null

export CORDON_PG_DATA="$drill/data" CORDON_PG_PORT=$port CORDON_PG_SOCKET="$drill/socket"
export CORDON_BACKUP_REPO="$drill/repo" CORDON_BACKUP_STANZA=drill
say "configure archiving and take a full backup"
Deploy/backup.sh configure 2>/dev/null
started=$(date +%s.%N)
Deploy/backup.sh full 2>/dev/null
backup_seconds=$(echo "$(date +%s.%N) - $started" | bc)
backup_bytes=$(du -sb "$drill/repo/backup" | cut -f1)

# Writes that leave a trace in patients, the ledger and the audit trail.
write_batch() {
  local tag=$1
  for bed in $("$cordon" bed list JS-01 --status free --json | python3 -c \
    'import json,sys; print(" ".join(b["code"] for b in json.load(sys.stdin)[:3]))'); do
    local id
    id=$(python3 -c '
import random, sys
first = "310115198" + "%08d" % random.randrange(10**8)
first = first[:6] + "19800101" + first[14:17]
w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
print(first + "10X98765432"[sum(int(d) * k for d, k in zip(first, w)) % 11])')
    "$cordon" patient admit JS-01 --bed "$bed" --name "演练$tag$bed" --sex female --born 1980-01-01 \
      --national-id "$id" >/dev/null
  done
  "$cordon" stock receive JS-01 --location PHARM --medication PARA-500 --lot "DRILL-$tag" \
    --expires 2030-01-01 --quantity 100 >/dev/null
}
count() { psql_at "$1" cordon "$2"; }
snapshot() {
  printf 'patients=%s ledger=%s audit=%s audit_max=%s' \
    "$(count "$1" 'SELECT count(*) FROM patients')" "$(count "$1" 'SELECT count(*) FROM stock_ledger')" \
    "$(count "$1" 'SELECT count(*) FROM audit_log')" "$(count "$1" 'SELECT max(id) FROM audit_log')"
}

say "write, note the time, write again"
write_batch before
sleep 1
target=$(count "$port" "SELECT now()")
at_target=$(snapshot "$port")
sleep 1
write_batch after
after=$(snapshot "$port")
[ "$at_target" != "$after" ] || fail "the writes after the noted time changed nothing"
psql_at "$port" cordon "SELECT pg_switch_wal()" >/dev/null
as_postgres /usr/bin/pgbackrest --config="$drill/repo/pgbackrest.conf" --stanza=drill check >/dev/null

say "restore to $target"
started=$(date +%s.%N)
restored_port=$(Deploy/backup.sh restore --to "$target" --into "$drill/restored" --port $((port + 1)) 2>/dev/null)
restore_seconds=$(echo "$(date +%s.%N) - $started" | bc)

say "check the restored cluster"
restored=$(snapshot "$restored_port")
[ "$restored" = "$at_target" ] || fail "restored $restored, but at $target there were $at_target (and later $after)"
unbalanced=$(count "$restored_port" "
  SELECT count(*) FROM stock_balances b
  WHERE b.quantity <> (SELECT coalesce(sum(l.quantity_change), 0) FROM stock_ledger l
                       WHERE l.site_id = b.site_id AND l.location_id = b.location_id AND l.lot_id = b.lot_id)")
[ "$unbalanced" = 0 ] || fail "$unbalanced shelves do not equal the sum of their ledger"
gaps=$(count "$restored_port" "SELECT count(*) FROM audit_log a WHERE a.at > '$target'::timestamptz")
[ "$gaps" = 0 ] || fail "$gaps audit entries are later than the target"

DATABASE_URL=$(url cordon_app "$restored_port") PORT=0 METRICS_PORT=0 LOG_LEVEL=info "$cordon" serve \
  >"$drill/serve.log" 2>&1 &
server=$!
api_port() { grep -v endpoint=metrics "$drill/serve.log" | sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' | head -1; }
for _ in $(seq 100); do [ -n "$(api_port)" ] && break; sleep 0.2; done
http_port=$(api_port)
token=$(DATABASE_URL=$(url cordon_app "$restored_port") "$cordon" token issue --user demo-admin --quiet)
admitted=$(curl -fs -H @<(header "Authorization: Bearer $token") "http://127.0.0.1:$http_port/sites/1/census" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["admittedPatients"])')
expected=$(count "$restored_port" "SELECT count(*) FROM patients WHERE status = 'admitted'")
[ "$admitted" = "$expected" ] || fail "the restored Cordon's census says $admitted admitted, the table $expected"

say "passed: the restored cluster holds exactly what it held at $target ($at_target)"
printf 'backup: full, %s bytes in the repository, %.1f s; restore to a point in time: %.1f s\n' \
  "$backup_bytes" "$backup_seconds" "$restore_seconds"
