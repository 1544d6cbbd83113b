// The worker's session over real captures (test/fixtures/l3, made by tcpdump; see its README),
// checked against tshark 4.0.17 run on the same files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureSession } from '../../../../renderer/engine/session.js';

const FILES = ['test/fixtures/l3/l3-ipv4.pcap', 'test/fixtures/l3/l3-eth.pcap'];

function load(path: string, chunk = 1000): CaptureSession {
  const s = new CaptureSession();
  const b = readFileSync(path);
  for (let i = 0; i < b.length; i += chunk) s.push(b.buffer.slice(b.byteOffset + i, b.byteOffset + Math.min(b.length, i + chunk)) as ArrayBuffer);
  s.end();
  return s;
}

function tshark(path: string, fields: string[]): string[][] {
  const out = execFileSync('tshark', ['-n', '-r', path, '-T', 'fields', '-E', 'separator=/t', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' });
  return out.trimEnd().split('\n').map((l) => l.split('\t'));
}

describe('CaptureSession (the engine worker) on real captures', () => {
  for (const f of FILES) {
    // Source/Destination/Info come from the dissectors and are compared with tshark by their owners.
    it(`lists every frame of ${f} with tshark's number and length`, () => {
      const s = load(f);
      const ref = tshark(f, ['frame.number', 'frame.len']);
      const st = s.end();
      expect(st.error).toBeNull();
      expect(st.count).toBe(ref.length);
      const rows = s.rows(0, st.count);
      expect(rows.map((r) => [String(r.num), String(r.length)])).toEqual(ref);
      expect(rows.every((r) => /^\d+\.\d{6}$/.test(r.time))).toBe(true);
    });
  }

  it('builds the detail of a frame with byte ranges inside its data sources and a copy of the bytes', () => {
    const s = load(FILES[1]);
    const d = s.detail(1)!;
    expect(d.sources[0].name).toMatch(/^Frame \(\d+ bytes\)$/);
    expect(d.items[0].label).toMatch(/^Frame 1: /);
    for (const it of d.items) {
      expect(it.start + it.length).toBeLessThanOrEqual(d.sources[it.source].bytes.length);
      if (it.parent >= 0) expect(it.parent).toBeLessThan(d.items.indexOf(it));
    }
    expect(d.items.some((i) => i.abbrev === 'eth.src')).toBe(true);
    expect(s.detail(0)).toBeNull();
    expect(s.detail(10_000)).toBeNull();
  });

  it('reports a damaged file with the offset, keeping the frames before the damage', () => {
    const b = readFileSync(FILES[0]);
    const s = new CaptureSession();
    s.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.length - 5) as ArrayBuffer);
    const st = s.end();
    expect(st.error?.code).toBe('ERR_TRUNCATED');
    expect(st.count).toBe(tshark(FILES[0], ['frame.number']).length - 1);
  });

  it('exports pcap and pcapng that tshark reads back with the same frames', () => {
    const s = load(FILES[1]);
    const dir = mkdtempSync(join(tmpdir(), 'nlH-export-'));
    try {
      for (const fmt of ['pcap', 'pcapng'] as const) {
        const p = join(dir, `out.${fmt}`);
        writeFileSync(p, new Uint8Array(s.exportFile(fmt, 'all')));
        expect(tshark(p, ['frame.number', 'frame.len', 'eth.src'])).toEqual(tshark(FILES[1], ['frame.number', 'frame.len', 'eth.src']));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
