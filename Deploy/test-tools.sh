#!/usr/bin/env bash
# Installs the third-party checkers the tests run against our output, idempotently: a Python
# venv with the `icalendar` parser, prometheus_client's text parser for /metrics, Selenium with
# axe for the console's browser tests, python `hl7` to build laboratories' messages, and
# `fhir.resources` (FHIR R4, on pydantic 1) to build and check their bundles
# (Deploy/system-packages.sh --tests provides python3-venv, Chromium and chromedriver).
# Prints the venv's python.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.local/venv"

if ! "$venv/bin/python" -c 'import icalendar, selenium, axe_selenium_python, prometheus_client, hl7, fhir.resources.bundle' >/dev/null 2>&1; then
    [[ -x $venv/bin/python ]] || python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'icalendar>=5,<7' 'selenium>=4.20,<5' \
        'axe-selenium-python>=2.1,<3' 'prometheus-client>=0.20,<1' 'hl7>=0.4.5,<0.5' \
        'fhir.resources>=6.4,<7' 'pydantic>=1.10,<2' >&2
fi
echo "$venv/bin/python"
