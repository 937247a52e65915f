#!/usr/bin/env bash
# A high-availability Cordon on this one machine, loopback only, to see what a site's IT would
# run: three PostgreSQL nodes managed by Patroni (Debian's patroni, with one etcd), synchronous
# replication, HAProxy routing to whichever node leads (by Patroni's REST checks), and two
# `cordon serve` replicas behind a second HAProxy frontend.
#
#   Deploy/cluster.sh up        install what is missing, start everything, migrate, load the demo site
#   Deploy/cluster.sh status    the nodes and who leads, the replicas' readiness
#   Deploy/cluster.sh failover  kill the leading node (Patroni and its PostgreSQL) with SIGKILL
#   Deploy/cluster.sh down      stop everything and remove the cluster's files
#
# Ports from CORDON_CLUSTER_PORT (57000): etcd +0; Patroni REST +11..+13; PostgreSQL +21..+23;
# HAProxy to the leader +30, to the Cordon replicas +40, its statistics +41; Cordon +51, +52.
# It is a lab: passwords are generated into its state folder (mode 0700, files 0600; no
# password on a command line), nothing is exposed off loopback, and a real deployment puts each
# node on its own host with TLS and secrets from a vault.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. "$root/Deploy/lib/private.sh"
base=${CORDON_CLUSTER_PORT:-57000}
state=${CORDON_CLUSTER_STATE:-$root/.local/cluster}
config=${CORDON_BUILD_CONFIGURATION:-release}
log() { printf 'cluster.sh: %s\n' "$*" >&2; }

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# The state folder: the postgres user's (Patroni runs as it), 0700. The postgres user must
# reach it; a checkout under a private folder cannot, so it falls back to /var/tmp, where a
# folder somebody else made first is refused.
state_owner() { if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi; }
choose_state() {
  private_dir "$state" "$(state_owner)"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$state"; then
    state="/var/tmp/cordon-cluster-$(printf '%s' "$root" | sha256sum | cut -c1-12)"
    private_dir "$state" postgres
  fi
}

ensure_installed() {
  local missing=()
  for package in patroni etcd-server haproxy postgresql; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
}

