import { describe, expect, it } from 'vitest';
import { createCaptureReader } from '../../../../core/capfile/reader.js';
import type { PacketRecord } from '../../../../core/capfile/record.js';
import { concat, epb, idb, payload, pcapHeader, pcapRecord, shb } from './bytes.js';

function feed(bytes: Uint8Array, chunk: number): { objs: PacketRecord[]; lens: number[]; reader: ReturnType<typeof createCaptureReader> } {
  const objs: PacketRecord[] = [];
  const lens: number[] = [];
  const reader = createCaptureReader((r) => {
    objs.push(r);
    lens.push(r.capLen);
  });
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, i + chunk));
  reader.end();
  return { objs, lens, reader };
}

describe('createCaptureReader', () => {
  it('detects pcap, nanosecond pcap and pcapng from the magic, even fed a byte at a time', () => {
    const cases: [Uint8Array, string][] = [
      [concat(pcapHeader(), pcapRecord(1, 2, payload(3))), 'pcap'],
      [concat(pcapHeader({ nsec: true, le: false }), pcapRecord(1, 2, payload(3), 3, false)), 'pcap-nsec'],
      [concat(shb(false), idb(false, 1, 0), epb(false, 0, 0, 0, payload(3))), 'pcapng'],
    ];
    for (const [file, format] of cases) {
      const { lens, reader } = feed(file, 1);
      expect(reader.format).toBe(format);
      expect(reader.error).toBeNull();
      expect(lens).toEqual([3]);
      expect(reader.interfaces).toHaveLength(1);
      expect(reader.bytesConsumed).toBe(file.length);
    }
  });

  it('hands out one reused record object (no allocation per packet)', () => {
    const { objs } = feed(concat(pcapHeader(), ...Array.from({ length: 5 }, (_, i) => pcapRecord(i, 0, payload(i + 1)))), 4096);
    expect(objs).toHaveLength(5);
    expect(new Set(objs).size).toBe(1);
  });

  it('names what it found when the file is not a capture', () => {
    const { reader } = feed(new TextEncoder().encode('{"not": "a capture"}'), 3);
    expect(reader.error).toMatchObject({ code: 'ERR_NOT_A_CAPTURE', offset: 0 });
    expect(reader.error!.message).toContain('7b 22 6e 6f');
    expect(reader.error!.hint).toMatch(/pcap/);
  });

  it('reports empty and too-short input', () => {
    expect(feed(new Uint8Array(0), 1).reader.error?.code).toBe('ERR_NOT_A_CAPTURE');
    expect(feed(Uint8Array.of(0xd4, 0xc3), 1).reader.error?.code).toBe('ERR_TRUNCATED');
    expect(feed(pcapHeader().subarray(0, 10), 1).reader.error?.offset).toBe(0);
  });

  it('notifies interfaces before the records that use them', () => {
    const order: string[] = [];
    const r = createCaptureReader(
      (rec) => order.push(`rec ${rec.interfaceId}`),
      (ifc, i) => order.push(`if ${i} ${ifc.name}`),
    );
    r.push(concat(shb(true), idb(true, 1, 0, [[2, 'a']]), epb(true, 0, 0, 0, payload(1)), idb(true, 1, 0, [[2, 'b']]), epb(true, 1, 0, 0, payload(1))));
    r.end();
    expect(order).toEqual(['if 0 a', 'rec 0', 'if 1 b', 'rec 1']);
  });

  it('ignores input after an error and never throws on random bytes', () => {
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const base = concat(shb(true), idb(true, 1, 0), ...Array.from({ length: 8 }, (_, i) => epb(true, 0, 0, i, payload(30 + i))));
    for (let trial = 0; trial < 300; trial++) {
      const f = base.slice();
      for (let k = 0; k < 4; k++) f[8 + (rnd() * 7 + rnd()) % (f.length - 8)] = rnd();
      const { reader } = feed(f, 1 + (trial % 13));
      if (reader.error) expect(reader.error.offset).toBeLessThanOrEqual(f.length);
    }
  });
});
