// Reader of the capture helper's stdout stream and of the capture core's record batches. The format
// is defined, with the C side, in native/src/helper-protocol.h and native/src/capture-core.h; keep
// the three in step. Pure TypeScript (no Node API), so tests and any carrier can use it.

export const HELPER_MAGIC = 'NLCAP01\n';
export const FrameType = { HELLO: 1, RECORDS: 2, STATS: 3, ERROR: 4, END: 5 } as const;
export const RECORD_HEADER_SIZE = 16;

export interface HelperHello {
  version: number;
  device: string;
  linkType: number;
  snaplen: number;
  tsPrecision: 'nano' | 'micro';
  filter: string;
  pid: number;
}

export interface HelperStats {
  received: number;
  dropped: number;
  ifDropped: number;
  /** Records the helper wrote to its stream. */
  captured: number;
}

export interface HelperErrorInfo {
  code: string;
  message: string;
  hint: string;
}

export type HelperEndReason = 'signal' | 'stdin-eof' | 'count' | 'error' | 'output-closed';

export type HelperEvent =
  | { type: 'hello'; hello: HelperHello }
  | { type: 'records'; batch: Uint8Array; count: number }
  | { type: 'stats'; stats: HelperStats }
  | { type: 'error'; error: HelperErrorInfo }
  | { type: 'end'; reason: HelperEndReason };

/** A record as the batch walker hands it out; the object and `data` are reused: copy what you keep. */
export interface RawRecord {
  tsSec: number;
  tsNsec: number;
  capLen: number;
  origLen: number;
  data: Uint8Array;
}

/** Calls `fn` for each record of a batch (capture-core.h layout). Returns the number of records. */
export function forEachRecord(batch: Uint8Array | ArrayBuffer, fn: (r: RawRecord) => void): number {
  const b = batch instanceof Uint8Array ? batch : new Uint8Array(batch);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const rec: RawRecord = { tsSec: 0, tsNsec: 0, capLen: 0, origLen: 0, data: b.subarray(0, 0) };
  let off = 0;
  let n = 0;
  while (off + RECORD_HEADER_SIZE <= b.byteLength) {
    rec.tsSec = dv.getUint32(off, true);
    rec.tsNsec = dv.getUint32(off + 4, true);
    rec.capLen = dv.getUint32(off + 8, true);
    rec.origLen = dv.getUint32(off + 12, true);
    const start = off + RECORD_HEADER_SIZE;
    if (start + rec.capLen > b.byteLength) {
      throw new Error(`record batch truncated at byte ${off}: ${rec.capLen} bytes announced, ${b.byteLength - start} left`);
    }
    rec.data = b.subarray(start, start + rec.capLen);
    fn(rec);
    off = start + rec.capLen;
    n++;
  }
  return n;
}

const decoder = new TextDecoder();

/**
 * Push parser for the helper's stream: feed stdout chunks as they come, get whole frames back.
 * A stream that stops mid-frame (helper killed) leaves `pendingBytes` > 0 and nothing else is lost.
 */
export class HelperStreamParser {
  private chunks: Uint8Array[] = [];
  private length = 0;
  private sawMagic = false;

  get pendingBytes(): number {
    return this.length;
  }

  push(chunk: Uint8Array): HelperEvent[] {
    if (chunk.byteLength > 0) {
      this.chunks.push(chunk);
      this.length += chunk.byteLength;
    }
    const events: HelperEvent[] = [];
    if (!this.sawMagic) {
      if (this.length < 8) return events;
      const magic = decoder.decode(this.take(8));
      if (magic !== HELPER_MAGIC) {
        throw new Error(`not a netlab-capture stream (starts with ${JSON.stringify(magic)}, expected "NLCAP01\\n")`);
      }
      this.sawMagic = true;
    }
    for (;;) {
      if (this.length < 8) break;
      const head = this.peek(8);
      const dv = new DataView(head.buffer, head.byteOffset, 8);
      const type = dv.getUint32(0, true);
      const len = dv.getUint32(4, true);
      if (this.length < 8 + len) break;
      this.take(8);
      const payload = this.take(len);
      events.push(decodeFrame(type, payload));
    }
    return events;
  }

  private peek(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.byteLength >= n) return first.subarray(0, n);
    return this.gather(n, false);
  }

  private take(n: number): Uint8Array {
    const first = this.chunks[0];
    if (n === 0) return new Uint8Array(0);
    if (first !== undefined && first.byteLength >= n) {
      const out = first.subarray(0, n);
      if (first.byteLength === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.length -= n;
      return out;
    }
    return this.gather(n, true);
  }

  private gather(n: number, consume: boolean): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    let i = 0;
    while (filled < n) {
      const c = this.chunks[i]!;
      const k = Math.min(c.byteLength, n - filled);
      out.set(c.subarray(0, k), filled);
      filled += k;
      if (consume) {
        if (k === c.byteLength) this.chunks.shift();
        else this.chunks[0] = c.subarray(k);
      } else {
        i++;
      }
    }
    if (consume) this.length -= n;
    return out;
  }
}

function decodeFrame(type: number, payload: Uint8Array): HelperEvent {
  switch (type) {
    case FrameType.HELLO:
      return { type: 'hello', hello: JSON.parse(decoder.decode(payload)) as HelperHello };
    case FrameType.RECORDS: {
      const count = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0, true);
      return { type: 'records', batch: payload.subarray(4), count };
    }
    case FrameType.STATS: {
      const dv = new DataView(payload.buffer, payload.byteOffset, 32);
      const u = (o: number) => Number(dv.getBigUint64(o, true));
      return { type: 'stats', stats: { received: u(0), dropped: u(8), ifDropped: u(16), captured: u(24) } };
    }
    case FrameType.ERROR:
      return { type: 'error', error: JSON.parse(decoder.decode(payload)) as HelperErrorInfo };
    case FrameType.END:
      return { type: 'end', reason: (JSON.parse(decoder.decode(payload)) as { reason: HelperEndReason }).reason };
    default:
      throw new Error(`unknown netlab-capture frame type ${type}`);
  }
}
