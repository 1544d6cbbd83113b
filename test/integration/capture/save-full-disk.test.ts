// Proof (6) of issue 7: "Save as" onto a small, nearly full tmpfs. The save fails with a clear
// {code, message, hint}, the target is left absent (or, if it existed, untouched), and no partial
// file remains; a save that fits (the displayed frames only) is complete and tshark reads it.
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapture } from '../../../electron/services/capture/capture-supervisor.js';
import { saveCapture } from '../../../electron/services/capture/save-capture.js';
import { capinfosCount, sh, shQuiet, tmp, waitFor } from './helpers.js';

describe('Save as onto a full disk', () => {
  const dir = tmp('save');
  const mnt = join(dir, 'small');
  const spool = join(dir, 'spool.pcapng');

  beforeAll(async () => {
    mkdirSync(mnt);
    sh('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'nlF-full', mnt]);
    // A real capture of about 1.2 MB: 1,000 datagrams of 1,200 bytes on lo.
    const session = await startCapture({ device: 'lo', filter: 'udp port 25040', spoolPath: spool });
    const rx = createSocket('udp4');
    await new Promise<void>((r) => rx.bind(25040, '127.0.0.1', r));
    const tx = createSocket('udp4');
    for (let i = 0; i < 1000; i++) await new Promise<void>((r) => tx.send(Buffer.alloc(1200, i & 255), 25040, '127.0.0.1', () => r()));
    tx.close();
    rx.close();
    await waitFor(() => session.packets === 1000, '1000 packets in the spool');
    await session.stop();
  });
  afterAll(() => {
    shQuiet('umount', [mnt]);
  });

  it('fails clearly, leaves no target and no partial file', async () => {
    const target = join(mnt, 'lab.pcapng');
    const err = await saveCapture(spool, target).then(() => null, (e: unknown) => e as { code: string; message: string; hint: string });
    expect(err).not.toBeNull();
    expect(err!.code).toBe('ERR_DISK_FULL');
    expect(err!.message).toMatch(/disk is full/);
    expect(err!.hint).toMatch(/Free some space/);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(mnt)).toEqual([]);
  });

  it('leaves an existing file untouched when the new one does not fit', async () => {
    const target = join(mnt, 'old.pcap');
    writeFileSync(target, 'previous contents');
    await expect(saveCapture(spool, target, { format: 'pcap' })).rejects.toMatchObject({ code: 'ERR_DISK_FULL' });
    expect(readFileSync(target, 'utf8')).toBe('previous contents');
    expect(readdirSync(mnt)).toEqual(['old.pcap']);
  });

  it('saves only the displayed frames when they fit, complete and readable by tshark', async () => {
    const target = join(mnt, 'shown.pcap');
    const shown = new Set([1, 2, 3, 500, 1000]);
    const r = await saveCapture(spool, target, { format: 'pcap', frames: shown });
    expect(r.packets).toBe(5);
    expect(capinfosCount(target)).toBe(5);
    const lens = sh('tshark', ['-n', '-r', target, '-T', 'fields', '-e', 'udp.length', '-e', 'data.data']).trim().split('\n');
    // Datagram i is filled with byte i & 255: frame 500 is datagram 499 (0xf3), frame 1000 is 999 (0xe7).
    expect(lens.map((l) => l.split('\t')[1]!.slice(0, 2))).toEqual(['00', '01', '02', 'f3', 'e7']);
  });
});
