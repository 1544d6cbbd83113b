#!/usr/bin/env bash
# README command 2: set everything up, then run lint, type checks and every test (unit,
# integration with real libpcap/servers/namespaces, e2e in Chromium). Ends with one line
# "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "setup failed"; exit 1; }
status=0
echo "== lint";      npm run --silent lint      || status=1
echo "== typecheck"; npm run --silent typecheck || status=1
mkdir -p test-results
echo "== tests"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=1
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
  const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (r.numTotalTests === 0) process.exit(1);
' || status=1
exit $status
