# Shared set-up of the benchmark scripts: wrk, the local PostgreSQL, a fresh database of the
# given name with migrations applied, and a release build. Sets $cordon and $DATABASE_URL.
bench_setup() {
  local database=$1
  command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
  Deploy/system-packages.sh
  Deploy/postgres.sh start
  export DATABASE_URL
  DATABASE_URL=$(Deploy/postgres.sh url "$database")
  psql -q "$(Deploy/postgres.sh url postgres)" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
  swift build -c release --product cordon
  cordon="$(swift build -c release --show-bin-path)/cordon"
  "$cordon" migrate >/dev/null
  "$cordon" seed >/dev/null
}

# Starts `cordon serve` on $1 in the background and waits until it is ready.
bench_serve() {
  PORT=$1 LOG_LEVEL=warning DATABASE_POOL_SIZE=32 "$cordon" serve &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$1/health/ready" >/dev/null && break; sleep 0.2; done
}
