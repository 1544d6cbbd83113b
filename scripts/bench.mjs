#!/usr/bin/env node
// `npm run bench`: runs every test/bench/*.bench.mjs in turn (never in parallel: they share the 2
// cores and would measure each other). Each prints ours vs the reference, medians and the ratio.
//   node scripts/bench.mjs            all benchmarks
//   node scripts/bench.mjs read       only those whose file name contains "read"
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const benches = readdirSync(join(root, 'test', 'bench')).filter((f) => f.endsWith('.bench.mjs')).sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
let failed = 0;
for (const f of benches) {
  console.log(`\n== ${f}`);
  const r = spawnSync(process.execPath, [join(root, 'test', 'bench', f)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) { failed++; console.log(`== ${f} failed (exit ${r.status ?? r.signal})`); }
}
process.exit(failed > 0 ? 1 : 0);
