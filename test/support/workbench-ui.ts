// What every end-to-end test of the workbench needs: the real bundled `netlab ui` on a port the
// kernel picked (`--port 0`: a fixed port clashed with other runs on the same machine, "netlab ui
// exited with 1"), Debian's Chromium with a fresh profile, the lab server started on a free port
// (retried when another process took it first), and tshark's reading of a file.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { expect } from 'vitest';

/** The flags every test browser runs with (no background traffic, no QUIC, no first-run UI). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Builds the app once if this tree has never been built (CI's setup.sh builds it first). */
export function ensureBuilt(): void {
  if (!existsSync('dist/renderer/index.html') || !existsSync('dist/cli.mjs')) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}

export interface RunningUi {
  proc: ChildProcess;
  /** The URL with the per-run token, as `netlab ui` prints it first. */
  url: string;
  port: number;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `netlab ui --port 0 --no-open [file]` and resolves with the URL it prints first. The data
 * folder is the test's own (NETLAB_DATA_DIR), so no two runs share a saved page or settings.
 */
export async function startUi(opts: { dataDir?: string; file?: string } = {}): Promise<RunningUi> {
  ensureBuilt();
  const proc = spawn(process.execPath, ['bin/netlab.mjs', 'ui', '--port', '0', '--no-open', ...(opts.file ? [opts.file] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...(opts.dataDir ? { NETLAB_DATA_DIR: opts.dataDir } : {}) },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    proc.on('exit', (c) => reject(new Error(`netlab ui exited with ${c}`)));
  });
  const port = Number(new URL(url).port);
  const stop = () => new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) { resolve(); return; }
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
  return { proc, url, port, stop };
}

/** Chromium with a fresh profile folder (playwright passes it as --user-data-dir). */
export function launchWorkbenchBrowser(profileDir: string, opts: { viewport?: { width: number; height: number }; acceptDownloads?: boolean } = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, locale: 'en-US',
    ...(opts.viewport ? { viewport: opts.viewport } : {}),
    ...(opts.acceptDownloads ? { acceptDownloads: true } : {}),
  });
}

/** A port nothing listens on right now (the kernel's pick for port 0), for servers that need a number up front. */
export function freePort(kind: 'tcp' | 'udp' = 'tcp', host = '127.0.0.1'): Promise<number> {
  if (kind === 'udp') {
    return new Promise((resolve, reject) => {
      const s = dgram.createSocket('udp4');
      s.once('error', reject);
      s.bind(0, host, () => {
        const { port } = s.address();
        s.close(() => resolve(port));
      });
    });
  }
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts the lab server from the workbench's server panel on a free port and returns the port. Another
 * process may take the port between the pick and the click: the panel then answers ERR_PORT_IN_USE,
 * and a new port is tried (at most 5 times).
 */
export async function startLabServer(page: Page, opts: { listenOn?: string } = {}): Promise<number> {
  if (opts.listenOn) await page.getByRole('combobox', { name: 'Listen on' }).selectOption(opts.listenOn);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort('tcp', '0.0.0.0');
    await page.getByRole('spinbutton', { name: 'Port' }).fill(String(port));
    await page.getByRole('button', { name: 'Start server' }).click();
    const inUse = page.getByRole('alert').filter({ hasText: 'ERR_PORT_IN_USE' });
    const outcome = async () => {
      if (await inUse.count() > 0) return 'in use';
      return (await page.getByRole('button', { name: 'Stop server' }).isEnabled()) ? 'started' : 'waiting';
    };
    await expect.poll(outcome).not.toBe('waiting');
    if (await outcome() === 'started') return port;
    if (attempt === 5) throw new Error(`the lab server found every port it tried in use (last ${port})`);
    await inUse.getByRole('button').click();
  }
}

/** tshark -n -r PATH ARGS, one entry per output line (empty lines dropped). */
export function tsharkLines(path: string, args: string[]): string[] {
  return execFileSync('tshark', ['-n', '-r', path, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd().split('\n').filter((l) => l !== '');
}

/** Where e2e screenshots go (test-results/ is not committed). */
export const SHOTS = join('test-results', 'e2e');
