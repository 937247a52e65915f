#!/usr/bin/env bash
# Start Cordon with the demo site: local PostgreSQL, migrations, demo data, then the server on
# http://127.0.0.1:${PORT:-8080}. Safe to run again: each step skips what is already done.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

"$root/Deploy/system-packages.sh"
"$root/Deploy/postgres.sh" start
export DATABASE_URL=${DATABASE_URL:-$("$root/Deploy/postgres.sh" url)}
# Migrations run as the schema's owner; the server and the other commands as the application role.
export DATABASE_OWNER_URL=${DATABASE_OWNER_URL:-$("$root/Deploy/postgres.sh" owner-url)}
export PORT=${PORT:-8080}
# The address the branch's check-in QR codes point at; set it to the public one on a real site.
export CHECKIN_BASE_URL=${CHECKIN_BASE_URL:-http://127.0.0.1:$PORT}
config=${CORDON_BUILD_CONFIGURATION:-release}
# The commit this build is of, for `cordon --version` and the cordon_build_info metric.
export CORDON_GIT_COMMIT=${CORDON_GIT_COMMIT:-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || true)}

echo "building cordon ($config)..."
source "$root/Deploy/lib/build.sh"
cordon=$(cordon_build "$config")

"$cordon" migrate
"$cordon" seed
token=$("$cordon" token issue --user demo-admin --label "Deploy/run.sh" --quiet)
# A fresh password for the demo people on every start (it is printed below, never stored in
# clear); a real site gives each person their own with `cordon user reset-link USER`.
demo_password="demo-$(head -c 9 /dev/urandom | base64 | tr '+/' 'xy')"
for user in manager-shen dr-lin nurse-fang pharm-xu secretary-gu manager-qian nurse-tang cmd-wu demo-admin; do
    printf '%s\n' "$demo_password" | "$cordon" user password "$user" >/dev/null
done

cat <<INFO

Cordon serves on http://127.0.0.1:$PORT  (spec: http://127.0.0.1:$PORT/openapi.yaml)
Metrics for Prometheus: http://127.0.0.1:${METRICS_PORT:-9464}/metrics
CLI in a second terminal: Deploy/cordon roster check JS-01   (Deploy/cordon --help lists every command)
A hospital's system: Deploy/cordon token issue --user hospital-pj1, then GET /hospital/referrals
Demo admin bearer token:
  $token
Web console: http://127.0.0.1:$PORT/console/
  sign in as manager-shen (site manager), dr-lin or nurse-fang (clinicians), pharm-xu
  (pharmacist), secretary-gu (Party branch), manager-qian or nurse-tang (JS-02, where a bus
  of 40 is expected: Intake), cmd-wu (the district command: the district board) or demo-admin,
  with the password $demo_password
The district's bed board: Deploy/cordon district board 金山区
Try:
  curl -H "Authorization: Bearer $token" http://127.0.0.1:$PORT/sites
  curl -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/sites/1/census?until=2022-04-14"
Stop with Ctrl-C; stop PostgreSQL with Deploy/postgres.sh stop.

INFO
# Two malloc arenas from the first allocation: see "Memory" in README.md.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
exec "$cordon" serve
