// Builds the app: the Node side (CLI, services, Electron shell) with esbuild, the renderer with Vite.
//   node scripts/build.mjs          everything
//   node scripts/build.mjs --node   only the Node bundles (what integration tests need; < 1 s)
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const nodeOnly = process.argv.includes('--node');
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, packages: 'external', logLevel: 'warning' };
const entries = [
  { in: 'electron/main.ts', out: 'dist/electron/main.cjs', format: 'cjs' },
  { in: 'electron/preload.ts', out: 'dist/electron/preload.cjs', format: 'cjs' },
];
// The Electron shell is CommonJS, where import.meta is empty: give the services (native/, the site
// template lookup) their module URL back, so the shell finds the helper and the templates.
const cjsImportMeta = {
  define: { 'import.meta.url': '__netlabImportMetaUrl' },
  banner: { js: 'const __netlabImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};
// The CLI and the partitioned reader's lanes (electron/cli/read-parallel.ts) share chunks: each
// subcommand's modules and npm packages load only when it runs (`netlab read` used to spend ~0.1 s
// loading the UI's and the server's packages). Chunks sit next to the entries, so import.meta.url
// lookups relative to the bundle keep working. Chunks of earlier builds are removed after an hour,
// not at once: a `netlab` started before this build may still load its own chunks.
const hourAgo = Date.now() - 3600_000;
for (const f of existsSync('dist') ? readdirSync('dist') : []) {
  if (/^chunk-.*\.mjs(\.map)?$/.test(f) && statSync(join('dist', f)).mtimeMs < hourAgo) rmSync(join('dist', f));
}
await Promise.all([
  build({
    ...common, entryPoints: { cli: 'electron/cli/main.ts', 'read-worker': 'electron/cli/read-worker.ts' }, outdir: 'dist',
    format: 'esm', splitting: true, chunkNames: 'chunk-[hash]', outExtension: { '.js': '.mjs' },
  }),
  ...entries.filter((e) => existsSync(e.in)).map((e) =>
    build({ ...common, ...(e.format === 'cjs' ? cjsImportMeta : {}), entryPoints: [e.in], outfile: e.out, format: e.format })),
]);
if (!nodeOnly && existsSync('renderer/index.html')) {
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
