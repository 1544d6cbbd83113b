// `netlab ui [--port N] [--no-open] [FILE]`: the workbench in a browser. Serves the built renderer and
// the API bridge on 127.0.0.1 (electron/api/ws-bridge.ts), prints the URL with this run's token as
// the first line of output, opens it in the default browser, and runs until SIGINT/SIGTERM.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appRoot, createBackend } from '../api/backend.js';
import { ApiHost } from '../api/channel.js';
import { isApiError } from '../api/errors.js';
import { loadServices } from '../api/services.js';
import { startUiServer } from '../api/ws-bridge.js';

const HELP = `Usage: netlab ui [--port N] [--no-open] [FILE]

Opens the workbench in your browser (the same app as the desktop window).
  --port N    serve on 127.0.0.1:N (default: a free port)
  --no-open   print the URL but do not open a browser
  FILE        a .pcap/.pcapng file to open at start`;

export interface UiArgs {
  port: number;
  open: boolean;
  file?: string;
}

export function parseUiArgs(argv: string[]): UiArgs | { error: string; hint: string } | 'help' {
  const out: UiArgs = { port: 0, open: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return 'help';
    if (a === '--no-open') out.open = false;
    else if (a === '--port' || a.startsWith('--port=')) {
      const v = a.includes('=') ? a.slice(7) : argv[++i];
      const n = Number(v);
      if (v === undefined || !/^\d+$/.test(v) || n < 0 || n > 65535) {
        return { error: `--port needs a number from 0 to 65535 (got ${v === undefined ? 'nothing' : `"${v}"`}).`, hint: 'Example: netlab ui --port 27080' };
      }
      out.port = n;
    } else if (a.startsWith('-')) {
      return { error: `unknown option "${a}".`, hint: "Run 'netlab ui --help' for the options." };
    } else if (out.file === undefined) out.file = resolve(a);
    else return { error: `only one file can be opened (got "${out.file}" and "${a}").`, hint: 'Open the other one from File › Open….' };
  }
  return out;
}

function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]]
    : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]]
    : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => console.error(`netlab ui: could not open a browser (${cmd}); open the URL above yourself.`));
    child.unref();
  } catch {
    console.error('netlab ui: could not open a browser; open the URL above yourself.');
  }
}

export async function run(argv: string[]): Promise<number> {
  const args = parseUiArgs(argv);
  if (args === 'help') {
    console.log(HELP);
    return 0;
  }
  if ('error' in args) {
    console.error(`netlab ui: ${args.error}\n  ${args.hint}`);
    return 2;
  }
  const root = appRoot(dirname(fileURLToPath(import.meta.url)));
  const staticDir = join(root, 'dist', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) {
    console.error('netlab ui: the user interface is not built (dist/renderer/index.html is missing).\n  Run: npm run build');
    return 2;
  }
  const services = await loadServices();
  // The backend emits events through the host that serves it: a cycle closed by a getter.
  const host: ApiHost = new ApiHost(createBackend(() => host, { mode: 'browser', root, ...services, ...(args.file ? { openAtStart: args.file } : {}) }));
  let ui;
  try {
    ui = await startUiServer({ host, staticDir, port: args.port });
  } catch (e) {
    if (isApiError(e)) {
      console.error(`netlab ui: ${e.message}\n  ${e.hint}`);
      return 1;
    }
    throw e;
  }
  console.log(ui.url);
  if (args.open) openBrowser(ui.url);
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await services.dispose?.();
  await ui.close();
  return 0;
}
