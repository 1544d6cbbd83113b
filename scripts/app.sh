#!/usr/bin/env bash
# README command 1: set everything up, then open the app (Electron, or browser mode where the
# Electron binary is missing) with the lab sample capture ready to explore.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node bin/netlab.mjs start "$@"
