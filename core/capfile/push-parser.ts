// The framing shared by the pcap and pcapng readers: bytes arrive in chunks of any size (a 1 MiB file
// read, a pipe from the capture helper, one byte at a time in tests) and are cut into units (a file
// header, a record, a block) whose length the unit's own header tells. Units that lie wholly inside a
// chunk are decoded in place (no copy); only a unit that straddles chunks is assembled in a side
// buffer. Two side buffers alternate so the view handed out for one record stays valid until the
// next record, as PacketRecord promises.

import { CaptureFileError, type CaptureInterface, type PacketRecord } from './record.js';

export type CaptureErrorCode = CaptureFileError['code'];

/** Wireshark's wording for a file that ends inside a record (wiretap's WTAP_ERR_SHORT_READ). */
export const CUT_SHORT = 'The file appears to have been cut short in the middle of a packet';
export const CUT_SHORT_HINT =
  'The capture was probably interrupted while it was being written or copied. Every packet before this offset was read; copy the file again or recapture to get the rest.';

/** Largest unit the framing will assemble (a damaged length field must not make us allocate gigabytes). */
export const MAX_UNIT = 256 * 1024 * 1024;

export abstract class PushParser {
  /** Bytes of complete units decoded so far: the progress figure, and the offset of the next unit. */
  bytesConsumed = 0;
  error: CaptureFileError | null = null;
  /** Records delivered; subclasses count each one (it decides which side buffer is still in use). */
  records = 0;
  private readonly side: Uint8Array[] = [new Uint8Array(256), new Uint8Array(256)];
  private which = 0;
  private sideLen = 0;
  private ended = false;
  /** The one record object handed to onRecord, reused for every record (gopacket's style). */
  protected readonly rec: PacketRecord = {
    tsSec: 0, tsNsec: 0, capLen: 0, origLen: 0, interfaceId: 0, linkType: 0, data: new Uint8Array(0), comment: undefined, fileOffset: 0,
  };

  constructor(
    protected readonly onRecord: (r: PacketRecord) => void,
    protected readonly onInterface?: (ifc: CaptureInterface, index: number) => void,
  ) {}

  /** Bytes needed before unitLength() can tell the length of the next unit. */
  protected abstract headerNeed(): number;
  /** Total length of the unit whose header starts at `off` (file offset bytesConsumed), or -1 after fail(). */
  protected abstract unitLength(buf: Uint8Array, off: number): number;
  /** Decodes one whole unit; may call fail(). */
  protected abstract consume(buf: Uint8Array, off: number, len: number): void;
  /** The error for input that ended inside a unit, or before any unit. */
  protected abstract endedEarly(have: number): CaptureFileError;

  /** True once an error was reported or end() was called: further input is ignored. */
  get finished(): boolean {
    return this.ended || this.error !== null;
  }

  protected fail(code: CaptureErrorCode, message: string, offset: number, hint: string): -1 {
    if (this.error === null) this.error = new CaptureFileError(code, message, offset, hint);
    return -1;
  }

  push(chunk: Uint8Array): void {
    if (this.finished) return;
    const n = chunk.length;
    let off = 0;
    if (this.sideLen > 0) {
      const h = this.headerNeed();
      if (this.sideLen < h) {
        off = Math.min(h - this.sideLen, n);
        this.append(chunk, 0, off);
        if (this.sideLen < h) return;
      }
      const side = this.side[this.which];
      const len = this.unitLength(side, 0);
      if (len < h) return void this.badLength(len);
      const take = Math.min(len - this.sideLen, n - off);
      this.append(chunk, off, take);
      off += take;
      if (this.sideLen < len) return;
      const whole = this.side[this.which];
      const before = this.records;
      this.sideLen = 0;
      this.consume(whole, 0, len);
      // Only a delivered record pins its side buffer; other blocks (IDB, ISB, ...) may be overwritten.
      if (this.records !== before) this.which ^= 1;
      if (this.error !== null) return;
      this.bytesConsumed += len;
    }
    for (;;) {
      const avail = n - off;
      if (avail < this.headerNeed() || avail === 0) break;
      const len = this.unitLength(chunk, off);
      if (len < this.headerNeed()) return void this.badLength(len);
      if (avail < len) break;
      this.consume(chunk, off, len);
      if (this.error !== null) return;
      this.bytesConsumed += len;
      off += len;
    }
    if (off < n) this.append(chunk, off, n - off);
  }

  // A unit shorter than its own header would make the loop stand still: a parser bug, reported, never a hang.
  private badLength(len: number): void {
    if (len >= 0) this.fail('ERR_BAD_RECORD', `Internal framing error: a ${len}-byte unit`, this.bytesConsumed, 'Please report this file.');
  }

  /** No more input: a partial unit left over is the "cut short" error. */
  end(): void {
    if (this.finished) return;
    this.ended = true;
    if (this.sideLen > 0 || this.bytesConsumed === 0) this.error = this.endedEarly(this.sideLen);
  }

  private append(src: Uint8Array, from: number, count: number): void {
    if (count <= 0) return;
    let buf = this.side[this.which];
    const need = this.sideLen + count;
    if (need > buf.length) {
      let cap = buf.length * 2;
      while (cap < need) cap *= 2;
      const grown = new Uint8Array(cap);
      grown.set(buf.subarray(0, this.sideLen));
      this.side[this.which] = buf = grown;
    }
    buf.set(src.subarray(from, from + count), this.sideLen);
    this.sideLen = need;
  }
}

export type U16 = (b: Uint8Array, i: number) => number;
export type U32 = (b: Uint8Array, i: number) => number;

export const u16le: U16 = (b, i) => b[i] | (b[i + 1] << 8);
export const u16be: U16 = (b, i) => (b[i] << 8) | b[i + 1];
export const u32le: U32 = (b, i) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
export const u32be: U32 = (b, i) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

export function putU16(b: Uint8Array, i: number, v: number, le: boolean): void {
  if (le) {
    b[i] = v & 0xff;
    b[i + 1] = (v >>> 8) & 0xff;
  } else {
    b[i] = (v >>> 8) & 0xff;
    b[i + 1] = v & 0xff;
  }
}
export function putU32(b: Uint8Array, i: number, v: number, le: boolean): void {
  if (le) {
    b[i] = v & 0xff;
    b[i + 1] = (v >>> 8) & 0xff;
    b[i + 2] = (v >>> 16) & 0xff;
    b[i + 3] = (v >>> 24) & 0xff;
  } else {
    b[i] = (v >>> 24) & 0xff;
    b[i + 1] = (v >>> 16) & 0xff;
    b[i + 2] = (v >>> 8) & 0xff;
    b[i + 3] = v & 0xff;
  }
}

/** Hex of the first bytes, for messages about unrecognised input. */
export function hexPreview(b: Uint8Array, off: number, n: number): string {
  const out: string[] = [];
  for (let i = off; i < Math.min(b.length, off + n); i++) out.push(b[i].toString(16).padStart(2, '0'));
  return out.join(' ');
}
