#!/usr/bin/env bash
# A local PostgreSQL for development and tests, kept under .local/postgres in the project.
#
#   Deploy/postgres.sh start    install if missing, initialise once, start (idempotent)
#   Deploy/postgres.sh stop     stop the server
#   Deploy/postgres.sh status   say whether it runs, and where
#   Deploy/postgres.sh url [DB] print the postgres:// URL of database DB (default cordon)
#   Deploy/postgres.sh psql     open psql on the cordon database
#
# Settings: CORDON_PG_PORT (first port tried, default 55432). The superuser password is made at
# initialisation and kept in .local/postgres/password, readable by the invoking user only.
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
max_connections = 200
shared_buffers = 256MB
CONF
}

running() { as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

start() {
  ensure_installed
  choose_state_dir
  initialise
  if ! running; then
    as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null
    log "started on 127.0.0.1:$(cat "$state/port")"
  fi
  if ! as_owner "$bin/psql" -h "$socket" -p "$(cat "$state/port")" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'cordon'" | grep -q 1; then
    as_owner "$bin/createdb" -h "$socket" -p "$(cat "$state/port")" -U postgres cordon
  fi
}

url() {
  choose_state_dir
  [ -f "$state/port" ] || { log "not initialised; run Deploy/postgres.sh start"; exit 1; }
  printf 'postgres://postgres:%s@127.0.0.1:%s/%s\n' "$(cat "$state/password")" "$(cat "$state/port")" "${1:-cordon}"
}

case "${1:-start}" in
  start) start ;;
  stop)
    ensure_installed; choose_state_dir
    if [ -f "$data/PG_VERSION" ] && running; then as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; log "stopped"; else log "not running"; fi ;;
  status)
    ensure_installed; choose_state_dir
    if [ -f "$data/PG_VERSION" ] && running; then echo "running on 127.0.0.1:$(cat "$state/port"), data in $data"; else echo "not running"; exit 3; fi ;;
  url) url "${2:-cordon}" ;;
  psql) start; as_owner "$bin/psql" -h "$socket" -p "$(cat "$state/port")" -U postgres cordon ;;
  *) echo "usage: $0 start|stop|status|url [DB]|psql" >&2; exit 2 ;;
esac
