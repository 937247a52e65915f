# Shared set-up of the benchmark scripts: wrk, the local PostgreSQL, a fresh database of the
# given name owned by the schema's owner with migrations applied, and a release build. Sets
# $cordon, $DATABASE_URL (the application role, as `cordon serve` runs) and $DATABASE_OWNER_URL
# (for the scripts' own set-up SQL, which creates tables), and the same without their passwords
# for psql and pgbench ($APP_DB, $OWNER_DB; PGPASSFILE holds the passwords).
#
# CORDON_BIN=/path/to/cordon benchmarks that binary instead of building this checkout, so an
# earlier build can be measured beside this one in the same run. It then connects as the
# schema's owner throughout: a build from before the application role existed grants it nothing.
bench_setup() {
  local database=$1
  command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
  Deploy/system-packages.sh
  Deploy/postgres.sh start
  # psql and pgbench get URLs without passwords (a command line is visible to every user in
  # `ps`) and read the passwords from a private pgpass file.
  source Deploy/lib/private.sh
  PGPASSFILE="$(mktemp -d)/pgpass"
  private_file "$PGPASSFILE"
  local superuser
  superuser=$(Deploy/postgres.sh superuser-url postgres)
  for url in "$superuser" "$(Deploy/postgres.sh owner-url "$database")" "$(Deploy/postgres.sh url "$database")"; do
    pgpass_line "$url" >>"$PGPASSFILE"
  done
  export PGPASSFILE
  psql -q "$(without_password "$superuser")" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" \
    -c "CREATE DATABASE $database OWNER cordon_owner"
  export DATABASE_URL DATABASE_OWNER_URL OWNER_DB APP_DB
  DATABASE_OWNER_URL=$(Deploy/postgres.sh owner-url "$database")
  if [ -n "${CORDON_BIN:-}" ]; then
    cordon=$CORDON_BIN
    DATABASE_URL=$DATABASE_OWNER_URL
  else
    source Deploy/lib/build.sh
    cordon=$(cordon_build release)
    DATABASE_URL=$(Deploy/postgres.sh url "$database")
  fi
  OWNER_DB=$(without_password "$DATABASE_OWNER_URL") APP_DB=$(without_password "$DATABASE_URL")
  "$cordon" migrate >/dev/null
  "$cordon" seed >/dev/null
}

# Starts `cordon serve` on $1 in the background and waits until it is ready.
bench_serve() {
  # As Deploy/run.sh starts it: two malloc arenas from the first allocation.
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} PORT=$1 METRICS_PORT=${METRICS_PORT:-0} LOG_LEVEL=warning DATABASE_POOL_SIZE=32 "$cordon" serve &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$1/health/ready" >/dev/null && break; sleep 0.2; done
}

# Fifty benchmark medicines with a million tablets each on the pharmacy's shelf; sets $meds (their
# ids, comma-separated) and exports TOKEN (a pharmacist's) and LOCATION for Deploy/bench/dispense.lua.
bench_stock() {
  for i in $(seq -w 1 50); do
    "$cordon" medication add --code "BENCH-$i" --name "benchmark medicine $i" --strength "1 mg" --pack-size 100 >/dev/null
    "$cordon" stock receive JS-01 --location PHARM --medication "BENCH-$i" --lot "B$i" --expires 2035-01-01 --quantity 1000000 >/dev/null
  done
  meds=$("$cordon" medication list --json | python3 -c 'import json,sys; print(",".join(str(m["id"]) for m in json.load(sys.stdin) if m["code"].startswith("BENCH-")))')
  LOCATION=$("$cordon" stock on-hand JS-01 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["locationId"])')
  TOKEN=$("$cordon" token issue --user pharm-xu --quiet)
  BENCH_HEADER="Authorization: Bearer $TOKEN"
  export TOKEN LOCATION BENCH_HEADER
}
