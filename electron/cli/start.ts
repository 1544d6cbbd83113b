// `netlab start` (and `npm start`): the desktop app where Electron can run, the same app in the
// browser (`netlab ui`) where its binary is missing, so the README's first command always ends in a
// working window. The first window offers the lab sample capture.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appRoot } from '../api/backend.js';

/** The Electron binary's path, or null when the npm package's binary download never happened. */
export function electronBinary(): string | null {
  try {
    // The electron package's main export is the path of its binary; it throws when the binary is absent.
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('Usage: netlab start [FILE]\n\nOpens the desktop app (or, without Electron, the same app in your browser: see netlab ui).');
    return 0;
  }
  const bin = electronBinary();
  const main = join(appRoot(dirname(fileURLToPath(import.meta.url))), 'dist', 'electron', 'main.cjs');
  if (bin !== null && existsSync(main)) {
    const child = spawn(bin, [main, ...argv], { stdio: 'inherit' });
    return new Promise((done) => child.on('exit', (code) => done(code ?? 1)));
  }
  console.error('netlab: the Electron binary is not installed (get it with `node node_modules/electron/install.js` where downloads work); opening the app in your browser instead.');
  const ui = await import('./ui.js');
  return ui.run(argv);
}
