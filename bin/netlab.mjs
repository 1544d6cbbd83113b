#!/usr/bin/env node
// The `netlab` command: a thin launcher for the bundled CLI (built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.mjs');
if (!existsSync(cli)) {
  console.error('netlab: the app is not built yet (dist/cli.mjs is missing).\n  Run: npm run build   (or: bash scripts/setup.sh)');
  process.exit(2);
}
await import(pathToFileURL(cli).href);
