#!/usr/bin/env bash
# Run every test against a real local PostgreSQL (started if needed). Each test clones its own
# database from a migrated template, so the suites run in parallel without seeing each other.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

"$root/Deploy/system-packages.sh" --tests
"$root/Deploy/postgres.sh" start
# The server's maintenance database: the tests create the template and their clones from it.
export CORDON_TEST_DATABASE_URL=${CORDON_TEST_DATABASE_URL:-$("$root/Deploy/postgres.sh" superuser-url postgres)}
# The CA the local server's TLS certificate is signed with, for the tests of sslmode.
export CORDON_TEST_TLS_CA=${CORDON_TEST_TLS_CA:-$("$root/Deploy/postgres.sh" ca)}

# Third-party checkers the tests run against our output (an iCalendar parser).
export CORDON_TEST_PYTHON=${CORDON_TEST_PYTHON:-$("$root/Deploy/test-tools.sh")}

# Build under the one fixed environment every script builds under (Deploy/lib/build.sh), then
# test what was built. The manifest is evaluated afresh each time so a new SQL/ migration is
# always bundled (SwiftPM would otherwise reuse its cached evaluation, and its file list, while
# Package.swift is unchanged).
source "$root/Deploy/lib/build.sh"
swift_fixed build --build-tests --manifest-cache none
swift test --skip-build --manifest-cache none "$@"
