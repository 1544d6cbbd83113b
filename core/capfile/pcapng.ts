// pcapng (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html): a sequence of blocks,
// each `type, total length, body, total length`. A Section Header Block (SHB) starts each section and
// fixes its byte order; Interface Description Blocks (IDB) declare interfaces (link type, snaplen,
// if_tsresol, if_tsoffset) that packet blocks (EPB, SPB, obsolete PB) refer to by index within the
// section. Everything else (NRB, ISB, DSB, custom, unknown) is skipped by its length. The checks and
// messages follow Wireshark's wiretap/pcapng.c so that damaged files stop where tshark stops.

import { maxSnapLen } from './pcap.js';
import {
  CUT_SHORT,
  CUT_SHORT_HINT,
  MAX_UNIT,
  PushParser,
  type U16,
  type U32,
  hexPreview,
  putU16,
  putU32,
  u16be,
  u16le,
  u32be,
  u32le,
} from './push-parser.js';
import { CaptureFileError, type CaptureInterface, type PacketRecord } from './record.js';

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_PB = 0x00000002;
export const BLOCK_SPB = 0x00000003;
export const BLOCK_NRB = 0x00000004;
export const BLOCK_ISB = 0x00000005;
export const BLOCK_EPB = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_HARDWARE = 2, SHB_OS = 3, SHB_USERAPPL = 4;
const IF_NAME = 2, IF_DESCRIPTION = 3, IF_TSRESOL = 9, IF_FILTER = 11, IF_OS = 12, IF_TSOFFSET = 14;
const ISB_STARTTIME = 2, ISB_ENDTIME = 3, ISB_IFRECV = 4, ISB_IFDROP = 5, ISB_FILTERACCEPT = 6, ISB_OSDROP = 7, ISB_USRDELIV = 8;

const MIN_BLOCK = 12;
const MIN_SHB = 28, MIN_IDB = 20, MIN_EPB = 32, MIN_PB = 32, MIN_SPB = 16;

const utf8 = new TextDecoder('utf-8');

/** What one SHB said about its section. */
export interface PcapngSection {
  offset: number;
  littleEndian: boolean;
  versionMajor: number;
  versionMinor: number;
  comments: string[];
  hardware?: string;
  os?: string;
  userAppl?: string;
  /** Index in the reader's global interface list of this section's interface 0. */
  firstInterface: number;
}

/**
 * How to turn a count of if_tsresol units into seconds + nanoseconds exactly (a nanosecond count of
 * today's date exceeds 2^53, so doubles alone would round it).
 */
interface TsUnit {
  units: number;
  /** 10^-k (decimal) or 2^-k (binary) resolution. */
  binary: boolean;
  exp: number;
}

function tsUnitOf(tsresol: number): TsUnit {
  const binary = (tsresol & 0x80) !== 0;
  const exp = tsresol & 0x7f;
  return { units: binary ? 2 ** exp : 10 ** exp, binary, exp };
}

/** Sets r.tsSec/r.tsNsec from a 64-bit unit count split in 32-bit halves (long division, base 2^16). */
function setTime(r: PacketRecord, hi: number, lo: number, u: TsUnit, offset: number): void {
  const U = u.units;
  let sec: number, rem: number;
  if (U <= 0x100000000) {
    const q1 = Math.floor(hi / U), r1 = hi - q1 * U;
    const x = r1 * 65536 + (lo >>> 16);
    const q2 = Math.floor(x / U), r2 = x - q2 * U;
    const y = r2 * 65536 + (lo & 0xffff);
    const q3 = Math.floor(y / U);
    rem = y - q3 * U;
    sec = q1 * 4294967296 + q2 * 65536 + q3;
    if (!u.binary) r.tsNsec = rem * 10 ** (9 - u.exp);
    // floor(rem * 1e9 / 2^k) with 1e9 = 2^9 * 1953125 keeps the product below 2^53.
    else r.tsNsec = u.exp <= 9 ? Math.floor((rem * 1e9) / U) : Math.floor((rem * 1953125) / 2 ** (u.exp - 9));
  } else {
    // Finer than 2^-32 s (picoseconds and the like): rare enough for BigInt.
    const ts = (BigInt(hi) << 32n) | BigInt(lo);
    const big = u.binary ? 1n << BigInt(u.exp) : 10n ** BigInt(u.exp);
    sec = Number(ts / big);
    r.tsNsec = Number(((ts % big) * 1_000_000_000n) / big);
  }
  r.tsSec = sec + offset;
}

export class PcapngReader extends PushParser {
  /** Every interface of every section, in file order (a record's interfaceId indexes this). */
  readonly interfaces: CaptureInterface[] = [];
  readonly sections: PcapngSection[] = [];
  private readonly units: TsUnit[] = [];
  private section: PcapngSection | null = null;
  private u16: U16 = u16le;
  private u32: U32 = u32le;
  protected headerNeed(): number {
    return MIN_BLOCK;
  }

  protected unitLength(b: Uint8Array, off: number): number {
    const at = this.bytesConsumed;
    let len: number;
    if (u32le(b, off) === BLOCK_SHB) {
      // The SHB's own byte-order magic says how to read its length.
      const magicLe = u32le(b, off + 8);
      if (magicLe === BYTE_ORDER_MAGIC) len = u32le(b, off + 4);
      else if (u32be(b, off + 8) === BYTE_ORDER_MAGIC) len = u32be(b, off + 4);
      else if (this.section === null) {
        return this.fail('ERR_NOT_A_CAPTURE', `Not a pcapng file: the byte-order magic is ${hexPreview(b, off + 8, 4)}, not 1a 2b 3c 4d`, at, 'Open a .pcap or .pcapng file.');
      } else {
        return this.fail('ERR_BAD_BLOCK', `pcapng: unknown byte-order magic number ${hexPreview(b, off + 8, 4)} in the section header block at byte offset ${at}`, at, 'The file is damaged at this offset; every packet before it was read.');
      }
    } else if (this.section === null) {
      return this.fail('ERR_NOT_A_CAPTURE', 'Not a pcapng file: it does not start with a section header block', at, 'Open a .pcap or .pcapng file.');
    } else {
      len = this.u32(b, off + 4);
    }
    if (len < MIN_BLOCK) {
      return this.fail('ERR_BAD_BLOCK', `pcapng: total block length ${len} of the block at byte offset ${at} is too small (< ${MIN_BLOCK})`, at, 'The block header is damaged; every packet before it was read.');
    }
    if (len % 4 !== 0) {
      return this.fail('ERR_BAD_BLOCK', `pcapng: total block length ${len} of the block at byte offset ${at} is not a multiple of 4`, at, 'The block header is damaged; every packet before it was read.');
    }
    if (len > MAX_UNIT) {
      return this.fail('ERR_BAD_RECORD', `pcapng: total block length ${len} of the block at byte offset ${at} is too large (> ${MAX_UNIT})`, at, 'The block header is damaged; every packet before it was read.');
    }
    return len;
  }

  protected consume(b: Uint8Array, off: number, len: number): void {
    const at = this.bytesConsumed;
    const type = u32le(b, off) === BLOCK_SHB ? BLOCK_SHB : this.u32(b, off);
    if (type === BLOCK_SHB) this.readShb(b, off);
    const trailer = this.u32(b, off + len - 4);
    if (trailer !== len) {
      this.fail('ERR_BAD_BLOCK', `pcapng: total block lengths (first ${len} and second ${trailer}) don't match in the block at byte offset ${at}`, at, 'The block is damaged; every packet before it was read.');
      return;
    }
    switch (type) {
      case BLOCK_SHB: return this.readShbOptions(b, off, len);
      case BLOCK_IDB: return this.readIdb(b, off, len);
      case BLOCK_EPB: return this.readPacketBlock(b, off, len, 'EPB');
      case BLOCK_SPB: return this.readSpb(b, off, len);
      case BLOCK_PB: return this.readPacketBlock(b, off, len, 'PB');
      default: return; // NRB, ISB, DSB, custom and unknown blocks: skipped by their length.
    }
  }

  private tooShort(kind: string, len: number, min: number): void {
    this.fail('ERR_BAD_BLOCK', `pcapng: total block length ${len} of the ${kind} at byte offset ${this.bytesConsumed} is less than the minimum ${kind} size ${min}`, this.bytesConsumed, 'The block is damaged; every packet before it was read.');
  }

  private readShb(b: Uint8Array, off: number): void {
    const le = u32le(b, off + 8) === BYTE_ORDER_MAGIC;
    this.u16 = le ? u16le : u16be;
    this.u32 = le ? u32le : u32be;
  }

  private readShbOptions(b: Uint8Array, off: number, len: number): void {
    if (len < MIN_SHB) return this.tooShort('SHB', len, MIN_SHB);
    const le = this.u32 === u32le;
    const major = this.u16(b, off + 12), minor = this.u16(b, off + 14);
    if (major !== 1) {
      this.fail('ERR_UNSUPPORTED', `pcapng: unknown SHB version ${major}.${minor} at byte offset ${this.bytesConsumed}`, this.bytesConsumed, 'Only pcapng version 1.x exists; the file is probably damaged here.');
      return;
    }
    const s: PcapngSection = { offset: this.bytesConsumed, littleEndian: le, versionMajor: major, versionMinor: minor, comments: [], firstInterface: this.interfaces.length };
    this.walkOptions(b, off + 24, off + len - 4, (code, vo, vl) => {
      if (code === OPT_COMMENT) s.comments.push(utf8.decode(b.subarray(vo, vo + vl)));
      else if (code === SHB_HARDWARE) s.hardware = utf8.decode(b.subarray(vo, vo + vl));
      else if (code === SHB_OS) s.os = utf8.decode(b.subarray(vo, vo + vl));
      else if (code === SHB_USERAPPL) s.userAppl = utf8.decode(b.subarray(vo, vo + vl));
    });
    this.sections.push(s);
    this.section = s;
  }

  private readIdb(b: Uint8Array, off: number, len: number): void {
    if (len < MIN_IDB) return this.tooShort('IDB', len, MIN_IDB);
    const linkType = this.u16(b, off + 8);
    const ifc: CaptureInterface = { linkType, snapLen: this.u32(b, off + 12), tsUnitsPerSec: 1e6, tsOffset: 0 };
    let unit = tsUnitOf(6);
    this.walkOptions(b, off + 16, off + len - 4, (code, vo, vl) => {
      switch (code) {
        case IF_NAME: ifc.name = utf8.decode(b.subarray(vo, vo + vl)); break;
        case IF_DESCRIPTION: ifc.description = utf8.decode(b.subarray(vo, vo + vl)); break;
        case IF_OS: ifc.os = utf8.decode(b.subarray(vo, vo + vl)); break;
        case IF_TSRESOL:
          if (vl >= 1) {
            unit = tsUnitOf(b[vo]);
            ifc.tsUnitsPerSec = unit.units;
          }
          break;
        case IF_TSOFFSET:
          if (vl >= 8) {
            const lo = this.u32(b, vo + (this.u32 === u32le ? 0 : 4));
            const hi = this.u32(b, vo + (this.u32 === u32le ? 4 : 0)) | 0;
            ifc.tsOffset = hi * 4294967296 + lo;
          }
          break;
        case IF_FILTER:
          // First byte: 0 = libpcap filter string, 1 = BPF program (not text).
          if (vl >= 1 && b[vo] === 0) ifc.filter = utf8.decode(b.subarray(vo + 1, vo + vl));
          break;
      }
    });
    this.interfaces.push(ifc);
    this.units.push(unit);
    this.onInterface?.(ifc, this.interfaces.length - 1);
  }

  /** Global interface index of the section's interface `id`, or -1 after reporting the error. */
  private iface(id: number, kind: string): number {
    const s = this.section!;
    const count = this.interfaces.length - s.firstInterface;
    if (id >= count) {
      return this.fail('ERR_BAD_BLOCK', `pcapng: interface index ${id} of the ${kind} at byte offset ${this.bytesConsumed} is not less than the section's interface count ${count}`, this.bytesConsumed, 'The packet refers to an interface the file never described; the file is damaged or was written incorrectly.');
    }
    return s.firstInterface + id;
  }

  private checkCapLen(kind: string, capLen: number, room: number, linkType: number): boolean {
    const at = this.bytesConsumed;
    if (capLen > room) {
      this.fail('ERR_BAD_BLOCK', `pcapng: the ${kind} at byte offset ${at} claims ${capLen} captured bytes but the block has room for only ${room}`, at, 'The block is damaged; every packet before it was read.');
      return false;
    }
    const max = maxSnapLen(linkType);
    if (capLen > max) {
      this.fail('ERR_BAD_RECORD', `pcapng: File has ${capLen}-byte packet, bigger than maximum of ${max} (block at byte offset ${at})`, at, 'The block is damaged; every packet before it was read.');
      return false;
    }
    return true;
  }

