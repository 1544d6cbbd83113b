// Real parts: the Node file service on a real filesystem, including a 64 KiB tmpfs this test mounts
// (and unmounts in `finally`) to run out of space mid-write, and a read-only remount.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PcapWriter } from '../../../core/capfile/pcap.js';
import type { CaptureInterface, PacketRecord } from '../../../core/capfile/record.js';
import { readCaptureFile, writeCaptureFileAtomic } from '../../../electron/services/capture-file.js';

const ETH: CaptureInterface = { linkType: 1, snapLen: 262144, name: 'nlA0', tsUnitsPerSec: 1e9, tsOffset: 0 };

function* packets(n: number, size: number): Iterable<PacketRecord> {
  const r: PacketRecord = { tsSec: 1_764_000_000, tsNsec: 0, capLen: size, origLen: size, interfaceId: 0, linkType: 1, data: new Uint8Array(size), fileOffset: 0 };
  for (let i = 0; i < n; i++) {
    r.tsNsec = i * 1000;
    r.data.fill(i & 0xff);
    yield r;
  }
}

/** A pcap of `n` packets of `size` bytes, made with our writer. */
function pcapBytes(n: number, size: number): Uint8Array {
  const w = new PcapWriter({ linkType: 1 });
  const parts = [w.header(), ...Array.from(packets(n, size), (r) => w.record(r))];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('readCaptureFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlA-read-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams a multi-megabyte file in reads of at most 1 MiB, reporting progress', async () => {
    const file = join(dir, 'big.pcap');
    const bytes = pcapBytes(5000, 1400); // ~7.1 MB
    writeFileSync(file, bytes);
    const progress: number[] = [];
    let n = 0;
    const res = await readCaptureFile(file, { onRecord: (r) => { if (r.data[0] === (n & 0xff)) n++; }, onProgress: (done, total) => { progress.push(done); expect(total).toBe(bytes.length); } });
    expect(res).toMatchObject({ format: 'pcap', count: 5000, bytes: bytes.length, error: null });
    expect(n).toBe(5000);
    expect(progress.length).toBeGreaterThanOrEqual(7);
    const steps = progress.map((p, i) => p - (progress[i - 1] ?? 0));
    expect(Math.max(...steps)).toBeLessThanOrEqual(1024 * 1024);
    expect(progress.at(-1)).toBe(bytes.length);
  });

  it('delivers every packet before a cut and names the offset', async () => {
    const file = join(dir, 'cut.pcap');
    const bytes = pcapBytes(10, 100);
    writeFileSync(file, bytes.subarray(0, 24 + 3 * 116 + 50));
    const res = await readCaptureFile(file, { onRecord: () => undefined });
    expect(res.count).toBe(3);
    expect(res.error).toMatchObject({ code: 'ERR_TRUNCATED', offset: 24 + 3 * 116 });
    expect(res.error!.message).toMatch(/cut short in the middle of a packet.*byte offset 372/);
  });

  it('says what is wrong with a missing, unreadable or non-capture file', async () => {
    const none = await readCaptureFile(join(dir, 'nope.pcap'), { onRecord: () => undefined });
    expect(none.error).toMatchObject({ code: 'ERR_FILE_NOT_FOUND', hint: expect.stringContaining('path') });
    const folder = await readCaptureFile(dir, { onRecord: () => undefined });
    expect(folder.error).toMatchObject({ code: 'ERR_FILE_UNREADABLE' });
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello, this is not a capture');
    const bad = await readCaptureFile(text, { onRecord: () => undefined });
    expect(bad.error).toMatchObject({ code: 'ERR_NOT_A_CAPTURE', offset: 0 });
    expect(bad.error!.message).toContain('68 65 6c 6c');
  });

  it('stops when aborted', async () => {
    const file = join(dir, 'abort.pcap');
    writeFileSync(file, pcapBytes(3000, 1400));
    const ctl = new AbortController();
    let n = 0;
    const res = await readCaptureFile(file, { onRecord: () => { if (++n === 10) ctl.abort(); }, signal: ctl.signal });
    expect(res.count).toBe(10);
    expect(res.error?.code).toBe('ERR_ABORTED');
  });
});

describe('writeCaptureFileAtomic', () => {
  const base = mkdtempSync(join(tmpdir(), 'nlA-write-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('replaces the target only when the whole file is written', async () => {
    const target = join(base, 'ok.pcapng');
    writeFileSync(target, 'old');
    const res = await writeCaptureFileAtomic(target, { format: 'pcapng', interfaces: [ETH], records: packets(100, 60) });
    expect(res.count).toBe(100);
    expect(readFileSync(target).length).toBe(res.bytes);
    expect(readdirSync(base)).toEqual(['ok.pcapng']);
    const back = await readCaptureFile(target, { onRecord: () => undefined });
    expect(back).toMatchObject({ format: 'pcapng', count: 100, error: null });
  });

  it('on a full disk: ERR_DISK_FULL, the old file intact or no file, no temp file left', async () => {
    const mnt = join(base, 'nlA-tmpfs');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'nlA-tmpfs', mnt]);
    try {
      const target = join(mnt, 'capture.pcapng');
      writeFileSync(target, 'previous capture');
      // ~150 KB of packets into 64 KiB: the write fails part-way.
      await expect(writeCaptureFileAtomic(target, { format: 'pcapng', interfaces: [ETH], records: packets(100, 1500) })).rejects.toMatchObject({
        code: 'ERR_DISK_FULL', message: expect.stringContaining('disk is full'), hint: expect.stringContaining('Free some space'),
      });
      expect(readFileSync(target, 'utf8')).toBe('previous capture');
      expect(readdirSync(mnt)).toEqual(['capture.pcapng']);

      const fresh = join(mnt, 'new.pcap');
      await expect(writeCaptureFileAtomic(fresh, { format: 'pcap', interfaces: [ETH], records: packets(100, 1500) })).rejects.toMatchObject({ code: 'ERR_DISK_FULL' });
      expect(existsSync(fresh)).toBe(false);
      expect(readdirSync(mnt)).toEqual(['capture.pcapng']);

      // A read-only filesystem (root ignores file modes, so remount): ERR_WRITE_FAILED, nothing touched.
      execFileSync('mount', ['-o', 'remount,ro', mnt]);
      await expect(writeCaptureFileAtomic(target, { format: 'pcapng', interfaces: [ETH], records: packets(1, 60) })).rejects.toMatchObject({ code: 'ERR_WRITE_FAILED', hint: expect.any(String) });
      expect(readFileSync(target, 'utf8')).toBe('previous capture');
    } finally {
      execFileSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  });

  it('reports a missing folder as ERR_WRITE_FAILED', async () => {
    await expect(writeCaptureFileAtomic(join(base, 'no', 'such', 'dir.pcap'), { format: 'pcap', interfaces: [ETH], records: packets(1, 60) })).rejects.toMatchObject({ code: 'ERR_WRITE_FAILED' });
  });
});
