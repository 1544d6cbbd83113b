// Capture files on disk (plain Node, no Electron): stream a pcap/pcapng file through core/capfile in
// 1 MiB reads (a 2 GB file is never held whole), and save records atomically (temp file in the same
// folder, fsync, rename) so a full disk or a crash never leaves a half-written file where the user's
// capture was. Every failure is {code, message, hint} (STYLE.md §6), never a stack trace.

import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PcapWriter } from '../../core/capfile/pcap.js';
import { PcapngWriter, type InterfaceStats, type PcapngSection } from '../../core/capfile/pcapng.js';
import { createCaptureReader } from '../../core/capfile/reader.js';
import { type CaptureFormat, CaptureFileError, type CaptureInterface, type PacketRecord } from '../../core/capfile/record.js';

const READ_SIZE = 1024 * 1024;

export interface ReadCaptureOptions {
  /** Called once per record with ONE reused object; `data` is valid until the next call. */
  onRecord: (r: PacketRecord) => void;
  /** The interface list each time it grows (pcap: once; pcapng: per IDB), before records that use it. */
  onInterfaces?: (interfaces: CaptureInterface[]) => void;
  /** Bytes read so far and the file's size, after every read. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /**
   * Called before waiting for each read; reading waits for the promise it returns, if any (the
   * partitioned reader holds reading back while its lanes are behind).
   */
  beforeRead?: () => Promise<void> | undefined;
  /** Stops reading (no record is delivered after it fires); the result's error is ERR_ABORTED. */
  signal?: AbortSignal;
}

export interface ReadCaptureResult {
  format: CaptureFormat | null;
  interfaces: CaptureInterface[];
  sections: readonly PcapngSection[];
  /** Records delivered. */
  count: number;
  /** Bytes of the file read. */
  bytes: number;
  /** Why reading stopped early; null when the whole file was read. Records before it were delivered. */
  error: CaptureFileError | null;
}

function openError(path: string, e: NodeJS.ErrnoException): CaptureFileError {
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR') {
    return new CaptureFileError('ERR_FILE_NOT_FOUND', `The file "${path}" doesn't exist`, -1, 'Check the path and the spelling of the file name.');
  }
  if (e.code === 'EACCES' || e.code === 'EPERM') {
    return new CaptureFileError('ERR_FILE_UNREADABLE', `The file "${path}" can't be read: permission denied`, -1, 'Give your user read access to the file (chmod/chown), or copy it somewhere readable.');
  }
  if (e.code === 'EISDIR') {
    return new CaptureFileError('ERR_FILE_UNREADABLE', `"${path}" is a folder, not a capture file`, -1, 'Choose a .pcap or .pcapng file inside it.');
  }
  return new CaptureFileError('ERR_FILE_UNREADABLE', `The file "${path}" can't be read: ${e.message}`, -1, 'Check that the disk is healthy and the file is not being removed.');
}

