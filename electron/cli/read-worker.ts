// One engine of the partitioned reader (read-parallel.ts): dissects and prints the frames the main
// thread hands it (whole TCP streams; lane 0 also every frame that is not TCP), and sends the lines,
// encoded, with their frame numbers back to the main thread, which merges the lanes into frame order.
// It never sees the other lanes' frames: the main thread classified every frame (the TCP stream,
// presetTcp) and sends along the time of the frame before each one (frame.time_delta).

import { parentPort, workerData } from 'node:worker_threads';
import type { PacketRecord } from '../../core/capfile/record.js';
import { presetTcp } from '../../core/dissect/proto/tcp.js';
import { setZoneNameProvider } from '../../core/fields/format.js';
import { loadFilter } from './read-filter.js';
import { PacketPrinter, setFrameMeta } from './read-print.js';
import { FRAME_WORDS, LineBuffer, M, MAX_AHEAD, type LaneInit, type LaneMessage, type ToLane } from './read-parallel.js';
import { systemZoneNames } from './zone-names.js';

const init = workerData as LaneInit;
// Fault injection for the tests (read-parallel.test.ts): lane 1 fails at its first frame from this one
// on (or at the end, if it has none), as a crashed lane would, and the reader must still print every
// line exactly once.
const faultAt = init.lane === 1 ? Number(process.env.NETLAB_READ_FAULT_AT ?? 0) : 0;
const o = { ...init.options, prefs: new Map(init.options.prefs) };
setZoneNameProvider(systemZoneNames());
setFrameMeta(o.file);
const printer = new PacketPrinter(o, o.filter !== undefined ? loadFilter(o.filter) : null);
const ctx = printer.engine.context;
const capture = printer.engine.capture;
const port = parentPort!;

// A batch's lines are ~50 KiB.
const lines = new LineBuffer(1 << 20);

const written = new Int32Array(init.written);
let sent = 0;

function send(upTo: number, took: number): void {
  const batch = lines.take();
  const msg: LaneMessage = { kind: 'lines', ...batch, upTo, shown: printer.shown, took };
  port.postMessage(msg, [batch.bytes.buffer, batch.frames.buffer, batch.ends.buffer]);
  sent++;
  // Too far ahead of what has been written (a slow reader of the output, or lanes that wait for this
  // one's frames): wait. The lane holding the lowest unwritten frame can always go on, so this never
  // stops every lane at once.
  for (let w = Atomics.load(written, init.lane); sent - w > MAX_AHEAD; w = Atomics.load(written, init.lane)) {
    Atomics.wait(written, init.lane, w, 1000);
  }
}

// One record object for every frame, as the file readers give it.
const rec: PacketRecord = { tsSec: 0, tsNsec: 0, capLen: 0, origLen: 0, interfaceId: 0, linkType: 0, data: new Uint8Array(0), fileOffset: 0 };
/** The last frame dissected here (its time is noted; another's must be, for frame.time_delta). */
let last = 0;

function frames_(m: Extract<ToLane, { kind: 'frames' }>): void {
  const data = new Uint8Array(m.data), meta = m.meta;
  let c = 0;
  for (let i = 0; i < m.n; i++) {
    const x = i * FRAME_WORDS;
    const num = meta[x + M.NUM];
    if (faultAt > 0 && num >= faultAt) process.exit(70); // ends this thread only, as a crash would
    // frame.time_relative counts from frame 1, frame.time_delta from the frame before: noted when
    // they went to another lane.
    if (last === 0 && num > 1) capture.noteTime(1, m.first[0], m.first[1]);
    if (num > 1 && last !== num - 1) capture.noteTime(num - 1, meta[x + M.PREV_SEC], meta[x + M.PREV_NSEC]);
    const stream = meta[x + M.STREAM];
    if (stream >= 0) {
      const f = meta[x + M.TCP_FLAGS];
      presetTcp(ctx, num, stream, f & 1, (f & 2) !== 0, meta[x + M.BASE], meta[x + M.BASE_REV], f >> 2);
    }
    rec.tsSec = meta[x + M.TS_SEC];
    rec.tsNsec = meta[x + M.TS_NSEC];
    rec.capLen = meta[x + M.CAP_LEN];
    rec.origLen = meta[x + M.ORIG_LEN];
    rec.interfaceId = meta[x + M.IFACE];
    rec.linkType = meta[x + M.LINK];
    const off = meta[x + M.OFF];
    rec.data = data.subarray(off, off + meta[x + M.LEN]);
    if (m.comments !== null && c < m.comments.length && m.comments[c][0] === i) rec.comment = m.comments[c++][1];
    else rec.comment = undefined;
    const text = printer.print(rec, num);
    if (text !== '') lines.add(num, text);
    last = num;
  }
  send(m.upTo, m.len);
}

port.on('message', (m: ToLane) => {
  if (m.kind === 'frames') frames_(m);
  else if (m.kind === 'interfaces') printer.setInterfaces(m.list);
  else {
    if (faultAt > 0) process.exit(70); // no frame of ours from faultAt on: fail at the end instead
    const end: LaneMessage = { kind: 'end', shown: printer.shown };
    port.postMessage(end);
    port.close();
  }
});
