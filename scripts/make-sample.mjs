#!/usr/bin/env node
// Remakes assets/sample/lab-exchange.pcapng, the capture `netlab read` shows in the README's first
// command until the desktop UI exists: the lab's real exchange (ARP, curl and headless Chromium
// fetching the student page and its PNG logo from a server on port 85, MTU 1500), made by the shared
// lab-capture fixture (test/support/lab-captures.ts) and converted to pcapng with editcap.
//   node scripts/make-sample.mjs        (as root: it creates network namespaces)
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const bundle = join(root, '.tmp', 'make-sample', 'lab-captures.mjs');
await build({ entryPoints: ['test/support/lab-captures.ts'], bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', outfile: bundle, logLevel: 'warning' });
const { getLabCaptures } = await import(pathToFileURL(bundle).href);
const caps = await getLabCaptures();
const out = join(root, 'assets', 'sample', 'lab-exchange.pcapng');
mkdirSync(dirname(out), { recursive: true });
execFileSync('editcap', ['-F', 'pcapng', caps.mtu1500.path, out], { stdio: 'inherit' });
const size = statSync(out).size;
console.log(`wrote ${out} (${size} bytes) from ${caps.mtu1500.path}`);
if (size > 100 * 1024) {
  console.error('make-sample: the sample is over 100 KB; keep it small (it is committed to git)');
  process.exit(1);
}