  /**
   * An Enhanced Packet Block, or the obsolete Packet Block: the same layout but for the interface id,
   * 32 bits in an EPB and 16 bits (followed by a drops count) in a PB.
   */
  private readPacketBlock(b: Uint8Array, off: number, len: number, kind: 'EPB' | 'PB'): void {
    const min = kind === 'EPB' ? MIN_EPB : MIN_PB;
    if (len < min) return this.tooShort(kind, len, min);
    const g = this.iface(kind === 'EPB' ? this.u32(b, off + 8) : this.u16(b, off + 8), kind);
    if (g < 0) return;
    const capLen = this.u32(b, off + 20);
    const ifc = this.interfaces[g];
    if (!this.checkCapLen(kind, capLen, len - min, ifc.linkType)) return;
    const r = this.rec;
    setTime(r, this.u32(b, off + 12), this.u32(b, off + 16), this.units[g], ifc.tsOffset);
    this.packet(r, g, ifc, capLen, this.u32(b, off + 24), b.subarray(off + 28, off + 28 + capLen));
    r.comment = this.packetComment(b, off + 28 + ((capLen + 3) & ~3), off + len - 4);
    this.records++;
    this.onRecord(r);
  }

  private readSpb(b: Uint8Array, off: number, len: number): void {
    if (len < MIN_SPB) return this.tooShort('SPB', len, MIN_SPB);
    const g = this.iface(0, 'SPB');
    if (g < 0) return;
    const ifc = this.interfaces[g];
    const origLen = this.u32(b, off + 8);
    // RFC draft §4.4: captured length = min(original length, snaplen, room in the block).
    let capLen = Math.min(origLen, len - MIN_SPB);
    if (ifc.snapLen > 0) capLen = Math.min(capLen, ifc.snapLen);
    if (!this.checkCapLen('SPB', capLen, len - MIN_SPB, ifc.linkType)) return;
    const r = this.rec;
    // An SPB has no timestamp (tshark shows none); 0 stands for "unknown".
    r.tsSec = 0;
    r.tsNsec = 0;
    this.packet(r, g, ifc, capLen, origLen, b.subarray(off + 12, off + 12 + capLen));
    r.comment = undefined;
    this.records++;
    this.onRecord(r);
  }

  private packet(r: PacketRecord, g: number, ifc: CaptureInterface, capLen: number, origLen: number, data: Uint8Array): void {
    r.interfaceId = g;
    r.linkType = ifc.linkType;
    r.capLen = capLen;
    r.origLen = origLen;
    r.data = data;
    r.fileOffset = this.bytesConsumed;
  }

  /** opt_comment values of a packet block, several joined by newlines; undefined when none. */
  private packetComment(b: Uint8Array, from: number, to: number): string | undefined {
    if (from + 4 > to) return undefined;
    let out: string | undefined;
    this.walkOptions(b, from, to, (code, vo, vl) => {
      if (code !== OPT_COMMENT) return;
      const text = utf8.decode(b.subarray(vo, vo + vl));
      out = out === undefined ? text : `${out}\n${text}`;
    });
    return out;
  }

  /** Calls `each` for every option in [from, to); stops at opt_endofopt or at an option overrunning the block. */
  private walkOptions(b: Uint8Array, from: number, to: number, each: (code: number, valueOff: number, valueLen: number) => void): void {
    let p = from;
    while (p + 4 <= to) {
      const code = this.u16(b, p), vl = this.u16(b, p + 2);
      if (code === OPT_ENDOFOPT) return;
      if (p + 4 + vl > to) return;
      each(code, p + 4, vl);
      p += 4 + ((vl + 3) & ~3);
    }
  }

  protected endedEarly(have: number): CaptureFileError {
    const at = this.bytesConsumed;
    if (at === 0) {
      return new CaptureFileError('ERR_TRUNCATED', `The file is too short to be a pcapng file: its first block is incomplete (${have} bytes present)`, 0, 'The file was cut short before its first packet; copy it again or recapture.');
    }
    return new CaptureFileError('ERR_TRUNCATED', `${CUT_SHORT} (the block at byte offset ${at} is incomplete: ${have} bytes present)`, at, CUT_SHORT_HINT);
  }
}

/** Interface statistics for an ISB (pcapng §4.6); counts are packets. */
export interface InterfaceStats {
  received?: number;
  dropped?: number;
  filterAccepted?: number;
  osDropped?: number;
  delivered?: number;
  startSec?: number;
  startNsec?: number;
  endSec?: number;
  endNsec?: number;
}

