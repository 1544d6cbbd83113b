// The partitioned reader: several engines (worker threads, one per lane) dissect one file at once, each
// whole TCP streams (core/dissect/partition.ts says why the lines are then exactly one engine's), and
// this thread merges their lines back into frame order as they come.
//
// This thread reads the file once and classifies every frame once (the stream numbers are
// capture-wide), then hands each lane only its own frames: their bytes, record fields, TCP stream and
// what classifyTcp found (presetTcp), and the time of the frame before (frame.time_delta). A lane
// dissects nothing else. Before, every lane read, parsed and classified the whole file and skipped the
// others' frames: two lanes cost 1.6x one engine's CPU on the 513,650-packet capture.
//
// Merging: every lane sends its lines with their frame numbers, plus a mark "every frame of mine up to
// N has been printed". A line for frame f may be written once every other lane has either a line
// waiting for a later frame or a mark at f or beyond: none of them can still print something before it.
//
// When a frame cannot be split this way (an IPv4 fragment, an ICMP error quoting TCP, a link type the
// classifier does not follow), no frame from there on is handed out; the lines before it are written
// and the caller reads the rest with one engine. A lane that fails is handled the same way, from the
// first frame not yet written: the output is never cut or doubled.
//
// Memory stays bounded: a lane waits once MAX_AHEAD batches of its lines are unwritten (a slow reader
// of the output), and this thread stops reading the file while a lane has IN_AHEAD bytes of frames it
// has not dissected yet.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CaptureInterface, PacketRecord } from '../../core/capfile/record.js';
import { PART_INELIGIBLE, Partitioner } from '../../core/dissect/partition.js';
import { readCaptureFile } from '../services/capture-file.js';
import { loadFilter } from './read-filter.js';
import { PacketPrinter, type ReadError } from './read-print.js';
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

/** Batches of lines a lane may have sent and not yet seen written (one per batch of frames). */
export const MAX_AHEAD = 128;
/**
 * Bytes of frames handed to a lane and not yet dissected, beyond which the file is not read on: ~70 ms
 * of a lane's work. The threads run coupled (the merge waits for the slowest); on a busy machine each
 * is descheduled for tens of milliseconds at a time, and with 1 MiB here two lanes took 1.5x the wall
 * time of the old design, where every lane read the file itself.
 */
const IN_AHEAD = 16 << 20;
/** Bytes of frames per batch: ~500 frames of the wrk capture, a millisecond of a lane's work. */
const BATCH_BYTES = 256 << 10;

/**
 * Per frame of a batch, FRAME_WORDS numbers of `meta` (a Float64Array: times and sequence numbers
 * need more than 31 bits).
 */
export const enum M {
  NUM, TS_SEC, TS_NSEC, CAP_LEN, ORIG_LEN, IFACE, LINK, OFF, LEN,
  /** TCP stream index, or -1 (the frame is not TCP). */
  STREAM,
  /** dir | reused << 1 | set << 2 (tcpClassified). */
  TCP_FLAGS, BASE, BASE_REV,
  /** The time of frame NUM - 1 (frame.time_delta when that frame went to another lane). */
  PREV_SEC, PREV_NSEC,
}
export const FRAME_WORDS = 15;

export type ToLane =
  /** Frames for the lane; every frame up to `upTo` has been handed out. */
  | { kind: 'frames'; data: ArrayBuffer; len: number; meta: Float64Array; n: number; upTo: number; first: [number, number]; comments: [number, string][] | null }
  | { kind: 'interfaces'; list: CaptureInterface[] }
  | { kind: 'end' };

export type LaneMessage =
  /** One batch of frames dissected: its lines, and the batch's `upTo` as the lane's mark. */
  | { kind: 'lines'; bytes: Uint8Array; frames: Int32Array; ends: Int32Array; lines: number; upTo: number; shown: number; took: number }
  | { kind: 'end'; shown: number };

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

