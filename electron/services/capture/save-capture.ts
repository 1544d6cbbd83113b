// "Save as": copies the spool, or only the frames the user chose (e.g. those displayed), into a pcapng
// or pcap file. The file is written beside the target under a temporary name, flushed, and renamed
// over the target only when complete, so a crash or a full disk never leaves a half-written file in
// place (rename(2) is atomic within a filesystem).
import { closeSync, createReadStream, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createCaptureReader } from '../../../core/capfile/reader.js';
import { PcapWriter } from '../../../core/capfile/pcap.js';
import { PcapngWriter } from '../../../core/capfile/pcapng.js';
import type { PacketRecord } from '../../../core/capfile/record.js';
import { CaptureError } from './capture-error.js';

export interface SaveOptions {
  /** 'pcapng' (default, as tshark -F pcapng), 'pcap' (microseconds) or 'pcap-nsec'. */
  format?: 'pcapng' | 'pcap' | 'pcap-nsec';
  /** 1-based frame numbers to keep (the displayed frames); all when omitted. */
  frames?: ReadonlySet<number> | ((frame: number) => boolean);
}

export interface SaveResult {
  path: string;
  packets: number;
  bytes: number;
}

const FLUSH_AT = 1 << 20;

function saveError(target: string, err: unknown): CaptureError {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOSPC' || e?.code === 'EDQUOT') {
    return new CaptureError('ERR_CAPTURE_SAVE', `Could not save ${target}: the disk is full.`,
      'Free some space on that disk or save to another one; the capture itself is still kept.');
  }
  if (e?.code === 'EACCES' || e?.code === 'EPERM' || e?.code === 'EROFS') {
    return new CaptureError('ERR_CAPTURE_SAVE', `Could not save ${target}: permission denied.`,
      'Choose a folder you may write to.');
  }
  if (err instanceof CaptureError) return err;
  return new CaptureError('ERR_CAPTURE_SAVE', `Could not save ${target}: ${e?.message ?? String(err)}`,
    'Check that the folder exists and that the spool file is readable.');
}

/** Writes `spoolPath`'s frames (all, or those selected) to `target` atomically. */
export async function saveCapture(spoolPath: string, target: string, opts: SaveOptions = {}): Promise<SaveResult> {
  const format = opts.format ?? 'pcapng';
  const keep = opts.frames === undefined ? () => true
    : typeof opts.frames === 'function' ? opts.frames
    : (n: number) => (opts.frames as ReadonlySet<number>).has(n);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.partial`);
  let fd: number | null = null;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let written = 0;
  let packets = 0;
  let frame = 0;
  let headerDone = false;
  const pcapng = format === 'pcapng' ? new PcapngWriter({ nanosecond: true }) : null;
  let pcap: PcapWriter | null = null;

  const flush = (): void => {
    for (const b of pending) {
      let off = 0;
      while (off < b.byteLength) off += writeSync(fd!, b, off, b.byteLength - off);
      written += b.byteLength;
    }
    pending = [];
    pendingBytes = 0;
  };
  const emit = (b: Uint8Array): void => {
    pending.push(b);
    pendingBytes += b.byteLength;
    if (pendingBytes >= FLUSH_AT) flush();
  };

  try {
    fd = openSync(tmp, 'wx', 0o644);
    const reader = createCaptureReader((r: PacketRecord) => {
      frame++;
      if (!headerDone) writeHeader();
      if (!keep(frame)) return;
      emit(pcapng ? pcapng.record(r) : pcap!.record(r));
      packets++;
    });
    const writeHeader = (): void => {
      const ifc = reader.interfaces;
      if (pcapng) {
        emit(pcapng.header(ifc.map((i) => ({ ...i, tsUnitsPerSec: 1e9 }))));
      } else {
        const i = ifc[0];
        if (!i) throw new CaptureError('ERR_CAPTURE_SAVE', `${spoolPath} has no interface description.`, 'The spool is damaged; capture again.');
        if (ifc.length > 1 && ifc.some((x) => x.linkType !== i.linkType)) {
          throw new CaptureError('ERR_CAPTURE_SAVE', 'A pcap file holds one link type; this capture has several.', 'Save as pcapng instead.');
        }
        pcap = new PcapWriter({ linkType: i.linkType, snapLen: i.snapLen, nanosecond: format === 'pcap-nsec' });
        emit(pcap.header());
      }
      headerDone = true;
    };
    await new Promise<void>((resolve, reject) => {
      const s = createReadStream(spoolPath, { highWaterMark: 1 << 20 });
      s.on('data', (c) => {
        try {
          reader.push(c as Buffer);
        } catch (err) {
          s.destroy();
          reject(err);
        }
      });
      s.on('error', reject);
      s.on('end', () => {
        try {
          reader.end();
          resolve();
        } catch (err) {
          reject(err);
        }
      });
    });
    // A spool cut short by a killed helper ends mid-block: keep every complete record, as tshark does.
    if (reader.error && reader.error.code !== 'ERR_TRUNCATED') throw reader.error;
    if (!headerDone) writeHeader();
    flush();
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, target);
    return { path: target, packets, bytes: written };
  } catch (err) {
    if (fd !== null) {
      try { closeSync(fd); } catch { /* already failing: report the first error */ }
    }
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw saveError(target, err);
  }
}
