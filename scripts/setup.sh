#!/usr/bin/env bash
# Sets up everything NetLab Workbench needs on a fresh Debian/Ubuntu machine: system packages,
# npm packages, the native capture core (addon + helper) and the built app. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
if [ -f native/binding.gyp ]; then npm run --silent build:native; fi
npm run --silent build
