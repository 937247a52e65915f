#!/usr/bin/env bash
# Installs the Debian packages Cordon builds against (libqrencode and libpng for the check-in
# posters; zint, cairo, Pango and the Noto CJK fonts for tube labels and wristbands as PDF) and,
# with --tests, the decoders the tests check our output with (zbar for QR codes and Code 128,
# rsvg-convert to rasterise the SVG poster, poppler's pdftoppm to rasterise the PDF, Chromium and its WebDriver for the console's browser
# tests, Prometheus and promtool for the metrics and alert-rule tests). Idempotent: installs only what is missing.
set -euo pipefail
packages=(libqrencode-dev libpng-dev pkg-config libzint-dev libcairo2-dev libpango1.0-dev fonts-noto-cjk)
if [[ ${1:-} == --tests ]]; then packages+=(zbar-tools poppler-utils librsvg2-bin python3-venv chromium chromium-driver prometheus); fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing ${missing[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi
