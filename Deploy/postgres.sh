#!/usr/bin/env bash
# A local PostgreSQL for development and tests, kept under .local/postgres in the project.
#
#   Deploy/postgres.sh start              install if missing, initialise once, start (idempotent)
#   Deploy/postgres.sh stop               stop the server
#   Deploy/postgres.sh status             say whether it runs, and where
#   Deploy/postgres.sh url [DB]           the URL of database DB (default cordon) as the application role
#   Deploy/postgres.sh owner-url [DB]     ... as the schema's owner (for `cordon migrate`)
#   Deploy/postgres.sh superuser-url [DB] ... as the superuser (the tests' maintenance connection)
#   Deploy/postgres.sh ca                 the path of the CA certificate the server's TLS certificate is signed with
#   Deploy/postgres.sh psql               open psql on the cordon database
#
# Roles: cordon_owner owns the database and its schema and runs migrations; cordon_app is what
# `cordon serve` and the commands connect as: rows only, no schema, append-only where it matters.
# Settings: CORDON_PG_PORT (first port tried, default 55432). Passwords are made at initialisation
# and kept in .local/postgres (password, owner-password, app-password), readable by the invoking
# user only. The server also speaks TLS with a certificate from a CA of its own (tls/ca.crt); the
# printed URLs say sslmode=disable because they are loopback.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state="$root/.local/postgres"

# initdb and postgres refuse to run as root: run them as the postgres OS user then.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

log() { printf 'postgres.sh: %s\n' "$*" >&2; }

ensure_installed() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    log "installing PostgreSQL with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql postgresql-contrib >/dev/null
  fi
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
}

# The data folder must be reachable by the postgres user; a checkout under a private folder
# (mode 700 somewhere above it) is not, so fall back to a folder of its own under /var/tmp.
choose_state_dir() {
  mkdir -p "$state"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$state"; then
    state="/var/tmp/cordon-postgres-$(printf '%s' "$root" | sha256sum | cut -c1-12)"
    log "the project folder is not reachable by the postgres user; using $state"
    mkdir -p "$state"
  fi
  data="$state/data"
  socket="$state/socket"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

new_password() {
  [ -f "$1" ] && return
  umask 077
  head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$1"
  umask 022
}

# A CA of the cluster's own and a server certificate it signs, for localhost only: a client
# that checks the host name must connect to "localhost" (the tests check that it must).
ensure_tls() {
  local tls="$state/tls"
  [ -f "$data/server.crt" ] && [ -f "$tls/ca.crt" ] && return
  mkdir -p "$tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Cordon local CA" \
    -keyout "$tls/ca.key" -out "$tls/ca.crt" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$tls/server.key" -out "$tls/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=DNS:localhost\n' > "$tls/san.ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 3650 \
    -extfile "$tls/san.ext" -out "$tls/server.crt" >/dev/null 2>&1
  cp "$tls/server.crt" "$tls/server.key" "$data/"
  chmod 600 "$data/server.key"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$data/server.crt" "$data/server.key"; fi
  chmod 644 "$tls/ca.crt"
  if ! grep -q "^ssl = on" "$data/postgresql.conf"; then
    printf "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n" >> "$data/postgresql.conf"
  fi
  if running; then as_owner "$bin/pg_ctl" -D "$data" reload >/dev/null; fi
}

superuser_psql() { as_owner "$bin/psql" -v ON_ERROR_STOP=1 -q -h "$socket" -p "$(cat "$state/port")" -U postgres "$@"; }

# The owner and application roles and the cordon database, owned by cordon_owner. A database
# made by an earlier version of this script (owned by postgres) is handed over, objects and all.
ensure_roles() {
  new_password "$state/owner-password"
  new_password "$state/app-password"
  superuser_psql -d postgres <<SQL >/dev/null
SELECT 'CREATE ROLE cordon_owner LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cordon_owner') \\gexec
SELECT 'CREATE ROLE cordon_app LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cordon_app') \\gexec
ALTER ROLE cordon_owner LOGIN NOSUPERUSER PASSWORD '$(cat "$state/owner-password")';
ALTER ROLE cordon_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$(cat "$state/app-password")';
SELECT 'CREATE DATABASE cordon OWNER cordon_owner' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'cordon') \\gexec
ALTER DATABASE cordon OWNER TO cordon_owner;
SQL
  superuser_psql -d cordon <<'SQL' >/dev/null
DO $$
DECLARE o record;
BEGIN
  FOR o IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND pg_get_userbyid(c.relowner) <> 'cordon_owner'
  LOOP
    EXECUTE format('ALTER TABLE public.%I OWNER TO cordon_owner', o.relname);
  END LOOP;
  FOR o IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           LEFT JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
           WHERE n.nspname = 'public' AND d.objid IS NULL AND pg_get_userbyid(p.proowner) <> 'cordon_owner'
  LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO cordon_owner', o.fn);
  END LOOP;
END $$;
SQL
}

initialise() {
  [ -f "$data/PG_VERSION" ] && return
  log "initialising a new cluster in $data"
  mkdir -p "$data" "$socket"
  umask 077
  head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$state/password"
  umask 022
  local pwfile="$data.pwfile"
  cp "$state/password" "$pwfile"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$data" "$socket" "$pwfile"; fi
  as_owner "$bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  local port=${CORDON_PG_PORT:-55432}
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port" > "$state/port"
  cat >> "$data/postgresql.conf" <<CONF
# Set by Deploy/postgres.sh: loopback only, its own port and socket folder.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$socket'
# The test suite runs its suites in parallel, each test with a database and a pool of its own,
# and its CLI tests start cordon processes with pools of theirs: 200 ran out under full load.
max_connections = 400
shared_buffers = 256MB
CONF
}

running() { as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

start() {
  ensure_installed
  choose_state_dir
  initialise
  ensure_tls
  if ! running; then
    as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null
    log "started on 127.0.0.1:$(cat "$state/port")"
  fi
  ensure_roles
}

# url ROLE PASSWORD-FILE [DB]
url() {
  choose_state_dir
  [ -f "$state/port" ] && [ -f "$state/$2" ] || { log "not initialised; run Deploy/postgres.sh start"; exit 1; }
  printf 'postgres://%s:%s@127.0.0.1:%s/%s?sslmode=disable\n' "$1" "$(cat "$state/$2")" "$(cat "$state/port")" "${3:-cordon}"
}

case "${1:-start}" in
  start) start ;;
  stop)
    ensure_installed; choose_state_dir
    if [ -f "$data/PG_VERSION" ] && running; then as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; log "stopped"; else log "not running"; fi ;;
  status)
    ensure_installed; choose_state_dir
    if [ -f "$data/PG_VERSION" ] && running; then echo "running on 127.0.0.1:$(cat "$state/port"), data in $data"; else echo "not running"; exit 3; fi ;;
  url) url cordon_app app-password "${2:-cordon}" ;;
  owner-url) url cordon_owner owner-password "${2:-cordon}" ;;
  superuser-url) url postgres password "${2:-cordon}" ;;
  ca) choose_state_dir; echo "$state/tls/ca.crt" ;;
  psql) start; as_owner "$bin/psql" -h "$socket" -p "$(cat "$state/port")" -U postgres cordon ;;
  *) echo "usage: $0 start|stop|status|url [DB]|owner-url [DB]|superuser-url [DB]|ca|psql" >&2; exit 2 ;;
esac
