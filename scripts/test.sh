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
# Unit tests first, then integration and e2e: the latter capture on lo, start servers and browsers,
# and must not share the machine's two cores and loopback traffic with the unit run.
echo "== unit tests"
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=test-results/unit.json "$@" || status=1
echo "== integration and e2e tests"
npx vitest run --project integration --reporter=default --reporter=json --outputFile.json=test-results/integration.json "$@" || status=1
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0, total = 0;
  for (const f of ["test-results/unit.json", "test-results/integration.json"]) {
    if (!fs.existsSync(f)) { console.log(`${f}: no results (the run did not finish)`); failed++; continue; }
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests;
    // A file that failed outside its tests (a beforeAll, an import) has no failed test: count it once.
    for (const t of r.testResults) if (t.status === "failed" && !t.assertionResults.some((a) => a.status === "failed")) failed++;
    skipped += (r.numPendingTests || 0) + (r.numTodoTests || 0); total += r.numTotalTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (total === 0) process.exit(1);
' || status=1
exit $status
