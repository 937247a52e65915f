#!/usr/bin/env bash
# Backups and point-in-time restore of Cordon's PostgreSQL with pgBackRest (Debian's package).
#
#   Deploy/backup.sh configure       archive WAL into the repository (restarts PostgreSQL once) and create the stanza
#   Deploy/backup.sh full            a full backup
#   Deploy/backup.sh incremental     the changes since the last backup
#   Deploy/backup.sh list            the backups and the WAL archived, oldest first
#   Deploy/backup.sh restore --to TIME --into DIR [--port N]
#                                    restore the cluster as it was at TIME (e.g. "2026-11-30 14:05:00+08") into a
#                                    new data directory DIR and start it on port N (default: the next free one);
#                                    the running cluster is not touched
#
# By default it works on the cluster of Deploy/postgres.sh. Settings: CORDON_BACKUP_REPO (the
# repository, default .local/backup, or /var/tmp/cordon-backup-<hash> when the postgres user
# cannot reach the checkout), CORDON_BACKUP_RETENTION (full backups kept, 4),
# CORDON_BACKUP_STANZA (cordon); CORDON_PG_DATA, CORDON_PG_PORT and CORDON_PG_SOCKET name
# another cluster (the restore drill's). pgBackRest runs as the postgres OS user.
#
# The repository is encrypted (AES-256-CBC) with a passphrase generated into pgBackRest's
# configuration, which lives apart from it (.local/pgbackrest, mode 0700, file 0600): a copy of
# the repository on another disk or host reads as nothing without it. Keep a copy of
# that configuration somewhere safe: without the passphrase no backup can be restored.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/Deploy/lib/private.sh"
owner=$(if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi)
# A private folder of the postgres user's: in the checkout when it can reach it, else in /var/tmp.
postgres_dir() {
  local dir=$1 fallback=$2
  private_dir "$dir" "$owner"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$dir"; then
    dir="/var/tmp/$fallback-$(printf '%s' "$root" | sha256sum | cut -c1-12)"
    private_dir "$dir" "$owner"
  fi
  printf '%s' "$dir"
}
repo=${CORDON_BACKUP_REPO:-$(postgres_dir "$root/.local/backup" cordon-backup)}
private_dir "$repo" "$owner"
confdir=$(postgres_dir "${CORDON_BACKUP_CONF:-$root/.local/pgbackrest}" cordon-pgbackrest)
stanza=${CORDON_BACKUP_STANZA:-cordon}
retention=${CORDON_BACKUP_RETENTION:-4}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

log() { printf 'backup.sh: %s\n' "$*" >&2; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! command -v pgbackrest >/dev/null; then
  log "installing pgbackrest with apt-get"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbackrest >/dev/null
fi

# The cluster: given, or the one Deploy/postgres.sh runs.
if [ -n "${CORDON_PG_DATA:-}" ]; then
  data=$CORDON_PG_DATA port=$CORDON_PG_PORT socket=$CORDON_PG_SOCKET
else
  data=$("$root/Deploy/postgres.sh" status | sed -n 's/.*data in //p')
  [ -n "$data" ] || { log "PostgreSQL is not running; start it with Deploy/postgres.sh start"; exit 1; }
  port=$(cat "$(dirname "$data")/port")
  socket="$(dirname "$data")/socket"
fi

config="$confdir/pgbackrest.conf"
# The passphrase is made once per repository and never leaves the configuration folder.
cipher_pass() {
  local file="$confdir/cipher-pass-$(printf '%s' "$repo" | sha256sum | cut -c1-12)"
  [ -s "$file" ] || { private_file "$file" "$owner"; head -c 48 /dev/urandom | base64 | tr -d '/+=\n' >"$file"; }
  cat "$file"
}
write_config() {
  private_file "$config" "$owner"
  cat >"$config" <<CONF
[global]
repo1-path=$repo
repo1-retention-full=$retention
repo1-cipher-type=aes-256-cbc
repo1-cipher-pass=$(cipher_pass)
start-fast=y
compress-type=zst
log-path=$repo/log
lock-path=$repo/lock
log-level-console=warn
log-level-file=info

[$stanza]
pg1-path=$data
pg1-port=$port
pg1-socket-path=$socket
pg1-user=postgres
CONF
}

pgbackrest() { as_postgres /usr/bin/pgbackrest --config="$config" --stanza="$stanza" "$@"; }
psql_super() { as_postgres "$bin/psql" -v ON_ERROR_STOP=1 -qAt -h "$socket" -p "$port" -U postgres -d postgres "$@"; }

configure() {
  write_config
  local command="pgbackrest --config=$config --stanza=$stanza archive-push %p"
  if [ "$(psql_super -c 'SHOW archive_mode')" != on ] || [ "$(psql_super -c 'SHOW archive_command')" != "$command" ]; then
    # archive_timeout: a quiet minute still ends its WAL segment, so at most a minute is lost.
    psql_super -c "ALTER SYSTEM SET archive_mode = on" -c "ALTER SYSTEM SET archive_command = '$command'" \
      -c "ALTER SYSTEM SET wal_level = replica" -c "ALTER SYSTEM SET archive_timeout = 60"
    log "restarting PostgreSQL to archive WAL"
    as_postgres "$bin/pg_ctl" -D "$data" -w -t 60 restart -m fast >/dev/null
  fi
  pgbackrest stanza-create >/dev/null
  pgbackrest check >/dev/null
  log "archiving WAL of $data to $repo (stanza $stanza)"
}

restore() {
  local to="" into="" target_port=""
  while [ $# -gt 0 ]; do
    case $1 in
      --to) to=$2; shift 2 ;;
      --into) into=$2; shift 2 ;;
      --port) target_port=$2; shift 2 ;;
      *) log "unknown option $1"; exit 2 ;;
    esac
  done
  [ -n "$to" ] && [ -n "$into" ] || { log "usage: restore --to TIME --into DIR [--port N]"; exit 2; }
  [ ! -e "$into" ] || [ -z "$(ls -A "$into")" ] || { log "$into is not empty; restore into a new directory"; exit 1; }
  mkdir -p "$into" "$into.socket"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$into" "$into.socket"
  chmod 700 "$into"
  pgbackrest restore --pg1-path="$into" --type=time --target="$to" --target-action=promote \
    --archive-mode=off >/dev/null
  target_port=${target_port:-$((port + 1))}
  while port_in_use "$target_port"; do target_port=$((target_port + 1)); done
  as_postgres "$bin/pg_ctl" -D "$into" -l "$into.log" -w -t 120 \
    -o "-p $target_port -k $into.socket -c archive_mode=off" start >/dev/null
  # Recovery replays WAL up to the target, then promotes; wait until it takes writes.
  for _ in $(seq 120); do
    [ "$(as_postgres "$bin/psql" -qAt -h "$into.socket" -p "$target_port" -U postgres -d postgres \
      -c 'SELECT NOT pg_is_in_recovery()' 2>/dev/null)" = t ] && break
    sleep 0.5
  done
  log "restored to $to into $into; PostgreSQL runs on 127.0.0.1:$target_port (stop: pg_ctl -D $into stop)"
  echo "$target_port"
}

case "${1:-}" in
  configure) configure ;;
  full | incremental)
    write_config
    started=$(date +%s.%N)
    pgbackrest backup --type="${1/incremental/incr}" >/dev/null
    log "$1 backup done in $(printf '%.1f' "$(echo "$(date +%s.%N) - $started" | bc)") s"
    ;;
  list) write_config; pgbackrest info ;;
  restore) shift; write_config; restore "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2 ;;
esac