export interface PcapngWriterOptions {
  /** shb_userappl; "NetLab Workbench" unless given. */
  userAppl?: string;
  os?: string;
  hardware?: string;
  comment?: string;
  /** if_tsresol=9 (nanoseconds, the default) or the pcapng default of microseconds. */
  nanosecond?: boolean;
}

type Opt = [code: number, value: Uint8Array];
const utf8Enc = new TextEncoder();

function optionsSize(opts: Opt[]): number {
  if (opts.length === 0) return 0;
  let n = 4; // opt_endofopt
  for (const [, v] of opts) n += 4 + ((v.length + 3) & ~3);
  return n;
}
function writeOptions(b: Uint8Array, p: number, opts: Opt[]): number {
  if (opts.length === 0) return p;
  for (const [code, v] of opts) {
    putU16(b, p, code, true);
    putU16(b, p + 2, v.length, true);
    b.set(v, p + 4);
    p += 4 + ((v.length + 3) & ~3);
  }
  return p + 4; // opt_endofopt is zeros (the buffer is zero-filled)
}

/** Splits sec*units + frac into the two 32-bit words pcapng stores (exact past 2^53). */
function tsWords(sec: number, units: number, frac: number): [hi: number, lo: number] {
  const sLo = sec % 65536, sHi = Math.floor(sec / 65536);
  const p1 = sLo * units + frac; // < 2^47
  const p2 = sHi * units; // total = p2 * 2^16 + p1
  let lo = (p1 % 4294967296) + (p2 % 65536) * 65536;
  let hi = Math.floor(p1 / 4294967296) + Math.floor(p2 / 65536);
  if (lo >= 4294967296) {
    lo -= 4294967296;
    hi += 1;
  }
  return [hi >>> 0, lo >>> 0];
}

function u64Opt(v: number): Uint8Array {
  const b = new Uint8Array(8);
  putU32(b, 0, v % 4294967296, true);
  putU32(b, 4, Math.floor(v / 4294967296), true);
  return b;
}

/**
 * Writes little-endian pcapng incrementally: header() (SHB + IDBs) once, then record() per packet
 * (the live-capture spool appends these as packets arrive), interface() for an interface that appears
 * later, and stats() for an ISB. Timestamps are absolute (if_tsoffset is never written).
 */
export class PcapngWriter {
  private readonly units: number;
  private readonly nanosecond: boolean;
  private interfaceCount = 0;

  constructor(private readonly opts: PcapngWriterOptions = {}) {
    this.nanosecond = opts.nanosecond ?? true;
    this.units = this.nanosecond ? 1e9 : 1e6;
  }

  /** SHB followed by an IDB per interface. */
  header(interfaces: readonly CaptureInterface[] = []): Uint8Array {
    const o = this.opts;
    const opts: Opt[] = [];
    if (o.comment) opts.push([OPT_COMMENT, utf8Enc.encode(o.comment)]);
    if (o.hardware) opts.push([SHB_HARDWARE, utf8Enc.encode(o.hardware)]);
    if (o.os) opts.push([SHB_OS, utf8Enc.encode(o.os)]);
    opts.push([SHB_USERAPPL, utf8Enc.encode(o.userAppl ?? 'NetLab Workbench')]);
    const len = 28 + optionsSize(opts);
    const shb = new Uint8Array(len);
    putU32(shb, 0, BLOCK_SHB, true);
    putU32(shb, 4, len, true);
    putU32(shb, 8, BYTE_ORDER_MAGIC, true);
    putU16(shb, 12, 1, true);
    putU16(shb, 14, 0, true);
    // Section length -1: not given (we write incrementally and never know it up front).
    putU32(shb, 16, 0xffffffff, true);
    putU32(shb, 20, 0xffffffff, true);
    writeOptions(shb, 24, opts);
    putU32(shb, len - 4, len, true);
    this.interfaceCount = 0;
    const idbs = interfaces.map((i) => this.interface(i));
    return concat([shb, ...idbs]);
  }

