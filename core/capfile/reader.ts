// One reader for both formats: the first four bytes pick pcap or pcapng (as wiretap's open routines
// do by magic number), then every byte goes to that format's push parser. Feed it chunks of any size;
// it never throws on bad input and never waits for more than the next unit's length.

import { PcapReader, isPcapMagic } from './pcap.js';
import { BLOCK_SHB, PcapngReader, type PcapngSection } from './pcapng.js';
import { hexPreview, u32le } from './push-parser.js';
import { type CaptureFormat, CaptureFileError, type CaptureInterface, type PacketRecord } from './record.js';

export interface CaptureReader {
  /** null until the first four bytes have arrived. */
  readonly format: CaptureFormat | null;
  /** Interfaces seen so far (a pcap file has one; pcapng grows as IDBs arrive). */
  readonly interfaces: readonly CaptureInterface[];
  /** pcapng sections (SHB comments, OS, application); empty for pcap. */
  readonly sections: readonly PcapngSection[];
  /** Bytes of complete records/blocks decoded: the progress figure. */
  readonly bytesConsumed: number;
  /** The first problem found; no record is delivered after it. */
  readonly error: CaptureFileError | null;
  push(chunk: Uint8Array): void;
  end(): void;
}

const NOT_A_CAPTURE_HINT =
  'Open a .pcap or .pcapng file as written by Wireshark, tshark, dumpcap, tcpdump or this app. Other formats (e.g. .etl, .snoop) can be converted with editcap.';

/**
 * A streaming reader. `onRecord` receives ONE reused record object (copy what you keep); its `data`
 * is a view valid until the next record. `onInterface` hears of each interface (pcap header, IDB)
 * before any record that refers to it.
 */
export function createCaptureReader(
  onRecord: (r: PacketRecord) => void,
  onInterface?: (ifc: CaptureInterface, index: number) => void,
): CaptureReader {
  let parser: PcapReader | PcapngReader | null = null;
  let format: CaptureFormat | null = null;
  let head = new Uint8Array(0);
  let error: CaptureFileError | null = null;
  const noSections: PcapngSection[] = [];
  const noInterfaces: CaptureInterface[] = [];

  function start(first: Uint8Array): void {
    if (u32le(first, 0) === BLOCK_SHB) {
      parser = new PcapngReader(onRecord, onInterface);
      format = 'pcapng';
    } else if (isPcapMagic(first)) {
      parser = new PcapReader(onRecord, onInterface);
      const m = u32le(first, 0);
      format = m === 0xa1b23c4d || m === 0x4d3cb2a1 ? 'pcap-nsec' : 'pcap';
    } else {
      error = new CaptureFileError(
        'ERR_NOT_A_CAPTURE',
        `The file isn't a capture file in a format NetLab understands: it starts with ${hexPreview(first, 0, 4)}, which is neither a pcap nor a pcapng magic number`,
        0,
        NOT_A_CAPTURE_HINT,
      );
    }
  }

  return {
    get format() {
      return format;
    },
    get interfaces() {
      return parser?.interfaces ?? noInterfaces;
    },
    get sections() {
      return parser instanceof PcapngReader ? parser.sections : noSections;
    },
    get bytesConsumed() {
      return parser?.bytesConsumed ?? 0;
    },
    get error() {
      return error ?? parser?.error ?? null;
    },
    push(chunk: Uint8Array) {
      if (error) return;
      if (parser) return parser.push(chunk);
      if (head.length + chunk.length < 4) {
        const h = new Uint8Array(head.length + chunk.length);
        h.set(head);
        h.set(chunk, head.length);
        head = h;
        return;
      }
      const first = new Uint8Array(4);
      first.set(head.subarray(0, 4));
      if (head.length < 4) first.set(chunk.subarray(0, 4 - head.length), head.length);
      start(first);
      const p = parser as PcapReader | PcapngReader | null;
      if (!p) return;
      if (head.length > 0) p.push(head);
      p.push(chunk);
      head = new Uint8Array(0);
    },
    end() {
      if (error) return;
      if (parser) return parser.end();
      error = new CaptureFileError(
        head.length === 0 ? 'ERR_NOT_A_CAPTURE' : 'ERR_TRUNCATED',
        head.length === 0 ? 'The file is empty: it holds no capture at all' : `The file is too short to be a capture file (${head.length} bytes)`,
        0,
        head.length === 0 ? 'Capture some traffic first, or choose another file.' : NOT_A_CAPTURE_HINT,
      );
    },
  };
}
