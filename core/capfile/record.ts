// One packet as a capture file (or the capture helper) gives it: the shared record type of the pcap
// and pcapng codecs, the capture supervisor's spool and the packet store.

/** libpcap LINKTYPE_* values (https://www.tcpdump.org/linktypes.html) that the engine dissects. */
export const LinkType = {
  NULL: 0, // BSD loopback: 4-byte address family in host byte order (macOS lo0)
  ETHERNET: 1,
  RAW: 101, // raw IPv4 or IPv6, told apart by the version nibble
  LOOP: 108, // OpenBSD loopback: address family in network byte order
  LINUX_SLL: 113, // Linux "cooked" capture v1 (the `any` device)
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** An interface as described by a pcapng IDB (a pcap file has exactly one). */
export interface CaptureInterface {
  linkType: number;
  snapLen: number;
  name?: string;
  description?: string;
  /** Timestamp units per second (1e6 for microseconds, 1e9 for nanoseconds, or 2^k). */
  tsUnitsPerSec: number;
  /** if_tsoffset: seconds added to every timestamp of this interface. */
  tsOffset: number;
  /** if_filter's text, where the capturing program recorded it. */
  filter?: string;
  os?: string;
}

/**
 * A packet record. Readers reuse one object per call (gopacket's DecodingLayerParser style): copy what
 * you keep. `data` is a view into the reader's buffer, valid until the next record is read.
 */
export interface PacketRecord {
  /** Seconds since 1970-01-01 UTC (integer part). */
  tsSec: number;
  /** Nanoseconds within that second, 0..999_999_999 (microsecond files give multiples of 1000). */
  tsNsec: number;
  /** Bytes captured (== data.length). */
  capLen: number;
  /** Bytes on the wire. */
  origLen: number;
  /** Index into the file's interfaces; 0 in pcap files. */
  interfaceId: number;
  /** The interface's link type, copied here so dissection needs nothing else. */
  linkType: number;
  data: Uint8Array;
  /** opt_comment of a pcapng packet block, if any. */
  comment?: string;
  /** Byte offset of the record's header (pcap) or block (pcapng) in the file. */
  fileOffset: number;
}

export type CaptureFormat = 'pcap' | 'pcap-nsec' | 'pcapng';

/** Capture-file failures are values with a stable code, the byte offset and a hint (STYLE.md §6). */
export class CaptureFileError extends Error {
  constructor(
    readonly code:
      | 'ERR_NOT_A_CAPTURE'
      | 'ERR_TRUNCATED'
      | 'ERR_BAD_RECORD'
      | 'ERR_BAD_BLOCK'
      | 'ERR_UNSUPPORTED'
      // Raised by the file service (electron/services/capture-file.ts) before or while reading bytes.
      | 'ERR_FILE_NOT_FOUND'
      | 'ERR_FILE_UNREADABLE'
      | 'ERR_ABORTED',
    message: string,
    readonly offset: number,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'CaptureFileError';
  }
}
