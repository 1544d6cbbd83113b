// The packet store of the renderer's worker and the CLI (DESIGN.md "Processes"): raw bytes live in
// 4 MiB ArrayBuffer chunks and per-packet facts in typed-array columns grown by doubling, so a million
// packets cost a few dozen allocations instead of a million objects. Frame numbers are 1-based, as
// Wireshark numbers frames.

import type { PacketRecord } from '../capfile/record.js';

export const CHUNK_SIZE = 4 * 1024 * 1024;
const INITIAL_ROWS = 1024;

function grow<T extends Float64Array | Int32Array | Uint32Array | Uint16Array>(a: T, rows: number): T {
  const b = new (a.constructor as new (n: number) => T)(rows);
  b.set(a);
  return b;
}

export class PacketStore {
  /** Seconds since the epoch (integer part) per frame; index = frame number - 1. */
  tsSec = new Float64Array(INITIAL_ROWS);
  tsNsec = new Int32Array(INITIAL_ROWS);
  capLen = new Uint32Array(INITIAL_ROWS);
  origLen = new Uint32Array(INITIAL_ROWS);
  interfaceId = new Uint32Array(INITIAL_ROWS);
  linkType = new Uint16Array(INITIAL_ROWS);
  chunkIndex = new Uint32Array(INITIAL_ROWS);
  chunkOffset = new Uint32Array(INITIAL_ROWS);
  /** Where the record came from in its file (the spool), for re-reading or a filtered rewrite. */
  fileOffset = new Float64Array(INITIAL_ROWS);
  /** Frames that carry a pcapng comment (rare, so a sparse map rather than a column). */
  readonly comments = new Map<number, string>();
  count = 0;
  private readonly chunks: Uint8Array[] = [];
  private used = CHUNK_SIZE; // forces a first chunk on the first append

  /** Copies the record's bytes and facts in; returns its frame number. */
  append(r: PacketRecord): number {
    const i = this.count;
    if (i === this.tsSec.length) this.growRows(i * 2);
    const n = r.data.length;
    if (this.used + n > CHUNK_SIZE || this.chunks.length === 0) {
      // A record larger than a chunk gets a chunk of its own size.
      this.chunks.push(new Uint8Array(Math.max(CHUNK_SIZE, n)));
      this.used = 0;
    }
    const c = this.chunks.length - 1;
    this.chunks[c].set(r.data, this.used);
    this.chunkIndex[i] = c;
    this.chunkOffset[i] = this.used;
    this.used = n > CHUNK_SIZE ? CHUNK_SIZE : this.used + n;
    this.tsSec[i] = r.tsSec;
    this.tsNsec[i] = r.tsNsec;
    this.capLen[i] = n;
    this.origLen[i] = r.origLen;
    this.interfaceId[i] = r.interfaceId;
    this.linkType[i] = r.linkType;
    this.fileOffset[i] = r.fileOffset;
    this.count = i + 1;
    if (r.comment !== undefined) this.comments.set(i + 1, r.comment);
    return i + 1;
  }

  /** The captured bytes of frame `num` (1-based): a view into the store, no copy. */
  bytes(num: number): Uint8Array {
    const i = this.index(num);
    const off = this.chunkOffset[i];
    return this.chunks[this.chunkIndex[i]].subarray(off, off + this.capLen[i]);
  }

  /** Frame `num` as a PacketRecord; fills and returns `out` when given (reuse it in loops). */
  get(num: number, out?: PacketRecord): PacketRecord {
    const i = this.index(num);
    const r = out ?? { tsSec: 0, tsNsec: 0, capLen: 0, origLen: 0, interfaceId: 0, linkType: 0, data: new Uint8Array(0), fileOffset: 0 };
    r.tsSec = this.tsSec[i];
    r.tsNsec = this.tsNsec[i];
    r.capLen = this.capLen[i];
    r.origLen = this.origLen[i];
    r.interfaceId = this.interfaceId[i];
    r.linkType = this.linkType[i];
    r.fileOffset = this.fileOffset[i];
    const off = this.chunkOffset[i];
    r.data = this.chunks[this.chunkIndex[i]].subarray(off, off + r.capLen);
    r.comment = this.comments.get(num);
    return r;
  }

  /** Bytes held in chunks (allocated, not just used): what the store costs in memory. */
  get byteCapacity(): number {
    let n = 0;
    for (const c of this.chunks) n += c.length;
    return n;
  }

  clear(): void {
    this.chunks.length = 0;
    this.comments.clear();
    this.used = CHUNK_SIZE;
    this.count = 0;
  }

  private index(num: number): number {
    if (!Number.isInteger(num) || num < 1 || num > this.count) {
      throw new RangeError(`frame ${num} does not exist (the store holds frames 1 to ${this.count})`);
    }
    return num - 1;
  }

  private growRows(rows: number): void {
    this.tsSec = grow(this.tsSec, rows);
    this.tsNsec = grow(this.tsNsec, rows);
    this.capLen = grow(this.capLen, rows);
    this.origLen = grow(this.origLen, rows);
    this.interfaceId = grow(this.interfaceId, rows);
    this.linkType = grow(this.linkType, rows);
    this.chunkIndex = grow(this.chunkIndex, rows);
    this.chunkOffset = grow(this.chunkOffset, rows);
    this.fileOffset = grow(this.fileOffset, rows);
  }
}
