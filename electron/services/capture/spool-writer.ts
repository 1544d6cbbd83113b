// The spool: the pcapng file the supervisor writes every record into as it arrives, before anything
// else sees it (DESIGN.md "Processes"), so a crashed renderer or helper loses nothing already received.
// Writes are synchronous, one write per batch: when the helper is killed, every record the supervisor
// has read is already in the file (test/integration/capture/helper-death.test.ts). The blocks come
// from the capture-file engine's PcapngWriter, so the spool is the same pcapng as any saved file.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { PcapngWriter } from '../../../core/capfile/pcapng.js';
import type { PacketRecord } from '../../../core/capfile/record.js';
import { forEachRecord } from '../../../native/helper-protocol.js';
import { CaptureError } from './capture-error.js';

export interface SpoolInterface {
  linkType: number;
  snaplen: number;
  name: string;
  filter?: string;
  nanosecond: boolean;
}

export interface SpoolStats {
  received: number;
  dropped: number;
  ifDropped: number;
}

export class SpoolWriter {
  private fd: number | null;
  private readonly writer: PcapngWriter;
  private readonly rec: PacketRecord;
  private scratch = new Uint8Array(1 << 16);
  packets = 0;
  bytes = 0;

  constructor(readonly path: string, readonly iface: SpoolInterface) {
    this.writer = new PcapngWriter({ nanosecond: iface.nanosecond });
    this.rec = { tsSec: 0, tsNsec: 0, capLen: 0, origLen: 0, interfaceId: 0, linkType: iface.linkType, data: new Uint8Array(0), fileOffset: 0 };
    try {
      this.fd = openSync(path, 'w', 0o600);
      this.writeAll(this.writer.header([{
        linkType: iface.linkType,
        snapLen: iface.snaplen,
        name: iface.name,
        filter: iface.filter || undefined,
        tsUnitsPerSec: iface.nanosecond ? 1e9 : 1e6,
        tsOffset: 0,
      }]));
    } catch (err) {
      throw new CaptureError('ERR_CAPTURE_SPOOL', `Cannot write the capture spool ${path}: ${(err as Error).message}`,
        'Free some disk space or choose another temporary folder (TMPDIR).');
    }
  }

  /** Appends up to `maxRecords` records of a batch in the capture core's layout; returns how many. */
  writeBatch(batch: Uint8Array, maxRecords = Infinity): number {
    if (this.fd === null) throw new CaptureError('ERR_CAPTURE_SPOOL', 'The spool is closed.', 'Start a new capture.');
    // One output buffer per batch (EPB = 32 bytes + data padded to 4; the batch has 16 + data).
    const need = batch.byteLength * 2 + 64;
    if (this.scratch.byteLength < need) this.scratch = new Uint8Array(need);
    let off = 0;
    let n = 0;
    const r = this.rec;
    forEachRecord(batch, (raw) => {
      if (n >= maxRecords) return;
      r.tsSec = raw.tsSec;
      r.tsNsec = raw.tsNsec;
      r.capLen = raw.capLen;
      r.origLen = raw.origLen;
      r.data = raw.data;
      const block = this.writer.record(r, this.scratch.subarray(off));
      off += block.byteLength;
      n++;
    });
    this.writeAll(this.scratch.subarray(0, off));
    this.packets += n;
    return n;
  }

  /** Ends the spool with an interface statistics block (drops, as dumpcap records them) and closes it. */
  close(stats?: SpoolStats): void {
    if (this.fd === null) return;
    try {
      if (stats) {
        const now = Date.now();
        const sec = Math.floor(now / 1000);
        const nsec = (now % 1000) * 1e6;
        this.writeAll(this.writer.stats(0, {
          received: stats.received,
          dropped: stats.dropped + stats.ifDropped,
          osDropped: stats.dropped,
          delivered: this.packets,
          endSec: sec,
          endNsec: nsec,
        }, sec, nsec));
      }
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  private writeAll(buf: Uint8Array): void {
    let off = 0;
    while (off < buf.byteLength) off += writeSync(this.fd!, buf, off, buf.byteLength - off);
    this.bytes += buf.byteLength;
  }
}