  /** An IDB; the interface gets the next index in this section. */
  interface(ifc: CaptureInterface): Uint8Array {
    const opts: Opt[] = [];
    if (ifc.name) opts.push([IF_NAME, utf8Enc.encode(ifc.name)]);
    if (ifc.description) opts.push([IF_DESCRIPTION, utf8Enc.encode(ifc.description)]);
    if (this.nanosecond) opts.push([IF_TSRESOL, Uint8Array.of(9)]);
    if (ifc.filter) opts.push([IF_FILTER, concat([Uint8Array.of(0), utf8Enc.encode(ifc.filter)])]);
    if (ifc.os) opts.push([IF_OS, utf8Enc.encode(ifc.os)]);
    const len = 20 + optionsSize(opts);
    const b = new Uint8Array(len);
    putU32(b, 0, BLOCK_IDB, true);
    putU32(b, 4, len, true);
    putU16(b, 8, ifc.linkType, true);
    putU32(b, 12, ifc.snapLen > 0 ? ifc.snapLen : maxSnapLen(ifc.linkType), true);
    writeOptions(b, 16, opts);
    putU32(b, len - 4, len, true);
    this.interfaceCount++;
    return b;
  }

  /** An EPB for the record (its interfaceId must have been written); `out` is reused when big enough. */
  record(r: PacketRecord, out?: Uint8Array): Uint8Array {
    if (r.interfaceId >= this.interfaceCount) {
      throw new CaptureFileError('ERR_UNSUPPORTED', `pcapng writer: record refers to interface ${r.interfaceId} but only ${this.interfaceCount} were written`, r.fileOffset, 'Write the interface (header() or interface()) before its packets.');
    }
    const capLen = r.data.length;
    const comment = r.comment ? utf8Enc.encode(r.comment) : null;
    const optLen = comment ? 4 + ((comment.length + 3) & ~3) + 4 : 0;
    const len = 32 + ((capLen + 3) & ~3) + optLen;
    const b = out && out.length >= len ? out.subarray(0, len).fill(0) : new Uint8Array(len);
    const [hi, lo] = tsWords(r.tsSec, this.units, this.nanosecond ? r.tsNsec : Math.floor(r.tsNsec / 1000));
    putU32(b, 0, BLOCK_EPB, true);
    putU32(b, 4, len, true);
    putU32(b, 8, r.interfaceId, true);
    putU32(b, 12, hi, true);
    putU32(b, 16, lo, true);
    putU32(b, 20, capLen, true);
    putU32(b, 24, Math.max(r.origLen, capLen), true);
    b.set(r.data, 28);
    if (comment) writeOptions(b, 28 + ((capLen + 3) & ~3), [[OPT_COMMENT, comment]]);
    putU32(b, len - 4, len, true);
    return b;
  }

  /** An Interface Statistics Block, timestamped `sec`.`nsec`. */
  stats(interfaceId: number, s: InterfaceStats, sec: number, nsec: number): Uint8Array {
    const frac = (ns: number): number => (this.nanosecond ? ns : Math.floor(ns / 1000));
    const tsOpt = (sc: number, ns: number): Uint8Array => {
      const [h, l] = tsWords(sc, this.units, frac(ns));
      const v = new Uint8Array(8);
      putU32(v, 0, h, true);
      putU32(v, 4, l, true);
      return v;
    };
    const opts: Opt[] = [];
    if (s.startSec !== undefined) opts.push([ISB_STARTTIME, tsOpt(s.startSec, s.startNsec ?? 0)]);
    if (s.endSec !== undefined) opts.push([ISB_ENDTIME, tsOpt(s.endSec, s.endNsec ?? 0)]);
    if (s.received !== undefined) opts.push([ISB_IFRECV, u64Opt(s.received)]);
    if (s.dropped !== undefined) opts.push([ISB_IFDROP, u64Opt(s.dropped)]);
    if (s.filterAccepted !== undefined) opts.push([ISB_FILTERACCEPT, u64Opt(s.filterAccepted)]);
    if (s.osDropped !== undefined) opts.push([ISB_OSDROP, u64Opt(s.osDropped)]);
    if (s.delivered !== undefined) opts.push([ISB_USRDELIV, u64Opt(s.delivered)]);
    const len = 24 + optionsSize(opts);
    const b = new Uint8Array(len);
    const [hi, lo] = tsWords(sec, this.units, frac(nsec));
    putU32(b, 0, BLOCK_ISB, true);
    putU32(b, 4, len, true);
    putU32(b, 8, interfaceId, true);
    putU32(b, 12, hi, true);
    putU32(b, 16, lo, true);
    writeOptions(b, 20, opts);
    putU32(b, len - 4, len, true);
    return b;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
