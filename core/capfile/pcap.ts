// The classic libpcap file format (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-03.html):
// a 24-byte file header, then records of a 16-byte header and the captured bytes. Byte order and
// timestamp unit are decided once from the magic number and then applied by small functions
// (pcapgo's style), never by branches per field. Checks follow Wireshark's wiretap/libpcap.c so that
// the records we deliver from a damaged file are the ones tshark delivers.

import {
  CUT_SHORT,
  CUT_SHORT_HINT,
  PushParser,
  type U32,
  hexPreview,
  putU16,
  putU32,
  u16be,
  u16le,
  u32be,
  u32le,
} from './push-parser.js';
import { type CaptureFileError, CaptureFileError as CFE, type CaptureInterface, type PacketRecord } from './record.js';

export const PCAP_MAGIC_USEC = 0xa1b2c3d4;
export const PCAP_MAGIC_NSEC = 0xa1b23c4d;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;

/**
 * Wireshark's wtap_max_snaplen_for_encap(): a record longer than this is a damaged length field, not a
 * packet (D-Bus and USB captures are allowed 128 MiB, EBHSCR 8 MiB, everything else 256 KiB).
 */
export function maxSnapLen(linkType: number): number {
  switch (linkType) {
    case 231: // D-Bus
    case 249: // USBPcap
    case 189: // Linux USB
    case 220: // Linux USB, memory-mapped
      return 128 * 1024 * 1024;
    case 279: // EBHSCR
      return 8 * 1024 * 1024 + 32;
    default:
      return 262144;
  }
}

/** Whether the first 4 bytes are a pcap magic number, in either byte order. */
export function isPcapMagic(b: Uint8Array, off = 0): boolean {
  const le = u32le(b, off), be = u32be(b, off);
  return le === PCAP_MAGIC_USEC || le === PCAP_MAGIC_NSEC || be === PCAP_MAGIC_USEC || be === PCAP_MAGIC_NSEC;
}

type LengthOrder = 'normal' | 'swapped' | 'maybe';

export class PcapReader extends PushParser {
  /** The file's one interface, known once the header is read. */
  readonly interfaces: CaptureInterface[] = [];
  nanosecond = false;
  littleEndian = true;
  versionMajor = 0;
  versionMinor = 0;
  private headerDone = false;
  private u32: U32 = u32le;
  private lengths: LengthOrder = 'normal';
  private maxLen = 262144;
  private nsecPerUnit = 1000;
  protected headerNeed(): number {
    return this.headerDone ? RECORD_HEADER : FILE_HEADER;
  }

  protected unitLength(b: Uint8Array, off: number): number {
    if (!this.headerDone) return FILE_HEADER;
    let caplen = this.u32(b, off + 8);
    const origlen = this.u32(b, off + 12);
    // libpcap before 2.3 (and DG/UX's 543.0) wrote orig_len before incl_len; 2.3 files may or may not.
    if (this.lengths === 'swapped' || (this.lengths === 'maybe' && caplen > origlen)) caplen = origlen;
    if (caplen > this.maxLen) {
      return this.fail(
        'ERR_BAD_RECORD',
        `pcap: File has ${caplen}-byte packet, bigger than maximum of ${this.maxLen} (record at byte offset ${this.bytesConsumed})`,
        this.bytesConsumed,
        'The record header at this offset is damaged, so nothing after it can be trusted. Every packet before it was read.',
      );
    }
    return RECORD_HEADER + caplen;
  }

  protected consume(b: Uint8Array, off: number, len: number): void {
    if (!this.headerDone) return this.readFileHeader(b, off);
    const r = this.rec, u32 = this.u32;
    let caplen = u32(b, off + 8), origlen = u32(b, off + 12);
    if (this.lengths === 'swapped' || (this.lengths === 'maybe' && caplen > origlen)) [caplen, origlen] = [origlen, caplen];
    r.tsSec = u32(b, off);
    r.tsNsec = u32(b, off + 4) * this.nsecPerUnit;
    r.capLen = caplen;
    r.origLen = origlen;
    r.data = b.subarray(off + RECORD_HEADER, off + len);
    r.fileOffset = this.bytesConsumed;
    this.records++;
    this.onRecord(r);
  }

