// Shared by the capture integration tests: run commands, the real CLI, and wait for their output.
// Names and ports follow engineer F's ranges (prefix nlF, ports 25000-25999).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCaptureFile } from '../../../electron/services/capture-file.js';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const CLI = join(ROOT, 'bin', 'netlab.mjs');
export const HELPER = join(ROOT, 'native', 'build', 'Release', 'netlab-capture');

export function sh(cmd: string, args: string[], opts: { input?: string } = {}): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input: opts.input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Like sh, but a failure (e.g. deleting what is already gone) is ignored: for cleanup only. */
export function shQuiet(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
  } catch {
    // nothing to clean
  }
}

export function tmp(name: string): string {
  return mkdtempSync(join(tmpdir(), `nlF-${name}-`));
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function start(cmd: string, args: string[]): Running {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function waitFor(what: () => boolean, label: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `ip netns exec NS cmd args`: run a command inside a test namespace. */
export function inNs(ns: string, cmd: string, args: string[]): [string, string[]] {
  return ['ip', ['netns', 'exec', ns, cmd, ...args]];
}

/** Every record of a capture file (our reader; tshark checks the same files separately). */
export async function readPackets(file: string): Promise<{ tsSec: number; tsNsec: number; origLen: number; data: Buffer }[]> {
  const out: { tsSec: number; tsNsec: number; origLen: number; data: Buffer }[] = [];
  const res = await readCaptureFile(file, {
    onRecord: (r) => out.push({ tsSec: r.tsSec, tsNsec: r.tsNsec, origLen: r.origLen, data: Buffer.from(r.data) }),
  });
  if (res.error) throw new Error(`${file}: ${res.error.message}`);
  return out;
}

/** capinfos' packet count; capinfos exits non-zero and warns on any damaged file. */
export function capinfosCount(file: string): number {
  const out = sh('capinfos', ['-c', '-M', file]);
  const m = /Number of packets:\s+(\d+)/.exec(out);
  if (!m) throw new Error(`capinfos gave no packet count for ${file}: ${out}`);
  return Number(m[1]);
}
