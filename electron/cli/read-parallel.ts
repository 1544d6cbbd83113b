// The partitioned reader: several engines (worker threads, one per lane) read the same file at once,
// each dissecting whole TCP streams (core/dissect/partition.ts says why the lines are then exactly one
// engine's), and this thread merges their lines back into frame order as they come.
//
// Merging: every lane sends its lines with their frame numbers, plus a mark "every frame up to N has
// been seen". A line for frame f may be written once every other lane has either a line waiting for a
// later frame or a mark at f or beyond: none of them can still print something before it.
//
// When a frame cannot be split this way (an IPv4 fragment, an ICMP error quoting TCP, a link type the
// classifier does not follow), every lane stops at that same frame; the lines before it are written
// and the caller reads the rest with one engine. A lane that fails is handled the same way, from the
// first frame not yet written: the output is never cut or doubled.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReadError } from './read-print.js';
import type { Out, ReadOptions } from './read.js';

/** What a lane is started with (ReadOptions with its Map flattened for the structured clone). */
export interface LaneInit {
  options: Omit<ReadOptions, 'prefs'> & { prefs: [string, boolean | number | string][] };
  lane: number;
  lanes: number;
  /**
   * Batches of lines written so far, one counter per lane: a lane that has sent MAX_AHEAD more than
   * were written waits (output to a slow reader must not pile up in memory).
   */
  written: SharedArrayBuffer;
}

/** Batches a lane may have sent and not yet seen written (each up to 256 KiB of lines). */
export const MAX_AHEAD = 8;

export type LaneMessage =
  | { kind: 'lines'; bytes: Uint8Array; frames: Int32Array; ends: Int32Array; lines: number; upTo: number; shown: number }
  | { kind: 'end'; ineligible: number; stopped: boolean; error: ReadError | null };

export type ParallelResult =
  | { kind: 'done'; shown: number; error: ReadError | null; stopped: boolean }
  /** Frames before `from` are written; read the rest with one engine. */
  | { kind: 'fallback'; from: number; reason: string };

const WORKER = new URL('./read-worker.mjs', import.meta.url);

/** The lanes' script exists only in the built CLI (dist/); from sources the reader stays single. */
export function workerScriptExists(): boolean {
  return WORKER.protocol === 'file:' && existsSync(fileURLToPath(WORKER));
}

interface Batch { bytes: Uint8Array; frames: Int32Array; ends: Int32Array; lines: number; next: number }

class Lane {
  constructor(private readonly written: Int32Array, private readonly index: number) {}
  readonly batches: Batch[] = [];
  /** Every frame up to this one has been classified and, if ours, its line sent. */
  upTo = 0;
  shown = 0;
  end: Extract<LaneMessage, { kind: 'end' }> | null = null;
  failed: string | null = null;

  /** Frame of the next line to write, or Infinity. */
  head(): number {
    while (this.batches.length > 0 && this.batches[0].next >= this.batches[0].lines) {
      this.batches.shift();
      this.wrote();
    }
    return this.batches.length > 0 ? this.batches[0].frames[this.batches[0].next] : Infinity;
  }
  /** Tells the lane one more of its batches is out (it may be waiting for that). */
  wrote(): void {
    Atomics.add(this.written, this.index, 1);
    Atomics.notify(this.written, this.index);
  }
  /** The first frame this lane might still send a line for. */
  pending(): number {
    const h = this.head();
    if (h !== Infinity) return h;
    return this.end !== null ? Infinity : this.upTo + 1;
  }
}

export function readParallel(o: ReadOptions, lanes: number, out: Out): Promise<ParallelResult> {
  return new Promise((resolve) => {
    const written = new SharedArrayBuffer(4 * lanes);
    const all = Array.from({ length: lanes }, (_, i) => new Lane(new Int32Array(written), i));
    const options = { ...o, prefs: [...o.prefs] };
    const workers = all.map((_, lane) => new Worker(WORKER, { workerData: { options, lane, lanes, written } satisfies LaneInit }));
    let settled = false;

    /** Writes every line that no lane can precede any more. */
    const pump = (): void => {
      for (;;) {
        let best = -1, bestFrame = Infinity;
        for (let i = 0; i < all.length; i++) {
          const h = all[i].head();
          if (h < bestFrame) { bestFrame = h; best = i; }
        }
        if (best < 0) return;
        let limit = Infinity;
        for (let i = 0; i < all.length; i++) if (i !== best) limit = Math.min(limit, all[i].pending());
        if (limit <= bestFrame) return;
        const b = all[best].batches[0];
        const from = b.next;
        let to = from;
        while (to < b.lines && b.frames[to] < limit) to++;
        out.writeBytes(b.bytes.subarray(from === 0 ? 0 : b.ends[from - 1], b.ends[to - 1]));
        b.next = to;
        if (out.isClosed) return;
      }
    };

    const settle = (r: ParallelResult): void => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      resolve(r);
    };

    const check = (): void => {
      pump();
      if (out.isClosed) {
        settle({ kind: 'done', shown: 0, error: null, stopped: true });
        return;
      }
      const failed = all.find((l) => l.failed !== null);
      if (failed !== undefined) {
        // Everything before the first frame some lane still owes has been written (a failed lane owes
        // everything after its last mark).
        const from = Math.min(...all.map((l) => l.pending()));
        settle({ kind: 'fallback', from, reason: failed.failed ?? '' });
        return;
      }
      if (all.some((l) => l.end === null)) return;
      const ends = all.map((l) => l.end!);
      const ineligible = ends.find((e) => e.ineligible > 0)?.ineligible ?? 0;
      if (ineligible > 0) {
        settle({ kind: 'fallback', from: ineligible, reason: `frame ${ineligible} cannot be read apart from the others` });
        return;
      }
      settle({
        kind: 'done',
        shown: all.reduce((n, l) => n + l.shown, 0),
        error: ends.find((e) => e.error !== null)?.error ?? null,
        stopped: ends.some((e) => e.stopped),
      });
    };

    workers.forEach((w, i) => {
      const lane = all[i];
      w.on('message', (m: LaneMessage) => {
        if (m.kind === 'lines') {
          if (m.lines > 0) lane.batches.push({ bytes: m.bytes, frames: m.frames, ends: m.ends, lines: m.lines, next: 0 });
          else lane.wrote();
          lane.upTo = m.upTo;
          lane.shown = m.shown;
        } else {
          lane.end = m;
        }
        check();
      });
      w.on('error', (e) => {
        lane.failed = e instanceof Error ? e.message : String(e);
        check();
      });
      w.on('exit', (code) => {
        if (lane.end === null && lane.failed === null) {
          lane.failed = `a reading thread exited with code ${code}`;
          check();
        }
      });
    });
  });
}
