#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, when they are missing:
# Chromium for the end-to-end tests (never a browser downloaded by Playwright), pango, HarfBuzz
# subset and fonts for PDF letters (WeasyPrint), gettext for the translations.
# Needs root (or sudo) only when something is missing.
set -euo pipefail
packages=(chromium fonts-dejavu-core fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0
  libharfbuzz-subset0 gettext)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
