import { describe, expect, it } from 'vitest';
import type { PacketRecord } from '../../../../core/capfile/record.js';
import { decodeBatch, encodeBatch } from '../../../../electron/api/packet-batch.js';

const rec = (i: number, len: number): PacketRecord => ({
  tsSec: 1_700_000_000 + i, tsNsec: 123_456_789 - i, capLen: len, origLen: len + 10, interfaceId: i % 3, linkType: 1,
  data: new Uint8Array(len).map((_, j) => (i + j) & 0xff), fileOffset: 0,
});

describe('packet batches', () => {
  it('round-trips records of every length (alignment padding included) in one buffer', () => {
    const recs = Array.from({ length: 20 }, (_, i) => rec(i, i * 7));
    const buf = encodeBatch(recs);
    const out: PacketRecord[] = [];
    const n = decodeBatch(buf, (r) => out.push({ ...r, data: r.data.slice() }));
    expect(n).toBe(20);
    out.forEach((r, i) => expect({ ...r, fileOffset: 0 }).toEqual(recs[i]));
  });

  it('stops cleanly at a damaged tail', () => {
    const buf = encodeBatch([rec(1, 60), rec(2, 60)]);
    expect(decodeBatch(buf.slice(0, buf.byteLength - 10), () => {})).toBe(1);
  });
});
