import { describe, expect, it } from 'vitest';
import type { PacketRecord } from '../../../../core/capfile/record.js';
import { CHUNK_SIZE, PacketStore } from '../../../../core/store/packet-store.js';

function rec(i: number, len: number): PacketRecord {
  const data = new Uint8Array(len);
  for (let k = 0; k < len; k++) data[k] = (i + k) & 0xff;
  return { tsSec: 1_764_000_000 + i, tsNsec: i * 1000, capLen: len, origLen: len + 4, interfaceId: i % 3, linkType: i % 2 ? 1 : 276, data, fileOffset: i * 100, comment: i === 7 ? 'seven' : undefined };
}

describe('PacketStore', () => {
  it('stores thousands of packets across chunks and gives them back by 1-based frame number', () => {
    const s = new PacketStore();
    const n = 6000;
    const lens = (i: number): number => 60 + ((i * 977) % 1500);
    for (let i = 0; i < n; i++) expect(s.append(rec(i, lens(i)))).toBe(i + 1);
    expect(s.count).toBe(n);
    expect(s.tsSec.length).toBeGreaterThanOrEqual(n); // columns grew by doubling from 1024
    const out = rec(0, 0);
    for (const num of [1, 2, 1024, 1025, 2500, n]) {
      const r = s.get(num, out);
      const want = rec(num - 1, lens(num - 1));
      expect(r).toBe(out);
      expect({ ...r, data: Array.from(r.data) }).toEqual({ ...want, data: Array.from(want.data) });
      expect(Array.from(s.bytes(num))).toEqual(Array.from(want.data));
    }
    expect(s.byteCapacity).toBe(2 * CHUNK_SIZE); // ~4.9 MB of packets: two chunks, no object per packet
  });

  it('gives a record larger than a chunk a chunk of its own', () => {
    const s = new PacketStore();
    s.append(rec(1, 100));
    s.append(rec(2, CHUNK_SIZE + 10));
    s.append(rec(3, 50));
    expect(s.bytes(2).length).toBe(CHUNK_SIZE + 10);
    expect(s.bytes(2)[CHUNK_SIZE + 9]).toBe((2 + CHUNK_SIZE + 9) & 0xff);
    expect(Array.from(s.bytes(3))).toEqual(Array.from(rec(3, 50).data));
    expect(Array.from(s.bytes(1))).toEqual(Array.from(rec(1, 100).data));
  });

  it('refuses frame numbers it does not hold, and clears', () => {
    const s = new PacketStore();
    s.append(rec(0, 10));
    expect(() => s.get(0)).toThrow(RangeError);
    expect(() => s.get(2)).toThrow(/frames 1 to 1/);
    s.clear();
    expect(s.count).toBe(0);
    expect(() => s.bytes(1)).toThrow(RangeError);
  });
});
