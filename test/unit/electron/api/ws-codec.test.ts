import { describe, expect, it } from 'vitest';
import type { Wire } from '../../../../electron/api/channel.js';
import { decodeWire, encodeWire } from '../../../../electron/api/ws-codec.js';

describe('WebSocket frame codec', () => {
  it('sends plain messages as JSON text', () => {
    const m: Wire = { t: 'call', id: 1, method: 'server.start', arg: { port: 27003 } };
    const f = encodeWire(m);
    expect(typeof f).toBe('string');
    expect(decodeWire(f)).toEqual(m);
  });

  it('sends messages with buffers as one binary frame, buffers intact and in place', () => {
    const a = new Uint8Array([1, 2, 3]).buffer;
    const b = new Uint8Array(70_000).fill(7).buffer;
    const m: Wire = { t: 'event', name: 'capture.packets', payload: { id: 1, batch: a, more: [b, { x: a }] } };
    const f = encodeWire(m);
    expect(f).toBeInstanceOf(Uint8Array);
    const back = decodeWire(f) as Extract<Wire, { t: 'event' }>;
    const p = back.payload as { batch: ArrayBuffer; more: [ArrayBuffer, { x: ArrayBuffer }] };
    expect([...new Uint8Array(p.batch)]).toEqual([1, 2, 3]);
    expect(p.more[0].byteLength).toBe(70_000);
    expect(new Uint8Array(p.more[0])[69_999]).toBe(7);
    expect([...new Uint8Array(p.more[1].x)]).toEqual([1, 2, 3]);
  });

  it('refuses typed-array views (only whole ArrayBuffers travel) and malformed frames', () => {
    expect(() => encodeWire({ t: 'event', name: 'x', payload: new Uint8Array(2) })).toThrow(/ArrayBuffers/);
    expect(() => decodeWire('{"t":"bogus"}')).toThrow(/unknown shape/);
    expect(() => decodeWire(new Uint8Array([255, 255, 0, 0]))).toThrow(/truncated/);
    const f = encodeWire({ t: 'event', name: 'x', payload: new ArrayBuffer(4) }) as Uint8Array;
    expect(() => decodeWire(f.subarray(0, f.length - 2))).toThrow(/truncated/);
  });
});
