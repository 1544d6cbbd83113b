// The helper's stdout framing (native/src/helper-protocol.h) as the supervisor parses it: frames split
// anywhere across chunks, a stream cut mid-frame (helper killed), and a foreign stream.
import { describe, expect, it } from 'vitest';
import { HelperStreamParser, forEachRecord, type HelperEvent } from '../../../native/helper-protocol.js';

function frame(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, payload.length, true);
  out.set(payload, 8);
  return out;
}
const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

function record(sec: number, nsec: number, data: number[], origLen = data.length): Uint8Array {
  const out = new Uint8Array(16 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, sec, true);
  dv.setUint32(4, nsec, true);
  dv.setUint32(8, data.length, true);
  dv.setUint32(12, origLen, true);
  out.set(data, 16);
  return out;
}

function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const hello = { version: 1, device: 'lo', linkType: 1, snaplen: 262144, tsPrecision: 'nano', filter: '', pid: 42 };
const records = cat(new Uint8Array([2, 0, 0, 0]), record(1700000000, 123456789, [1, 2, 3], 60), record(1700000001, 5, []));
const stats = new Uint8Array(32);
new DataView(stats.buffer).setBigUint64(0, 10n, true);
new DataView(stats.buffer).setBigUint64(8, 3n, true);
new DataView(stats.buffer).setBigUint64(24, 2n, true);
const stream = cat(new TextEncoder().encode('NLCAP01\n'), frame(1, json(hello)), frame(2, records), frame(3, stats), frame(5, json({ reason: 'signal' })));

describe('HelperStreamParser', () => {
  it('decodes every frame whatever the chunking, down to one byte at a time', () => {
    for (const size of [1, 3, 7, 64, stream.length]) {
      const p = new HelperStreamParser();
      const events: HelperEvent[] = [];
      for (let i = 0; i < stream.length; i += size) events.push(...p.push(stream.slice(i, i + size)));
      expect(events.map((e) => e.type)).toEqual(['hello', 'records', 'stats', 'end']);
      expect(events[0]).toEqual({ type: 'hello', hello });
      expect(events[2]).toEqual({ type: 'stats', stats: { received: 10, dropped: 3, ifDropped: 0, captured: 2 } });
      expect(events[3]).toEqual({ type: 'end', reason: 'signal' });
      const r = events[1] as Extract<HelperEvent, { type: 'records' }>;
      expect(r.count).toBe(2);
      const seen: unknown[] = [];
      expect(forEachRecord(r.batch, (x) => seen.push({ ...x, data: [...x.data] }))).toBe(2);
      expect(seen).toEqual([
        { tsSec: 1700000000, tsNsec: 123456789, capLen: 3, origLen: 60, data: [1, 2, 3] },
        { tsSec: 1700000001, tsNsec: 5, capLen: 0, origLen: 0, data: [] },
      ]);
      expect(p.pendingBytes).toBe(0);
    }
  });

  it('keeps the complete frames of a stream cut mid-frame', () => {
    const p = new HelperStreamParser();
    const cut = stream.length - 10;
    const events = p.push(stream.slice(0, cut));
    expect(events.map((e) => e.type)).toEqual(['hello', 'records', 'stats']);
    expect(p.pendingBytes).toBeGreaterThan(0);
  });

  it('rejects a stream that is not the helper\'s', () => {
    expect(() => new HelperStreamParser().push(new TextEncoder().encode('{"code":"ERR"}\n'))).toThrow(/not a netlab-capture stream/);
  });

  it('reports a truncated record batch with its offset', () => {
    expect(() => forEachRecord(record(1, 2, [1, 2, 3]).slice(0, 18), () => {})).toThrow(/truncated at byte 0/);
  });
});