/**
 * A lane's lines, encoded as UTF-8 into one reused buffer as they are printed, each with its frame
 * number and where it ends; taken out a batch at a time (a copy: the buffer is reused).
 */
export class LineBuffer {
  private bytes: Buffer;
  private len = 0;
  private frames = new Int32Array(1024);
  private ends = new Int32Array(1024);
  lines = 0;
  constructor(size: number) {
    this.bytes = Buffer.allocUnsafe(size);
  }

  add(num: number, text: string): void {
    if (this.len + text.length * 3 > this.bytes.length) {
      const b = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.len + text.length * 3));
      this.bytes.copy(b, 0, 0, this.len);
      this.bytes = b;
    }
    if (this.lines === this.frames.length) {
      const f = new Int32Array(this.lines * 2); f.set(this.frames); this.frames = f;
      const e = new Int32Array(this.lines * 2); e.set(this.ends); this.ends = e;
    }
    this.len += this.bytes.write(text, this.len, 'utf8');
    this.frames[this.lines] = num;
    this.ends[this.lines++] = this.len;
  }

  /** The lines so far, in arrays of their own (transferable to another thread); empties the buffer. */
  take(): { bytes: Uint8Array<ArrayBuffer>; frames: Int32Array<ArrayBuffer>; ends: Int32Array<ArrayBuffer>; lines: number } {
    const bytes = new Uint8Array(this.len);
    bytes.set(this.bytes.subarray(0, this.len));
    const out = { bytes, frames: this.frames.slice(0, this.lines), ends: this.ends.slice(0, this.lines), lines: this.lines };
    this.len = 0;
    this.lines = 0;
    return out;
  }
}

const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_META = new Float64Array(0);

/** A batch of frames being filled for one lane. */
class Outgoing {
  // Allocated with the first frame: most flushes hand some lane an empty batch.
  data = EMPTY_BYTES;
  meta = EMPTY_META;
  len = 0;
  n = 0;
  comments: [number, string][] | null = null;

  add(rec: PacketRecord, num: number, stream: number, p: Partitioner, prevSec: number, prevNsec: number): void {
    const size = rec.data.length;
    if (this.len + size > this.data.length) {
      const d = new Uint8Array(Math.max(this.data.length * 2, this.len + size, BATCH_BYTES));
      d.set(this.data.subarray(0, this.len));
      this.data = d;
    }
    this.data.set(rec.data, this.len);
    if ((this.n + 1) * FRAME_WORDS > this.meta.length) {
      const m = new Float64Array(Math.max(this.meta.length * 2, FRAME_WORDS * 512));
      m.set(this.meta);
      this.meta = m;
    }
    const m = this.meta, o = this.n * FRAME_WORDS;
    m[o + M.NUM] = num;
    m[o + M.TS_SEC] = rec.tsSec;
    m[o + M.TS_NSEC] = rec.tsNsec;
    m[o + M.CAP_LEN] = rec.capLen;
    m[o + M.ORIG_LEN] = rec.origLen;
    m[o + M.IFACE] = rec.interfaceId;
    m[o + M.LINK] = rec.linkType;
    m[o + M.OFF] = this.len;
    m[o + M.LEN] = size;
    m[o + M.STREAM] = stream;
    if (stream >= 0) {
      const t = p.tcp;
      m[o + M.TCP_FLAGS] = t.dir | (t.reused ? 2 : 0) | (t.set << 2);
      m[o + M.BASE] = t.base;
      m[o + M.BASE_REV] = t.baseRev;
    }
    m[o + M.PREV_SEC] = prevSec;
    m[o + M.PREV_NSEC] = prevNsec;
    if (rec.comment !== undefined) (this.comments ??= []).push([this.n, rec.comment]);
    this.len += size;
    this.n++;
  }
}

class Lane {
  constructor(private readonly written: Int32Array, readonly index: number) {}
  readonly batches: Batch[] = [];
  /** Every frame of this lane up to this one has been dissected and its line sent. */
  upTo = 0;
  shown = 0;
  /** Bytes of frames sent and not yet dissected. */
  inFlight = 0;
  ended = false;
  failed: string | null = null;
  out = new Outgoing();

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
    return this.ended ? Infinity : this.upTo + 1;
  }
}

