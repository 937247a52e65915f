#!/usr/bin/env bash
# Installs the third-party checkers the tests run against our output, idempotently: a Python
# venv with the `icalendar` parser (Deploy/system-packages.sh --tests provides python3-venv).
# Prints the venv's python.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.local/venv"

if ! "$venv/bin/python" -c 'import icalendar' >/dev/null 2>&1; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'icalendar>=5,<7' >&2
fi
echo "$venv/bin/python"
