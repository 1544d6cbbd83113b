// The API's capture port over the real capture helper and libpcap (electron/api/services.ts): live
// records reach the UI as coalesced packet-batch buffers holding exactly the spooled bytes, "Save as"
// rewrites the spool (all or chosen frames) as tshark reads it, and misuse answers {code, message, hint}.
// Traffic: UDP datagrams to 127.0.0.1, to a socket of ours bound on a port the kernel picked.
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaptureStats } from '../../../electron/api/contract.js';
import { type ApiError, toApiError } from '../../../electron/api/errors.js';
import { decodeBatch } from '../../../electron/api/packet-batch.js';
import { createCapturePort } from '../../../electron/api/services.js';
import { freePort } from '../../support/workbench-ui.js';

const N = 2000;
const dir = mkdtempSync(join(tmpdir(), 'nlJ-svc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fail = async (p: Promise<unknown>): Promise<ApiError> => {
  try {
    await p;
  } catch (e) {
    // What the API host does with anything a port throws.
    return toApiError(e);
  }
  throw new Error('expected a failure');
};
const tshark = (path: string, args: string[]) =>
  execFileSync('tshark', ['-n', '-r', path, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd().split('\n').filter((l) => l !== '');

describe('createCapturePort (real helper on lo)', () => {
  it('streams coalesced batches equal to the spool, saves all or chosen frames, refuses misuse', async () => {
    const port = createCapturePort();
    // The receiver first, on a port nothing else uses: the capture filter names it.
    const rx = dgram.createSocket('udp4');
    await new Promise<void>((r) => rx.bind(0, '127.0.0.1', () => r()));
    const PORT = rx.address().port;
    try {
      expect((await fail(port.save({ path: join(dir, 'x.pcapng'), format: 'pcapng' }))).code).toBe('ERR_NOTHING_TO_SAVE');
      expect(await port.checkFilter({ filter: `udp port ${PORT}`, linkType: 1 })).toEqual({ ok: true });
      const bad = await port.checkFilter({ filter: 'udp prot 1', linkType: 1 });
      expect(bad.ok).toBe(false);
      const noDev = await fail(port.start({ iface: 'nlJ-nonexistent0', filter: '', snaplen: 262144, promisc: false }, { packets() {}, stats() {}, ended() {} }));
      expect(noDev.code).toMatch(/^ERR_CAPTURE_/);
      expect(noDev.hint.length).toBeGreaterThan(10);

      const batches: { buf: ArrayBuffer; count: number }[] = [];
      let stats: CaptureStats | null = null;
      let ended: { error?: ApiError } | null = null;
      const { linkType } = await port.start({ iface: 'lo', filter: `udp dst port ${PORT}`, snaplen: 262144, promisc: false }, {
        packets: (buf, count) => batches.push({ buf, count }),
        stats: (s) => { stats = s; },
        ended: (error) => { ended = error ? { error } : {}; },
      });
      expect(linkType).toBe(1);
      expect((await fail(port.start({ iface: 'lo', filter: '', snaplen: 262144, promisc: false }, { packets() {}, stats() {}, ended() {} }))).code).toBe('ERR_CAPTURE_RUNNING');

      const tx = dgram.createSocket('udp4');
      for (let i = 0; i < N; i++) {
        const b = Buffer.alloc(32);
        b.writeUInt32BE(i, 0);
        await new Promise<void>((r) => tx.send(b, PORT, '127.0.0.1', () => r()));
      }
      const t0 = Date.now();
      while (batches.reduce((n, b) => n + b.count, 0) < N && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
      expect((await fail(port.save({ path: join(dir, 'early.pcapng'), format: 'pcapng' }))).code).toBe('ERR_CAPTURE_RUNNING');
      const final = await port.stop();
      tx.close();
      expect(final.captured).toBe(N);
      expect(final.dropped).toBe(0);
      expect(ended).toEqual({});
      expect(stats).toEqual(final);

      // Coalesced: far fewer messages than packets, and the payloads in order.
      const total = batches.reduce((n, b) => n + b.count, 0);
      expect(total).toBe(N);
      expect(batches.length).toBeLessThan(N / 10);
      const seen: number[] = [];
      const lens: number[] = [];
      for (const b of batches) {
        expect(decodeBatch(b.buf, (r) => {
          expect(r.linkType).toBe(1);
          seen.push(new DataView(r.data.buffer, r.data.byteOffset + 42).getUint32(0));
          lens.push(r.origLen);
        })).toBe(b.count);
      }
      expect(seen).toEqual(Array.from({ length: N }, (_, i) => i));

      // Save all as pcap: tshark reads the same N frames, lengths as the batches said.
      const all = join(dir, 'all.pcap');
      expect(await port.save({ path: all, format: 'pcap' })).toEqual({ path: all, count: N });
      expect(tshark(all, ['-T', 'fields', '-e', 'frame.len']).map(Number)).toEqual(lens);
      // Chosen frames ("displayed") only, as pcapng.
      const some = join(dir, 'some.pcapng');
      expect(await port.save({ path: some, format: 'pcapng', frames: [1, 7, 2000] })).toEqual({ path: some, count: 3 });
      expect(tshark(some, ['-T', 'fields', '-e', 'data.data']).map((h) => parseInt(h.slice(0, 8), 16))).toEqual([0, 6, 1999]);
      const traffic = await port.traffic();
      expect(traffic.find((t) => t.name === 'lo')!.packets).toBeGreaterThanOrEqual(N);
    } finally {
      rx.close();
      await port.dispose();
    }
  }, 60_000);

  it('deletes its spool files when disposed', async () => {
    const port = createCapturePort();
    await port.start({ iface: 'lo', filter: `udp dst port ${await freePort('udp')}`, snaplen: 262144, promisc: false }, { packets() {}, stats() {}, ended() {} });
    await port.stop();
    const saved = join(dir, 'one.pcapng');
    await port.save({ path: saved, format: 'pcapng' });
    const spools = execFileSync('ls', [tmpdir()], { encoding: 'utf8' }).split('\n').filter((f) => f.startsWith('netlab_') && f.includes(`_${process.pid}_`));
    expect(spools.length).toBeGreaterThan(0);
    await port.dispose();
    for (const f of spools) expect(existsSync(join(tmpdir(), f))).toBe(false);
    expect(existsSync(saved)).toBe(true);
  });
});
