// Shared by the lab-server integration tests: run the real, built `netlab serve` (optionally inside
// a network namespace or as another user), talk raw HTTP over a TCP socket (so no client normalises
// the request target), and make a site folder the way the app does.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SiteService } from '../../../electron/services/lab-server/index.js';
import { makePng } from '../../fixtures/lab-server/make-png.mjs';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const NETLAB = join(REPO, 'bin', 'netlab.mjs');

export interface Served {
  proc: ChildProcess;
  /** Lines printed so far on stdout / stderr. */
  out: string[];
  err: string[];
  stop(): Promise<number | null>;
}

export interface ServeResult {
  served?: Served;
  /** Exit code when the command failed to start. */
  code?: number | null;
  stderr: string;
  firstLine?: string;
}

/** Starts `netlab serve ARGS` (through `prefix`, e.g. ['ip','netns','exec','NS']) and waits for its first line or its exit. */
export function serve(args: string[], opts: { prefix?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ServeResult> {
  const prefix = opts.prefix ?? [];
  const cmd = [...prefix, process.execPath, NETLAB, 'serve', ...args];
  const proc = spawn(cmd[0]!, cmd.slice(1), { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  const err: string[] = [];
  let outBuf = '';
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      resolve({ code: null, stderr: `timed out; stderr: ${err.join('\n')}` });
    }, opts.timeoutMs ?? 15_000);
    let resolved = false;
    const served: Served = {
      proc, out, err,
      stop: () => new Promise((res) => {
        if (proc.exitCode !== null) return res(proc.exitCode);
        proc.once('exit', (c) => res(c));
        proc.kill('SIGTERM');
      }),
    };
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      outBuf += d;
      const lines = outBuf.split('\n');
      outBuf = lines.pop()!;
      out.push(...lines);
      if (!resolved && out.length > 0) {
        resolved = true;
        clearTimeout(timer);
        resolve({ served, stderr: '', firstLine: out[0] });
      }
    });
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => err.push(d));
    proc.once('exit', (code) => {
      if (resolved) return;
      resolved = true;
      clearTimeout(timer);
      resolve({ code, stderr: err.join('') });
    });
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  raw: Buffer;
}

/** Sends `request` bytes as they are and reads until the server closes (requests say Connection: close). */
export function rawHttp(port: number, request: string | Buffer, host = '127.0.0.1', timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, host, () => s.write(request));
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`no complete answer within ${timeoutMs} ms to ${JSON.stringify(String(request).slice(0, 80))}`)); }, timeoutMs);
    s.on('data', (d) => chunks.push(d));
    s.on('error', (e) => { clearTimeout(timer); reject(e); });
    s.on('close', () => {
      clearTimeout(timer);
      resolve(parseResponse(Buffer.concat(chunks)));
    });
  });
}

export function parseResponse(raw: Buffer): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const l of head.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status, headers, body: end < 0 ? Buffer.alloc(0) : raw.subarray(end + 4), raw };
}

export function get(target: string, extra = ''): string {
  return `GET ${target} HTTP/1.1\r\nHost: lab.test\r\n${extra}Connection: close\r\n\r\n`;
}

export const STUDENT = { title: 'Computer Networks Lab 2', major: '计算机科学与技术', studentId: '1911406', name: '张三 <b>&', freeText: 'Served by NetLab Workbench.' };

/** A temp dir with a data dir and a site written by the SiteService, with a PNG logo. */
export async function makeSite(prefix: string): Promise<{ dir: string; site: string; logo: Buffer }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const site = join(dir, 'site');
  const logo = makePng(96, 96, 7);
  await new SiteService({ dataDir: dir, root: site }).save({ page: STUDENT, logo: { name: 'my-logo.png', bytes: logo } });
  return { dir, site, logo };
}

export function sh(cmd: string): void {
  const r = spawnSyncSh(cmd);
  if (r.status !== 0) throw new Error(`${cmd} failed (${String(r.status)}): ${r.stderr}`);
}

export function spawnSyncSh(cmd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
