#!/usr/bin/env bash
# The failover drill, by hand (heavy for two cores, so not in CI): brings the cluster of
# Deploy/cluster.sh up if needed, has 8 clients write test results through its Cordon frontend,
# kills the leading PostgreSQL node with SIGKILL after 10 s, and reports what the clients saw.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
base=${CORDON_CLUSTER_PORT:-57000}
"$root/Deploy/cluster.sh" up
# The state folder cluster.sh chose, and its functions.
source "$root/Deploy/cluster.sh"
choose_state
"$root/Deploy/cluster.sh" status
/usr/bin/python3 "$root/Deploy/bench/failover_drill.py" "http://127.0.0.1:$((base + 40))" "$state/token" \
  "$root/Deploy/cluster.sh failover" "$@"
sleep 5
"$root/Deploy/cluster.sh" status
