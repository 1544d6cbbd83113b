// How a Wire message rides one WebSocket frame. Messages without binary data go as text (JSON);
// messages carrying ArrayBuffers (file chunks, packet batches, a logo) go as ONE binary frame, so a
// batch of thousands of packets is one frame and is never re-encoded as JSON or base64:
//
//   u32 LE  json byte length
//   ...     JSON of the message, each ArrayBuffer replaced by {"$ab": index}
//   u32 LE  number of buffers, then u32 LE length of each
//   ...     the buffers' bytes, back to back
//
// Runs in Node and in the browser (TextEncoder, DataView only).

import type { Wire } from './channel.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

export function encodeWire(msg: Wire): string | Uint8Array {
  const buffers: ArrayBuffer[] = [];
  const json = JSON.stringify(msg, (_k, v: unknown) => {
    // By tag, not instanceof: a buffer made in another realm (a worker, an iframe, Node's side of
    // jsdom) is still an ArrayBuffer and must not be flattened to {}.
    if (Object.prototype.toString.call(v) === '[object ArrayBuffer]') {
      buffers.push(v as ArrayBuffer);
      return { $ab: buffers.length - 1 };
    }
    if (ArrayBuffer.isView(v)) throw new TypeError('send ArrayBuffers, not typed-array views, over the API');
    return v;
  });
  if (buffers.length === 0) return json;
  const head = enc.encode(json);
  let total = 4 + head.length + 4 + 4 * buffers.length;
  for (const b of buffers) total += b.byteLength;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, head.length, true);
  out.set(head, 4);
  let p = 4 + head.length;
  dv.setUint32(p, buffers.length, true);
  p += 4;
  for (const b of buffers) {
    dv.setUint32(p, b.byteLength, true);
    p += 4;
  }
  for (const b of buffers) {
    out.set(new Uint8Array(b), p);
    p += b.byteLength;
  }
  return out;
}

/** Decodes a frame; throws on anything malformed (the bridge drops such a peer). */
export function decodeWire(data: string | Uint8Array): Wire {
  if (typeof data === 'string') return checkShape(JSON.parse(data));
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const need = (n: number) => {
    if (n > data.byteLength) throw new RangeError('truncated API frame');
  };
  need(4);
  const jsonLen = dv.getUint32(0, true);
  need(4 + jsonLen + 4);
  const json = dec.decode(data.subarray(4, 4 + jsonLen));
  let p = 4 + jsonLen;
  const n = dv.getUint32(p, true);
  p += 4;
  need(p + 4 * n);
  const lens: number[] = [];
  for (let i = 0; i < n; i++, p += 4) lens.push(dv.getUint32(p, true));
  const buffers: ArrayBuffer[] = [];
  for (const len of lens) {
    need(p + len);
    // A copy into a fresh ArrayBuffer: the frame's buffer may be pooled (Node) and the receiver owns it.
    buffers.push(data.slice(p, p + len).buffer);
    p += len;
  }
  return checkShape(JSON.parse(json, (_k, v: unknown) => {
    if (typeof v === 'object' && v !== null && '$ab' in v) {
      const i = (v as { $ab: unknown }).$ab;
      if (typeof i !== 'number' || !(i in buffers)) throw new RangeError('bad buffer reference in API frame');
      return buffers[i];
    }
    return v;
  }));
}

function checkShape(v: unknown): Wire {
  const o = v as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null) throw new TypeError('API frame is not an object');
  if (o.t === 'call' && typeof o.id === 'number' && typeof o.method === 'string') return o as Wire;
  if (o.t === 'result' && typeof o.id === 'number' && typeof o.result === 'object') return o as Wire;
  if (o.t === 'event' && typeof o.name === 'string') return o as Wire;
  throw new TypeError('API frame has an unknown shape');
}