/** Streams a capture file; always resolves (failures are in `error`). */
export async function readCaptureFile(path: string, opts: ReadCaptureOptions): Promise<ReadCaptureResult> {
  const { onRecord, onInterfaces, onProgress, beforeRead, signal } = opts;
  let count = 0;
  const interfaces: CaptureInterface[] = [];
  const reader = createCaptureReader(
    (r) => {
      if (signal?.aborted) return;
      count++;
      onRecord(r);
    },
    (ifc) => {
      interfaces.push(ifc);
      onInterfaces?.(interfaces);
    },
  );
  const result = (bytes: number, error: CaptureFileError | null): ReadCaptureResult => ({
    format: reader.format, interfaces, sections: reader.sections, count, bytes, error,
  });
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    return result(0, openError(path, e as NodeJS.ErrnoException));
  }
  let bytes = 0;
  try {
    const st = await fh.stat();
    if (st.isDirectory()) return result(0, openError(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' })));
    const total = st.size;
    // The next chunk is read while this one is parsed (the reads run on libuv's pool), so the parser
    // never waits for the disk: about a tenth of a large file's reading time was spent idle before.
    // A fresh buffer per read: the last record of one chunk may still be referenced while the next is read.
    const readNext = (at: number) => { const b = new Uint8Array(READ_SIZE); return fh.read(b, 0, READ_SIZE, at); };
    let next = readNext(0);
    try {
      for (;;) {
        if (signal?.aborted) {
          return result(bytes, new CaptureFileError('ERR_ABORTED', `Reading "${path}" was stopped after ${count} packets`, bytes, 'Open the file again to read all of it.'));
        }
        const wait = beforeRead?.();
        if (wait !== undefined) {
          await wait;
          if (signal?.aborted) continue;
        }
        const { bytesRead, buffer: buf } = await next;
        if (bytesRead === 0) break;
        next = readNext(bytes + bytesRead);
        bytes += bytesRead;
        reader.push(bytesRead === READ_SIZE ? buf : buf.subarray(0, bytesRead));
        onProgress?.(bytes, Math.max(total, bytes));
        if (reader.error) break;
      }
    } finally {
      // The read started last must end before the file is closed.
      await next.catch(() => undefined);
    }
    if (signal?.aborted) {
      return result(bytes, new CaptureFileError('ERR_ABORTED', `Reading "${path}" was stopped after ${count} packets`, bytes, 'Open the file again to read all of it.'));
    }
    reader.end();
    return result(bytes, reader.error);
  } catch (e) {
    // Only the file system's failures are the file's; an exception from a callback is the caller's.
    if (!(e instanceof Error && typeof (e as NodeJS.ErrnoException).syscall === 'string')) throw e;
    return result(bytes, openError(path, e as NodeJS.ErrnoException));
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** A failed save, as a value the API carries to the user. */
export class CaptureWriteError extends Error {
  constructor(
    readonly code: 'ERR_DISK_FULL' | 'ERR_WRITE_FAILED',
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'CaptureWriteError';
  }
}

export interface WriteCaptureOptions {
  format: 'pcap' | 'pcapng';
  interfaces: readonly CaptureInterface[];
  records: Iterable<PacketRecord> | AsyncIterable<PacketRecord>;
  /** Nanosecond timestamps: pcap a1b23c4d / pcapng if_tsresol=9. Defaults: pcap false, pcapng true. */
  nanosecond?: boolean;
  /** pcapng only: the SHB comment. */
  comment?: string;
  /** pcapng only: an ISB per interface, in order, written after the packets. */
  stats?: readonly (InterfaceStats | undefined)[];
}

function writeError(path: string, e: unknown): CaptureWriteError {
  if (e instanceof CaptureWriteError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOSPC' || err.code === 'EDQUOT') {
    return new CaptureWriteError('ERR_DISK_FULL', `Could not save "${path}": the disk is full`, 'Free some space on that disk, or save to another folder. Any earlier file with this name was left untouched.');
  }
  if (err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS') {
    return new CaptureWriteError('ERR_WRITE_FAILED', `Could not save "${path}": permission denied (${err.code})`, 'Choose a folder you can write to. Any earlier file with this name was left untouched.');
  }
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') {
    return new CaptureWriteError('ERR_WRITE_FAILED', `Could not save "${path}": the folder doesn't exist`, 'Choose an existing folder.');
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new CaptureWriteError('ERR_WRITE_FAILED', `Could not save "${path}": ${msg}`, 'Try another folder. Any earlier file with this name was left untouched.');
}

/**
 * Writes records to `path` atomically: a temp file beside it, fsync, rename. On failure the temp file
 * is removed, an existing `path` is untouched, and a CaptureWriteError is thrown.
 */
export async function writeCaptureFileAtomic(path: string, opts: WriteCaptureOptions): Promise<{ count: number; bytes: number }> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fh: FileHandle | null = null;
  let count = 0;
  let bytes = 0;
  try {
    const header = encoderFor(path, opts);
    fh = await open(tmp, 'wx', 0o644);
    const handle = fh;
    // Records are staged into one 1 MiB buffer and written together: one syscall per MiB, not per packet.
    let stage = new Uint8Array(READ_SIZE);
    let used = 0;
    const flush = async (): Promise<void> => {
      let done = 0;
      while (done < used) done += (await handle.write(stage, done, used - done)).bytesWritten;
      bytes += used;
      used = 0;
    };
    const put = async (block: Uint8Array): Promise<void> => {
      if (used + block.length > stage.length) await flush();
      if (block.length > stage.length) stage = new Uint8Array(block.length);
      stage.set(block, used);
      used += block.length;
    };
    await put(header.start);
    for await (const r of opts.records) {
      if (used + 64 + r.data.length + (r.comment ? r.comment.length * 3 + 8 : 0) > stage.length) await flush();
      const out = header.record(r, stage.subarray(used));
      // record() writes in place when the room suffices; otherwise it returns a fresh block.
      if (out.buffer === stage.buffer && out.byteOffset === stage.byteOffset + used) used += out.length;
      else await put(out);
      count++;
    }
    for (const block of header.end()) await put(block);
    await flush();
    await fh.sync();
    await fh.close();
    fh = null;
    await rename(tmp, path);
    await syncDir(dirname(path));
    return { count, bytes };
  } catch (e) {
    if (fh) await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw writeError(path, e);
  }
}

/** The directory entry of the rename must reach the disk too (ext4 data=ordered keeps the data, not the name). */
async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r').catch(() => null);
  if (!d) return;
  await d.sync().catch(() => undefined);
  await d.close().catch(() => undefined);
}

interface Encoder {
  start: Uint8Array;
  record(r: PacketRecord, out: Uint8Array): Uint8Array;
  end(): Uint8Array[];
}

function encoderFor(path: string, opts: WriteCaptureOptions): Encoder {
  if (opts.format === 'pcapng') {
    const w = new PcapngWriter({ nanosecond: opts.nanosecond ?? true, comment: opts.comment });
    return {
      start: w.header(opts.interfaces),
      record: (r, out) => w.record(r, out),
      end: () => (opts.stats ?? []).flatMap((s, i) => (s ? [w.stats(i, s, s.endSec ?? 0, s.endNsec ?? 0)] : [])),
    };
  }
  if (opts.format !== 'pcap') {
    throw new CaptureWriteError('ERR_WRITE_FAILED', `Could not save "${path}": unknown format "${String(opts.format)}"`, 'Choose pcap or pcapng.');
  }
  const linkTypes = new Set(opts.interfaces.map((i) => i.linkType));
  if (linkTypes.size === 0) {
    throw new CaptureWriteError('ERR_WRITE_FAILED', `Could not save "${path}" as pcap: no interface was given, so the link type is unknown`, 'Pass the interfaces the reader or the capture reported.');
  }
  if (linkTypes.size !== 1) {
    throw new CaptureWriteError(
      'ERR_WRITE_FAILED',
      `Could not save "${path}" as pcap: the packets come from ${opts.interfaces.length} interfaces with ${linkTypes.size} link types, and pcap holds exactly one`,
      'Save as pcapng, which keeps every interface, or filter the packets of one interface first.',
    );
  }
  const ifc = opts.interfaces[0];
  const w = new PcapWriter({ linkType: ifc.linkType, snapLen: ifc.snapLen, nanosecond: opts.nanosecond ?? false });
  return {
    start: w.header(),
    record: (r, out) => {
      if (r.linkType !== w.linkType) {
        throw new CaptureWriteError('ERR_WRITE_FAILED', `Could not save "${path}" as pcap: packet with link type ${r.linkType} in a file of link type ${w.linkType}`, 'Save as pcapng, which keeps every interface.');
      }
      return w.record(r, out);
    },
    end: () => [],
  };
}
