#!/usr/bin/env bash
# Installs what the load benchmark (make bench) needs from Debian's packages when missing:
# wrk, the load generator. Needs root (or sudo) only when something is missing.
set -euo pipefail
if command -v wrk >/dev/null; then
  exit 0
fi
echo "Installing wrk"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends wrk