  private readFileHeader(b: Uint8Array, off: number): void {
    const magicLe = u32le(b, off);
    if (magicLe === PCAP_MAGIC_USEC || magicLe === PCAP_MAGIC_NSEC) {
      this.littleEndian = true;
    } else if (u32be(b, off) === PCAP_MAGIC_USEC || u32be(b, off) === PCAP_MAGIC_NSEC) {
      this.littleEndian = false;
    } else {
      this.fail('ERR_NOT_A_CAPTURE', `Not a pcap file: it starts with ${hexPreview(b, off, 4)}`, 0, 'Open a .pcap or .pcapng file.');
      return;
    }
    const le = this.littleEndian;
    const u16 = le ? u16le : u16be;
    this.u32 = le ? u32le : u32be;
    this.nanosecond = this.u32(b, off) === PCAP_MAGIC_NSEC;
    this.nsecPerUnit = this.nanosecond ? 1 : 1000;
    this.versionMajor = u16(b, off + 4);
    this.versionMinor = u16(b, off + 6);
    if (this.versionMajor < 2) {
      this.fail(
        'ERR_UNSUPPORTED',
        `pcap: major version ${this.versionMajor} unsupported`,
        4,
        'Only pcap version 2.x files exist in practice; the header is probably damaged.',
      );
      return;
    }
    if (this.versionMajor === 543 || (this.versionMajor === 2 && this.versionMinor < 3)) this.lengths = 'swapped';
    else if (this.versionMajor === 2 && this.versionMinor === 3) this.lengths = 'maybe';
    const snapLen = this.u32(b, off + 16);
    // The upper 16 bits carry the FCS length (LINKTYPE_* subfields); the link type is the low 16.
    const linkType = this.u32(b, off + 20) & 0xffff;
    this.maxLen = maxSnapLen(linkType);
    const ifc: CaptureInterface = { linkType, snapLen, tsUnitsPerSec: this.nanosecond ? 1e9 : 1e6, tsOffset: 0 };
    this.interfaces.push(ifc);
    this.rec.linkType = linkType;
    this.onInterface?.(ifc, 0);
    this.headerDone = true;
  }

  protected endedEarly(have: number): CaptureFileError {
    const at = this.bytesConsumed;
    if (!this.headerDone) {
      return new CFE(
        'ERR_TRUNCATED',
        `The file is too short to be a pcap file: ${have} of the 24 header bytes are present`,
        0,
        'The file was cut short before its first packet; copy it again or recapture.',
      );
    }
    return new CFE('ERR_TRUNCATED', `${CUT_SHORT} (the record at byte offset ${at} is incomplete: ${have} bytes present)`, at, CUT_SHORT_HINT);
  }
}

export interface PcapWriterOptions {
  linkType: number;
  /** Defaults to Wireshark's maximum for the link type. */
  snapLen?: number;
  /** a1b23c4d (nanosecond timestamps) instead of a1b2c3d4 (microseconds). */
  nanosecond?: boolean;
}

/** Writes pcap: header() once, then record() per packet. Little-endian, version 2.4, as libpcap writes. */
export class PcapWriter {
  readonly linkType: number;
  private readonly nanosecond: boolean;
  private readonly snapLen: number;

  constructor(opts: PcapWriterOptions) {
    this.linkType = opts.linkType;
    this.nanosecond = opts.nanosecond ?? false;
    this.snapLen = opts.snapLen && opts.snapLen > 0 ? opts.snapLen : maxSnapLen(opts.linkType);
  }

  header(): Uint8Array {
    const b = new Uint8Array(FILE_HEADER);
    putU32(b, 0, this.nanosecond ? PCAP_MAGIC_NSEC : PCAP_MAGIC_USEC, true);
    putU16(b, 4, 2, true);
    putU16(b, 6, 4, true);
    putU32(b, 16, this.snapLen, true);
    putU32(b, 20, this.linkType, true);
    return b;
  }

  /** The record's bytes; `out`, when big enough, is reused instead of allocating. */
  record(r: PacketRecord, out?: Uint8Array): Uint8Array {
    const n = RECORD_HEADER + r.data.length;
    const b = out && out.length >= n ? out.subarray(0, n) : new Uint8Array(n);
    putU32(b, 0, r.tsSec, true);
    // Wireshark truncates nanoseconds to microseconds when writing a1b2c3d4 files (libpcap.c).
    putU32(b, 4, this.nanosecond ? r.tsNsec : Math.floor(r.tsNsec / 1000), true);
    putU32(b, 8, r.data.length, true);
    putU32(b, 12, Math.max(r.origLen, r.data.length), true);
    b.set(r.data, RECORD_HEADER);
    return b;
  }
}
