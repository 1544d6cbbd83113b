// A small cache of whole 200 responses for small files, in front of `send`. Measured (README,
// "Dependencies"): `send` stats, opens and streams the file on every request, ~7 k requests/s on
// this machine, where Apache serves ~22 k; a hit here is one writeHead + end of a Buffer.
//
// Only unconditional, range-less GET/HEAD requests are answered from it; 304, 206, 416 and every
// error still come from `send`. Headers are computed with the libraries `send` itself uses (etag,
// mime-types) in its order, so a hit is byte-for-byte the response `send` would have given (the
// integration test compares them). Entries are revalidated at most FRESH_MS after their last check:
// a stale entry sends the request down the `send` path, which re-stats the file and refreshes it.

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
  private total = 0;

  constructor(private readonly serverName: string) {}

  /** A fresh entry for a URL path, or undefined. */
  get(urlPath: string, now: number): Entry | undefined {
    const e = this.entries.get(urlPath);
    if (e === undefined || now - e.checkedAt > FRESH_MS) return undefined;
    return e;
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
