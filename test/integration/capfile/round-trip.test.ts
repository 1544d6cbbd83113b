// Real parts: corpus captures read by our reader into the packet store, saved by our writers through
// writeCaptureFileAtomic, then judged by capinfos and tshark 4.0: no warning, same frames, same
// timestamps and lengths, same bytes (tshark -x hex dumps).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaptureInterface, PacketRecord } from '../../../core/capfile/record.js';
import { PacketStore } from '../../../core/store/packet-store.js';
import { readCaptureFile, writeCaptureFileAtomic } from '../../../electron/services/capture-file.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CORPUS = resolve(ROOT, '../shared/corpus');

function tshark(args: string[]): { out: string; err: string } {
  const r = spawnSync('tshark', ['-n', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(r.status, r.stderr).toBe(0);
  return { out: r.stdout, err: r.stderr.split('\n').filter((l) => l && !l.startsWith('Running as user')).join('\n') };
}

/** time_epoch, len, cap_len per packet (custom blocks, which tshark lists as frames with neither time nor interface, dropped). */
function frames(file: string): string[] {
  return tshark(['-r', file, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.interface_id']).out
    .split('\n').filter((l) => l && !(l.startsWith('\t') && l.endsWith('\t')))
    // An SPB carries no timestamp; rewritten as an EPB it says 0.
    .map((l) => l.split('\t').slice(0, 3).join('\t').replace(/^\t/, '0.000000000\t'));
}

async function load(file: string): Promise<{ store: PacketStore; interfaces: CaptureInterface[] }> {
  const store = new PacketStore();
  const res = await readCaptureFile(file, { onRecord: (r) => store.append(r) });
  expect(res.error).toBeNull();
  return { store, interfaces: res.interfaces };
}

async function* records(store: PacketStore): AsyncIterable<PacketRecord> {
  const out = store.get(1);
  for (let n = 1; n <= store.count; n++) yield store.get(n, out);
}

function capinfosClean(file: string): number {
  const r = spawnSync('capinfos', ['-T', '-r', '-c', file], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return Number(r.stdout.trim().split('\t')[1]);
}

describe.skipIf(!existsSync(CORPUS))('capture-file round trip, judged by capinfos and tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlA-roundtrip-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: { src: string; formats: { format: 'pcap' | 'pcapng'; nanosecond: boolean }[]; hex: boolean }[] = [
    // 174 Ethernet frames, microsecond pcapng.
    { src: 'tcpdump-tests/of13_ericsson.pcapng', formats: [{ format: 'pcap', nanosecond: false }, { format: 'pcapng', nanosecond: true }], hex: true },
    // Nanosecond timestamps (if_tsresol 9): pcap-nsec and pcapng keep every digit.
    { src: 'tcpdump-tests/vsock-1.pcapng', formats: [{ format: 'pcap', nanosecond: true }, { format: 'pcapng', nanosecond: true }], hex: true },
    // Big-endian, several interfaces of different link types, SPBs and custom blocks.
    { src: 'pcapng-tests/output_be/advanced/test100.pcapng', formats: [{ format: 'pcapng', nanosecond: true }], hex: false },
    { src: 'pcapng-tests/output_le/difficult/test202.pcapng', formats: [{ format: 'pcapng', nanosecond: false }], hex: false },
  ];

  for (const c of cases) {
    for (const f of c.formats) {
      it(`${c.src} -> ${f.format}${f.nanosecond ? ' (ns)' : ''}`, async () => {
        const src = join(CORPUS, c.src);
        const { store, interfaces } = await load(src);
        expect(store.count).toBeGreaterThan(0);
        const out = join(dir, `${c.src.replace(/\//g, '_')}.${f.nanosecond ? 'ns' : 'us'}.${f.format}`);
        const res = await writeCaptureFileAtomic(out, { format: f.format, nanosecond: f.nanosecond, interfaces, records: records(store) });
        expect(res.count).toBe(store.count);
        expect(capinfosClean(out)).toBe(store.count);
        const t = tshark(['-r', out, '-c', '1']);
        expect(t.err).toBe('');
        expect(frames(out)).toEqual(frames(src));
        if (c.hex) expect(tshark(['-r', out, '-x']).out).toBe(tshark(['-r', src, '-x']).out);
        if (f.format === 'pcapng') {
          const info = execFileSync('capinfos', ['-k', '-F', out], { encoding: 'utf8' });
          expect(info).toMatch(/NetLab Workbench/);
        }
        // And our own reader reads back what it wrote, byte for byte.
        const back = await load(out);
        expect(back.store.count).toBe(store.count);
        for (let n = 1; n <= store.count; n++) expect(back.store.bytes(n)).toEqual(store.bytes(n));
      });
    }
  }

  it('refuses to save several link types as pcap, leaving no file', async () => {
    const { store, interfaces } = await load(join(CORPUS, 'pcapng-tests/output_be/advanced/test100.pcapng'));
    const out = join(dir, 'mixed.pcap');
    await expect(writeCaptureFileAtomic(out, { format: 'pcap', interfaces, records: records(store) })).rejects.toMatchObject({
      code: 'ERR_WRITE_FAILED', message: expect.stringContaining('pcap holds exactly one'), hint: expect.stringContaining('pcapng'),
    });
    expect(existsSync(out)).toBe(false);
  });
});
