// Builds the app: the Node side (CLI, services, Electron shell) with esbuild, the renderer with Vite.
//   node scripts/build.mjs          everything
//   node scripts/build.mjs --node   only the Node bundles (what integration tests need; < 1 s)
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const nodeOnly = process.argv.includes('--node');
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, packages: 'external', logLevel: 'warning' };
const entries = [
  { in: 'electron/cli/main.ts', out: 'dist/cli.mjs', format: 'esm' },
  // The partitioned reader's lanes (electron/cli/read-parallel.ts), next to the CLI that starts them.
  { in: 'electron/cli/read-worker.ts', out: 'dist/read-worker.mjs', format: 'esm' },
  { in: 'electron/main.ts', out: 'dist/electron/main.cjs', format: 'cjs' },
  { in: 'electron/preload.ts', out: 'dist/electron/preload.cjs', format: 'cjs' },
];
// The Electron shell is CommonJS, where import.meta is empty: give the services (native/, the site
// template lookup) their module URL back, so the shell finds the helper and the templates.
const cjsImportMeta = {
  define: { 'import.meta.url': '__netlabImportMetaUrl' },
  banner: { js: 'const __netlabImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};
await Promise.all(entries.filter((e) => existsSync(e.in)).map((e) =>
  build({ ...common, ...(e.format === 'cjs' ? cjsImportMeta : {}), entryPoints: [e.in], outfile: e.out, format: e.format })));
if (!nodeOnly && existsSync('renderer/index.html')) {
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