secret() { [ -f "$state/$1" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$state/$1"); cat "$state/$1"; }

pidfile_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_etcd() {
  pidfile_alive "$state/etcd.pid" && return
  mkdir -p "$state/etcd"
  nohup etcd --name cordon-etcd --data-dir "$state/etcd" \
    --listen-client-urls "http://127.0.0.1:$base" --advertise-client-urls "http://127.0.0.1:$base" \
    --listen-peer-urls "http://127.0.0.1:$((base + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((base + 1))" \
    --initial-cluster "cordon-etcd=http://127.0.0.1:$((base + 1))" >"$state/etcd.log" 2>&1 &
  echo $! >"$state/etcd.pid"
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$base/health" >/dev/null && return; sleep 0.2; done
  log "etcd did not start; see $state/etcd.log"; exit 1
}

patroni_config() {
  local n=$1
  cat <<YAML
scope: cordon
name: pg$n
restapi:
  listen: 127.0.0.1:$((base + 10 + n))
  connect_address: 127.0.0.1:$((base + 10 + n))
etcd3:
  host: 127.0.0.1:$base
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 2
    retry_timeout: 3
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      parameters:
        synchronous_commit: "on"
        max_connections: 200
        wal_log_hints: "on"
  initdb:
  - encoding: UTF8
  - locale: C.UTF-8
  pg_hba:
  - local all all peer
  - host replication replicator 127.0.0.1/32 scram-sha-256
  - host all all 127.0.0.1/32 scram-sha-256
postgresql:
  listen: 127.0.0.1:$((base + 20 + n))
  connect_address: 127.0.0.1:$((base + 20 + n))
  data_dir: $state/pg$n
  bin_dir: $pgbin
  pgpass: $state/pgpass$n
  authentication:
    replication: {username: replicator, password: $(secret replicator-password)}
    superuser: {username: postgres, password: $(secret superuser-password)}
    rewind: {username: rewinder, password: $(secret rewind-password)}
  parameters:
    unix_socket_directories: $state
tags: {nofailover: false, noloadbalance: false, clonefrom: false, nosync: false}
YAML
}

# Node N's configuration. It holds the superuser, replication and rewind passwords: Patroni's alone.
write_patroni_config() {
  private_file "$state/pg$1.yml" "$(state_owner)"
  patroni_config "$1" >"$state/pg$1.yml"
}

start_patroni() {
  for n in 1 2 3; do
    pidfile_alive "$state/patroni$n.pid" && continue
    write_patroni_config "$n"
    as_postgres bash -c "nohup patroni '$state/pg$n.yml' >'$state/patroni$n.log' 2>&1 & echo \$! >'$state/patroni$n.pid'"
  done
  for _ in $(seq 300); do
    [ "$(leader)" != "" ] && [ "$(streaming)" -ge 2 ] && return
    sleep 0.5
  done
  log "the cluster did not form; see $state/patroni*.log"; exit 1
}

# The cluster as any live node's REST API describes it (JSON), or nothing.
members() {
  for n in 1 2 3; do curl -sf "http://127.0.0.1:$((base + 10 + n))/cluster" 2>/dev/null && return; done
}

# Evaluates a Python expression over the members (`m` each), printing the result.
over_members() { members | /usr/bin/python3 -c "import json,sys; ms=json.load(sys.stdin)['members']; print($1)" 2>/dev/null || echo "$2"; }

# The name of the node that leads now (empty if none).
leader() { over_members 'next((m["name"] for m in ms if m["role"]=="leader"), "")' ""; }

# How many standbys are running.
streaming() { over_members 'sum(1 for m in ms if m["role"] in ("replica","sync_standby") and m.get("state") in ("running","streaming"))' 0; }

start_haproxy() {
  pidfile_alive "$state/haproxy.pid" && return
  cat >"$state/haproxy.cfg" <<CFG
global
  maxconn 1000
defaults
  mode tcp
  timeout connect 2s
  timeout client 30m
  timeout server 30m
  timeout check 1s
listen postgres-leader
  bind 127.0.0.1:$((base + 30))
  option httpchk GET /primary
  http-check expect status 200
  default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions
  server pg1 127.0.0.1:$((base + 21)) check port $((base + 11))
  server pg2 127.0.0.1:$((base + 22)) check port $((base + 12))
  server pg3 127.0.0.1:$((base + 23)) check port $((base + 13))
listen cordon
  mode http
  bind 127.0.0.1:$((base + 40))
  # The client's address for Cordon's per-address limits (it trusts 127.0.0.1: TRUSTED_PROXIES).
  option forwardfor
  timeout client 60s
  timeout server 60s
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 1s fall 2 rise 2
  server cordon1 127.0.0.1:$((base + 51)) check
  server cordon2 127.0.0.1:$((base + 52)) check
listen stats
  mode http
  bind 127.0.0.1:$((base + 41))
  stats enable
  stats uri /
CFG
  haproxy -f "$state/haproxy.cfg" -D -p "$state/haproxy.pid"
}

url() { printf 'postgres://%s:%s@127.0.0.1:%s/%s?sslmode=disable' "$1" "$(secret "$2")" "${3:-$((base + 30))}" "${4:-cordon}"; }

# psql as the superuser on one node's port, the password in the environment, not in `ps`.
superuser_psql() {
  PGPASSWORD=$(secret superuser-password) psql -h 127.0.0.1 -p "$1" -U postgres -d postgres "${@:2}"
}

# Whether HAProxy's PostgreSQL frontend routes to the leader alone. It starts with every node
# marked up and learns which ones are standbys only as its checks come in; until then a
# connection may land on a standby ("cannot execute ... in a read-only transaction").
routes_to_leader_only() {
  local up
  up=$(curl -sf "http://127.0.0.1:$((base + 41))/;csv" | awk -F, '$1 == "postgres-leader" && $2 ~ /^pg/ && $18 == "UP" {print $2}')
  [ "$up" = "$(leader)" ]
}

# The roles, the database, migrations and the demo data, written on the node Patroni names as
# the leader, whatever HAProxy does meanwhile; then wait until HAProxy sends everyone there.
prepare_database() {
  local name port
  for _ in $(seq 60); do
    name=$(leader)
    [ -n "$name" ] || { sleep 1; continue; }
    port=$((base + 20 + ${name#pg}))
    [ "$(superuser_psql "$port" -tAq -c "SELECT NOT pg_is_in_recovery()" 2>/dev/null)" = t ] && break
    sleep 1
  done
  superuser_psql "$port" -q -v ON_ERROR_STOP=1 <<SQL >/dev/null
SELECT 'CREATE ROLE cordon_owner LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cordon_owner') \gexec
SELECT 'CREATE ROLE cordon_app LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cordon_app') \gexec
ALTER ROLE cordon_owner PASSWORD '$(secret owner-password)';
ALTER ROLE cordon_app PASSWORD '$(secret app-password)';
SELECT 'CREATE DATABASE cordon OWNER cordon_owner' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'cordon') \gexec
SQL
  DATABASE_URL=$(url cordon_app app-password "$port") DATABASE_OWNER_URL=$(url cordon_owner owner-password "$port") \
    "$cordon" migrate >/dev/null
  DATABASE_URL=$(url cordon_app app-password "$port") "$cordon" seed >/dev/null
  if [ ! -f "$state/token" ]; then
    private_file "$state/token"
    DATABASE_URL=$(url cordon_app app-password "$port") "$cordon" token issue --user demo-admin --label cluster --quiet >"$state/token"
  fi
  for _ in $(seq 60); do routes_to_leader_only && return; sleep 0.5; done
  log "HAProxy does not route to the leader $(leader) alone; see http://127.0.0.1:$((base + 41))/"; exit 1
}

start_cordon() {
  for n in 1 2; do
    pidfile_alive "$state/cordon$n.pid" && continue
    DATABASE_URL=$(url cordon_app app-password) PORT=$((base + 50 + n)) METRICS_PORT=$((base + 60 + n)) DATABASE_POOL_SIZE=10 \
      TRUSTED_PROXIES=127.0.0.1 MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} nohup "$cordon" serve >"$state/cordon$n.log" 2>&1 &
    echo $! >"$state/cordon$n.pid"
  done
  for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$((base + 40))/health/ready" >/dev/null && return
    sleep 0.5
  done
  log "the Cordon replicas are not ready; see $state/cordon*.log"; exit 1
}

status() {
  echo "PostgreSQL nodes (Patroni):"
  over_members '"\n".join("  %-4s %-13s %-10s lag %s" % (m["name"], m["role"], m.get("state", ""), m.get("lag", 0)) for m in ms)' "  none answers"
  for n in 1 2; do
    printf 'cordon%s on 127.0.0.1:%s ready: ' "$n" "$((base + 50 + n))"
    curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$((base + 50 + n))/health/ready" || true
  done
  echo "Cordon through HAProxy: http://127.0.0.1:$((base + 40)); the PostgreSQL leader: 127.0.0.1:$((base + 30)); HAProxy statistics: http://127.0.0.1:$((base + 41))/"
}

# Kill the leading node as a crash would: its Patroni and its PostgreSQL, SIGKILL both.
failover() {
  local name; name=$(leader)
  [ -n "$name" ] || { log "no leader now"; exit 1; }
  local n=${name#pg}
  local postmaster; postmaster=$(head -1 "$state/pg$n/postmaster.pid" 2>/dev/null || true)
  kill -9 "$(cat "$state/patroni$n.pid")" 2>/dev/null || true
  [ -n "$postmaster" ] && kill -9 "$postmaster" 2>/dev/null || true
  echo "killed $name (Patroni and PostgreSQL, SIGKILL) at $(date -u +%H:%M:%S.%3N)"
}

down() {
  for f in cordon1 cordon2 haproxy patroni1 patroni2 patroni3; do
    pidfile_alive "$state/$f.pid" && kill "$(cat "$state/$f.pid")" 2>/dev/null || true
  done
  sleep 3
  for n in 1 2 3; do
    [ -f "$state/pg$n/postmaster.pid" ] && as_postgres "$pgbin/pg_ctl" -D "$state/pg$n" -m immediate stop >/dev/null 2>&1 || true
  done
  pidfile_alive "$state/etcd.pid" && kill "$(cat "$state/etcd.pid")" 2>/dev/null || true
  sleep 1
  rm -rf "$state"
  log "stopped and removed"
}

# Sourced (by the tests), it only defines the functions above.
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0
choose_state
ensure_installed
case "${1:-status}" in
  up)
    log "building cordon ($config)"
    source "$root/Deploy/lib/build.sh"
    cordon=$(cordon_build "$config")
    start_etcd; start_patroni; start_haproxy; prepare_database; start_cordon
    log "up: leader $(leader), Cordon at http://127.0.0.1:$((base + 40)), token in $state/token"
    ;;
  status) status ;;
  failover) failover ;;
  down) down ;;
  *) echo "usage: $0 up|status|failover|down" >&2; exit 2 ;;
esac
