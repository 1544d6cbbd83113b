// A small cache of whole 200 responses for small files, in front of `send`. Measured (README,
// "Dependencies"): `send` stats, opens and streams the file on every request, ~7 k requests/s on
// this machine, where Apache serves ~22 k; a hit here is one writeHead + end of a Buffer.
//
// Only unconditional, range-less GET/HEAD requests are answered from it; 304, 206, 416 and every
// error still come from `send`. Headers are computed with the libraries `send` itself uses (etag,
// mime-types) in its order, so a hit is byte-for-byte the response `send` would have given (the
// integration test compares them). An entry is re-stat'ed in the background once it is FRESH_MS old
// and dropped when the file changed, so an edit shows within about a second (a reload with
// If-None-Match, as browsers send, goes to `send` and sees it at once).

import etag from 'etag';
import { contentType } from 'mime-types';
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';

export const FRESH_MS = 1000;
const MAX_FILE = 256 * 1024;
const MAX_TOTAL = 32 * 1024 * 1024;

interface Entry {
  file: string;
  body: Buffer;
  /** Raw header list for writeHead, Server first, as `send` sets them, Content-Length last. */
  head: string[];
  checkedAt: number;
  key: string;
}

function statKey(s: Stats): string {
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
}

export class FileCache {
  private readonly entries = new Map<string, Entry>();
  private readonly filling = new Set<string>();
  private readonly revalidating = new Set<string>();
  private total = 0;

  constructor(private readonly serverName: string) {}

  /**
   * A fresh entry for a URL path, or undefined. An entry past FRESH_MS is still served while one
   * background stat revalidates it (stale-while-revalidate): letting every request miss at once
   * each second sent bursts of 50 requests down the slow path and tripled the p99 latency.
   */
  get(urlPath: string, now: number): Entry | undefined {
    const e = this.entries.get(urlPath);
    if (e === undefined) return undefined;
    const age = now - e.checkedAt;
    if (age <= FRESH_MS) return e;
    if (!this.revalidating.has(urlPath)) this.revalidate(urlPath, e);
    return age <= 2 * FRESH_MS ? e : undefined;
  }

  /** Called when `send` has stat'ed the file for `urlPath` (its 'file' event). */
  offer(urlPath: string, file: string, s: Stats): void {
    const key = statKey(s);
    const e = this.entries.get(urlPath);
    if (e !== undefined && e.key === key && e.file === file) {
      e.checkedAt = Date.now();
      return;
    }
    if (e !== undefined) this.drop(urlPath);
    if (s.size > MAX_FILE || !s.isFile() || this.filling.has(urlPath)) return;
    this.filling.add(urlPath);
    void this.fill(urlPath, file, key).finally(() => this.filling.delete(urlPath));
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  private revalidate(urlPath: string, e: Entry): void {
    this.revalidating.add(urlPath);
    stat(e.file).then(
      (s) => {
        if (this.entries.get(urlPath) !== e) return;
        if (statKey(s) === e.key) e.checkedAt = Date.now();
        else this.drop(urlPath);
      },
      () => { if (this.entries.get(urlPath) === e) this.drop(urlPath); },
    ).finally(() => this.revalidating.delete(urlPath));
  }

  private drop(urlPath: string): void {
    const e = this.entries.get(urlPath);
    if (e === undefined) return;
    this.total -= e.body.length;
    this.entries.delete(urlPath);
  }

  private async fill(urlPath: string, file: string, key: string): Promise<void> {
    try {
      const body = await readFile(file);
      const s = await stat(file);
      // The file changed while we read it: leave it to `send` until it settles.
      if (statKey(s) !== key || body.length !== s.size) return;
      while (this.total + body.length > MAX_TOTAL && this.entries.size > 0) {
        this.drop(this.entries.keys().next().value as string);
      }
      const head = [
        'Server', this.serverName,
        'Accept-Ranges', 'bytes',
        'Cache-Control', 'public, max-age=0',
        'Last-Modified', s.mtime.toUTCString(),
        'ETag', etag(s),
        'Content-Type', contentType(extname(file)) || 'application/octet-stream',
        'Content-Length', String(body.length),
      ];
      this.entries.set(urlPath, { file, body, head, checkedAt: Date.now(), key });
      this.total += body.length;
    } catch {
      // Unreadable now: `send` will answer (and log) the next request for it.
    }
  }
}