/**
 * The main thread's share of the TCP streams, against 1 for each worker: it also reads, classifies and
 * merges (~0.8 us a packet against ~4.5 us of dissection on the wrk capture).
 */
const MAIN_WEIGHT = 0.8;

export async function readParallel(o: ReadOptions, lanes: number, out: Out): Promise<ParallelResult> {
  const written = new SharedArrayBuffer(4 * lanes);
  const all = Array.from({ length: lanes }, (_, i) => new Lane(new Int32Array(written), i));
  const options = { ...o, prefs: [...o.prefs] };
  // Lane 0 is this thread: one engine fewer to start and to warm up (each costs ~0.2 s of CPU, and its
  // JIT compiles the same code again); the workers are lanes 1 and up.
  const workers = all.slice(1).map((l) => new Worker(WORKER, { workerData: { options, lane: l.index, lanes, written } satisfies LaneInit }));
  const printer = new PacketPrinter(o, o.filter !== undefined ? loadFilter(o.filter) : null);
  const capture = printer.engine.capture;
  // Classified in lane 0's engine: its own frames need no presetTcp.
  const partitioner = new Partitioner(printer.engine);
  const abort = new AbortController();
  let settled: ParallelResult | null = null;
  let resolveSettled: () => void = () => undefined;
  const allSettled = new Promise<void>((r) => { resolveSettled = r; });
  /** Resumes reading the file once no lane is IN_AHEAD bytes behind. */
  let resume: (() => void) | null = null;
  const behind = (): boolean => all.some((l) => l.inFlight >= IN_AHEAD);

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

  const wake = (): void => {
    if (resume !== null && (settled !== null || !behind())) {
      const r = resume;
      resume = null;
      r();
    }
  };
  const settle = (r: ParallelResult): void => {
    if (settled !== null) return;
    settled = r;
    abort.abort();
    for (const w of workers) void w.terminate();
    resolveSettled();
    wake();
  };

  // What reading ended with, once it has (null while it goes on).
  let readEnd: { ineligible: number; error: ReadError | null; stopped: boolean } | null = null;

  const check = (): void => {
    if (settled !== null) return;
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
    wake();
    if (readEnd === null || all.some((l) => !l.ended)) return;
    if (readEnd.ineligible > 0) {
      settle({ kind: 'fallback', from: readEnd.ineligible, reason: `frame ${readEnd.ineligible} cannot be read apart from the others` });
      return;
    }
    settle({ kind: 'done', shown: all.reduce((n, l) => n + l.shown, 0), error: readEnd.error, stopped: readEnd.stopped });
  };

  workers.forEach((w, i) => {
    const lane = all[i + 1];
    w.on('message', (m: LaneMessage) => {
      if (m.kind === 'lines') {
        if (m.lines > 0) lane.batches.push({ bytes: m.bytes, frames: m.frames, ends: m.ends, lines: m.lines, next: 0 });
        else lane.wrote();
        lane.upTo = m.upTo;
        lane.shown = m.shown;
        lane.inFlight -= m.took;
      } else {
        lane.shown = m.shown;
        lane.ended = true;
      }
      check();
    });
    w.on('error', (e) => {
      lane.failed = e instanceof Error ? e.message : String(e);
      check();
    });
    w.on('exit', (code) => {
      if (!lane.ended && lane.failed === null) {
        lane.failed = `a reading thread exited with code ${code}`;
        check();
      }
    });
  });

  // Lane 0's lines, encoded as they come and queued for the merge like a worker's.
  const own = all[0];
  const ownLines = new LineBuffer(64 << 10);

  // Hands every worker its batch, full or not (an empty one still moves its mark on: the merge waits
  // for marks of lanes that have no frames for a while), and queues lane 0's lines.
  let first: [number, number] = [0, 0];
  let sinceFlush = 0;
  const flush = (upTo: number): void => {
    sinceFlush = 0;
    if (settled !== null) return;
    for (let i = 1; i < lanes; i++) {
      const l = all[i], b = l.out;
      const msg: ToLane = { kind: 'frames', data: b.data.buffer as ArrayBuffer, len: b.len, meta: b.meta, n: b.n, upTo, first, comments: b.comments };
      workers[i - 1].postMessage(msg, b.n > 0 ? [b.data.buffer as ArrayBuffer, b.meta.buffer as ArrayBuffer] : []);
      l.inFlight += b.len;
      l.out = new Outgoing();
    }
    if (ownLines.lines > 0) own.batches.push({ ...ownLines.take(), next: 0 });
    own.upTo = upTo;
    own.shown = printer.shown;
    check();
  };

  // Streams go to lanes in proportion to their weights, in order of appearance.
  let owner = new Uint8Array(256);
  let streams = 0;
  const given = new Float64Array(lanes);
  const ownerOf = (stream: number): number => {
    while (streams <= stream) {
      let best = 0;
      for (let i = 1; i < lanes; i++) if (given[i] < given[best]) best = i;
      given[best] += best === 0 ? 1 / MAIN_WEIGHT : 1;
      if (streams >= owner.length) { const g = new Uint8Array(owner.length * 2); g.set(owner); owner = g; }
      owner[streams++] = best;
    }
    return owner[stream];
  };

  let num = 0;
  let ineligible = 0;
  let stopped = false;
  let prevSec = 0, prevNsec = 0;
  let lastOwn = 0;
  const res = await readCaptureFile(o.file, {
    onRecord: (rec) => {
      if (ineligible > 0 || stopped || settled !== null) return;
      const n = num + 1;
      const part = partitioner.classify(rec, n);
      if (part === PART_INELIGIBLE) {
        ineligible = n;
        abort.abort();
        return;
      }
      num = n;
      if (n === 1) first = [rec.tsSec, rec.tsNsec];
      const lane = part < 0 ? 0 : ownerOf(part);
      if (lane === 0) {
        // frame.time_relative counts from frame 1, frame.time_delta from the frame before: noted here
        // when they went to another lane.
        if (lastOwn === 0 && n > 1) capture.noteTime(1, first[0], first[1]);
        if (n > 1 && lastOwn !== n - 1) capture.noteTime(n - 1, prevSec, prevNsec);
        const line = printer.print(rec, n);
        if (line !== '') ownLines.add(n, line);
        lastOwn = n;
        sinceFlush += rec.data.length;
      } else {
        const l = all[lane];
        l.out.add(rec, n, part, partitioner, prevSec, prevNsec);
        sinceFlush = Math.max(sinceFlush, l.out.len);
      }
      prevSec = rec.tsSec;
      prevNsec = rec.tsNsec;
      if (sinceFlush >= BATCH_BYTES) flush(n);
      // -c counts packets read, not packets shown (tshark: "-Y http.request -c 3" may print nothing).
      if (o.count > 0 && n >= o.count) {
        stopped = true;
        abort.abort();
      }
    },
    onInterfaces: (list) => {
      flush(num);
      printer.setInterfaces(list);
      for (const w of workers) w.postMessage({ kind: 'interfaces', list } satisfies ToLane);
    },
    // Before each read: what was read so far goes out, and reading waits while a lane is behind.
    beforeRead: () => {
      flush(num);
      if (settled !== null || !behind()) return undefined;
      return new Promise<void>((r) => { resume = r; });
    },
    signal: abort.signal,
  });
  if (settled === null) {
    flush(num);
    own.ended = true;
    for (const w of workers) w.postMessage({ kind: 'end' } satisfies ToLane);
    const e = res.error;
    readEnd = {
      ineligible,
      stopped,
      error: e === null || ineligible > 0 || stopped ? null : { code: e.code, message: e.message, offset: e.offset, hint: e.hint },
    };
    check();
  }
  await allSettled;
  return settled!;
}
