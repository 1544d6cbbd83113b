import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../../../../core/dissect/index.js';
import { dissect, ourFields, readPcap, tsharkFields } from './tshark-compare.js';

// TCP stream numbering (tcp.stream) from the 4-tuple table in tcp.ts (a numeric hash into an
// open-addressing table, no string keys): checked against tshark 4.0.17 on a capture made here of
// enough conversations to make the table grow several times, over IPv4 and IPv6, with the same
// 4-tuple reused by a SYN with a new ISN (Wireshark starts a new stream then) and segments of older
// conversations interleaved after many new ones.

const dir = mkdtempSync(join(tmpdir(), 'nlP-streams-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sum16(b: Uint8Array, from: number, to: number, init = 0): number {
  let s = init;
  for (let i = from; i < to; i += 2) s += (b[i] << 8) | (i + 1 < to ? b[i + 1] : 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** One Ethernet frame holding a 20-byte TCP header (no payload) from a:ap to b:bp. */
function frame(v6: boolean, a: number, ap: number, b: number, bp: number, flags: number, seq: number, ack: number): Uint8Array {
  const ipLen = v6 ? 40 : 20;
  const f = new Uint8Array(14 + ipLen + 20);
  const dv = new DataView(f.buffer);
  f.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]);
  dv.setUint16(12, v6 ? 0x86dd : 0x0800);
  const ip = 14;
  if (v6) {
    dv.setUint32(ip, 0x60000000);
    dv.setUint16(ip + 4, 20);
    f[ip + 6] = 6; f[ip + 7] = 64;
    // 2001:db8::/32 documentation prefix; the host number in the last 4 bytes.
    dv.setUint32(ip + 8, 0x20010db8); dv.setUint32(ip + 20, a);
    dv.setUint32(ip + 24, 0x20010db8); dv.setUint32(ip + 36, b);
  } else {
    f[ip] = 0x45;
    dv.setUint16(ip + 2, 40);
    f[ip + 8] = 64; f[ip + 9] = 6;
    // 198.18.0.0/15 (RFC 2544 benchmarking) with the host number in the low bits.
    dv.setUint32(ip + 12, (0xc6120000 | (a & 0x1ffff)) >>> 0);
    dv.setUint32(ip + 16, (0xc6120000 | (b & 0x1ffff)) >>> 0);
    dv.setUint16(ip + 10, ~sum16(f, ip, ip + 20) & 0xffff);
  }
  const t = ip + ipLen;
  dv.setUint16(t, ap); dv.setUint16(t + 2, bp);
  dv.setUint32(t + 4, seq >>> 0); dv.setUint32(t + 8, ack >>> 0);
  dv.setUint16(t + 12, (5 << 12) | flags);
  dv.setUint16(t + 14, 64240);
  return f;
}

function writePcap(path: string, frames: Uint8Array[]): void {
  const parts: Buffer[] = [];
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0); h.writeUInt16LE(2, 4); h.writeUInt16LE(4, 6); h.writeUInt32LE(65535, 16); h.writeUInt32LE(1, 20);
  parts.push(h);
  frames.forEach((f, i) => {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1_700_000_000 + Math.floor(i / 1000), 0); r.writeUInt32LE((i % 1000) * 1000, 4);
    r.writeUInt32LE(f.length, 8); r.writeUInt32LE(f.length, 12);
    parts.push(r, Buffer.from(f));
  });
  writeFileSync(path, Buffer.concat(parts));
}

describe('tcp stream table', () => {
  it('numbers 1600 conversations (IPv4 and IPv6, a reused 4-tuple, late segments) as tshark does', () => {
    const SYN = 0x002, ACK = 0x010;
    const frames: Uint8Array[] = [];
    const N = 800;
    for (let i = 0; i < N; i++) {
      for (const v6 of [false, true]) {
        // Client host and port vary, so some 4-tuples share an address or a port with others.
        const c = 10 + (i % 97), s = 1, cp = 40000 + i, sp = 31000 + (i % 3);
        frames.push(frame(v6, c, cp, s, sp, SYN, 1000 + i, 0));
        frames.push(frame(v6, s, sp, c, cp, SYN | ACK, 5000 + i, 1001 + i));
        // Segments of an older conversation, in both directions, after many newer ones.
        if (i >= 300) {
          const j = i - 300, oc = 10 + (j % 97), ocp = 40000 + j, osp = 31000 + (j % 3);
          frames.push(frame(v6, s, osp, oc, ocp, ACK, 5001 + j, 1001 + j));
        }
      }
    }
    // The first 4-tuple again with a SYN of another ISN: a new stream, later segments go to it.
    frames.push(frame(false, 10, 40000, 1, 31000, SYN, 777777, 0));
    frames.push(frame(false, 1, 31000, 10, 40000, SYN | ACK, 888888, 777778));
    frames.push(frame(false, 10, 40000, 1, 31000, ACK, 777778, 888889));
    const pcap = join(dir, 'streams.pcap');
    writePcap(pcap, frames);

    const want = tsharkFields(pcap, ['tcp.stream']).map((r) => r[0]);
    const recs = readPcap(pcap);
    expect(want.length).toBe(recs.length);
    const e = new Engine();
    const got = recs.map((r, i) => { dissect(e, r, i + 1, 'full'); return ourFields(e, ['tcp.stream'])[0]; });
    expect(got).toEqual(want);
    expect(new Set(want).size).toBe(2 * N + 1);
  }, 60_000);
});
