// "Save as": copies the spool, or only the frames the user chose (e.g. those displayed), to a pcapng
// or pcap file through the capture-file service's writeCaptureFileAtomic (temp file beside the
// target, fsync, rename), so a crash or a full disk never leaves a half-written file in place.
import { open } from 'node:fs/promises';
import { createCaptureReader } from '../../../core/capfile/reader.js';
import type { CaptureInterface, PacketRecord } from '../../../core/capfile/record.js';
import { writeCaptureFileAtomic } from '../capture-file.js';
import { CaptureError } from './capture-error.js';

export interface SaveOptions {
  /** 'pcapng' (default, as tshark -F pcapng) or 'pcap' (microseconds, as tshark -F pcap). */
  format?: 'pcapng' | 'pcap';
  /** 1-based frame numbers to keep (the displayed frames); all when omitted. */
  frames?: ReadonlySet<number> | ((frame: number) => boolean);
}

export interface SaveResult {
  path: string;
  packets: number;
  bytes: number;
}

const CHUNK = 1 << 20;

/**
 * Reads the spool a chunk at a time and yields the kept records (copies: the push reader reuses its
 * record object). A spool cut short by a killed helper ends mid-block: every complete record is kept,
 * as tshark keeps them.
 */
async function* spoolRecords(spoolPath: string, keep: (frame: number) => boolean): AsyncGenerator<PacketRecord> {
  const fh = await open(spoolPath, 'r');
  try {
    let frame = 0;
    let batch: PacketRecord[] = [];
    const reader = createCaptureReader((r) => {
      frame++;
      if (keep(frame)) batch.push({ ...r, data: r.data.slice() });
    });
    const buf = new Uint8Array(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      reader.push(buf.slice(0, bytesRead));
      const out = batch;
      batch = [];
      yield* out;
    }
    reader.end();
    yield* batch;
    if (reader.error && reader.error.code !== 'ERR_TRUNCATED') throw reader.error;
  } finally {
    await fh.close();
  }
}

async function spoolInterfaces(spoolPath: string): Promise<CaptureInterface[]> {
  const fh = await open(spoolPath, 'r');
  try {
    const buf = new Uint8Array(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const reader = createCaptureReader(() => {});
    reader.push(buf.subarray(0, bytesRead));
    if (reader.interfaces.length === 0) {
      throw new CaptureError('ERR_CAPTURE_SAVE', `${spoolPath} has no interface description.`, 'The spool is damaged; capture again.');
    }
    return [...reader.interfaces];
  } finally {
    await fh.close();
  }
}

/** Writes `spoolPath`'s frames (all, or those selected) to `target` atomically. */
export async function saveCapture(spoolPath: string, target: string, opts: SaveOptions = {}): Promise<SaveResult> {
  const frames = opts.frames;
  const keep = frames === undefined ? () => true : typeof frames === 'function' ? frames : (n: number) => frames.has(n);
  try {
    const interfaces = await spoolInterfaces(spoolPath);
    const { count, bytes } = await writeCaptureFileAtomic(target, {
      format: opts.format ?? 'pcapng',
      interfaces,
      records: spoolRecords(spoolPath, keep),
    });
    return { path: target, packets: count, bytes };
  } catch (err) {
    throw CaptureError.from(err, 'ERR_CAPTURE_SAVE', 'Check that the folder exists and that there is room on the disk.');
  }
}
