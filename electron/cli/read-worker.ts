// One engine of the partitioned reader (read-parallel.ts): reads the whole file, classifies every frame
// (core/dissect/partition.ts: the same stream numbers in every engine), dissects and prints the frames of
// its own lane, and sends the lines, encoded, with their frame numbers to the main thread, which merges
// the lanes back into frame order. Lane 0 also takes every frame that is not TCP.

import { parentPort, workerData } from 'node:worker_threads';
import { PART_INELIGIBLE, Partitioner } from '../../core/dissect/partition.js';
import { setZoneNameProvider } from '../../core/fields/format.js';
import { readCaptureFile } from '../services/capture-file.js';
import { loadFilter } from './read-filter.js';
import { PacketPrinter, setFrameMeta } from './read-print.js';
import { MAX_AHEAD, type LaneInit, type LaneMessage } from './read-parallel.js';
import { systemZoneNames } from './zone-names.js';

/** Bytes of output per message: large enough that messages are few, small enough to merge early. */
const BATCH_BYTES = 256 << 10;
/** Frames between messages even when none of them printed anything (the merge waits on these marks). */
const MARK_EVERY = 8192;

const init = workerData as LaneInit;
// Fault injection for the tests (read-parallel.test.ts): lane 1 fails at this frame, as a crashed
// lane would, and the reader must still print every line exactly once.
const faultAt = init.lane === 1 ? Number(process.env.NETLAB_READ_FAULT_AT ?? 0) : 0;
const o = { ...init.options, prefs: new Map(init.options.prefs) };
setZoneNameProvider(systemZoneNames());
setFrameMeta(o.file);
const printer = new PacketPrinter(o, o.filter !== undefined ? loadFilter(o.filter) : null);
const partitioner = new Partitioner(printer.engine);
const port = parentPort!;

let ab = new ArrayBuffer(BATCH_BYTES);
let view = Buffer.from(ab);
let len = 0;
let frames = new Int32Array(1024);
let ends = new Int32Array(1024);
let lines = 0;
let sinceMark = 0;

const written = new Int32Array(init.written);
let sent = 0;

function send(upTo: number): void {
  const msg: LaneMessage = { kind: 'lines', bytes: new Uint8Array(ab, 0, len), frames, ends, lines, upTo, shown: printer.shown };
  port.postMessage(msg, [ab, frames.buffer, ends.buffer]);
  sent++;
  // Too far ahead of what has been written (a slow reader of the output, or lanes that wait for this
  // one's frames): wait. The lane holding the lowest unwritten frame can always go on, so this never
  // stops every lane at once.
  for (let w = Atomics.load(written, init.lane); sent - w > MAX_AHEAD; w = Atomics.load(written, init.lane)) {
    Atomics.wait(written, init.lane, w, 1000);
  }
  ab = new ArrayBuffer(BATCH_BYTES);
  view = Buffer.from(ab);
  len = 0;
  frames = new Int32Array(1024);
  ends = new Int32Array(1024);
  lines = 0;
  sinceMark = 0;
}

function append(num: number, text: string, upTo: number): void {
  if (len + text.length * 3 > ab.byteLength || lines === frames.length) {
    if (lines > 0) send(upTo - 1);
    if (text.length * 3 > ab.byteLength) {
      ab = new ArrayBuffer(text.length * 3);
      view = Buffer.from(ab);
    }
  }
  len += view.write(text, len, 'utf8');
  frames[lines] = num;
  ends[lines] = len;
  lines++;
}

let num = 0;
let prevOther = false, prevSec = 0, prevNsec = 0;
let stop = false;
let ineligible = 0;
const abort = new AbortController();
const res = await readCaptureFile(o.file, {
  onRecord: (rec) => {
    if (stop) return;
    num++;
    if (num === faultAt) process.exit(70); // ends this thread only, as a crash would
    const part = partitioner.classify(rec, num);
    if (part === PART_INELIGIBLE) {
      ineligible = num;
      stop = true;
      abort.abort();
      return;
    }
    if ((part < 0 ? 0 : part % init.lanes) === init.lane) {
      // frame.time_delta is measured from the frame before, which may not be ours: its time is
      // noted now (frame 1's always is: times are relative to it).
      if (num > 1 && prevOther) printer.engine.capture.noteTime(num - 1, prevSec, prevNsec);
      const text = printer.print(rec, num);
      if (text !== '') append(num, text, num);
      prevOther = false;
    } else {
      if (num === 1) printer.engine.capture.noteTime(1, rec.tsSec, rec.tsNsec);
      prevOther = true;
      prevSec = rec.tsSec;
      prevNsec = rec.tsNsec;
    }
    if (++sinceMark >= MARK_EVERY || len >= BATCH_BYTES - 4096) send(num);
    if (o.count > 0 && num >= o.count) {
      stop = true;
      abort.abort();
    }
  },
  onInterfaces: (list) => printer.setInterfaces(list),
  signal: abort.signal,
});
// The last frame whose lines are all sent: with an ineligible frame, the one before it.
send(ineligible > 0 ? ineligible - 1 : num);
const e = res.error;
const end: LaneMessage = {
  kind: 'end',
  ineligible,
  stopped: stop && ineligible === 0,
  error: e === null || ineligible > 0 ? null : { code: e.code, message: e.message, offset: e.offset, hint: e.hint },
};
port.postMessage(end);
