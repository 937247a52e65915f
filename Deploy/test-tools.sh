#!/usr/bin/env bash
# Installs the third-party tools the tests check our output with, idempotently:
# a Python venv with the `icalendar` parser (iCalendar feeds are parsed by a real parser).
# Prints the venv's python.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.local/venv"

if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
fi
if ! "$venv/bin/python" -c 'import icalendar' >/dev/null 2>&1; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'icalendar>=5,<7' >&2
fi
echo "$venv/bin/python"
