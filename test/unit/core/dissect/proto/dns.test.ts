// dns: every DNS field tshark 4.0.17 shows on the l3 fixtures (a real UDP client and server, see
// test/fixtures/l3/dns-peer.py: A+CNAME, AAAA, NS, PTR, MX, TXT, SRV, SOA, NXDOMAIN, EDNS OPT, and a
// response whose compression pointer loops) must match ours in value, byte offset and length.
import { describe, expect, it } from 'vitest';
import { Tvb } from '../../../../../core/dissect/index.js';
import { readName } from '../../../../../core/dissect/proto/dns.js';
import { compareL3Fields, ourDissection } from './l3-compare.js';

const FIX = 'test/fixtures/l3/';

describe('dns against tshark', () => {
  for (const f of ['l3-eth.pcap', 'l3-sll.pcap', 'l3-sll2.pcap']) {
    it(`matches tshark on ${f}`, () => {
      const r = compareL3Fields(FIX + f, ['dns']);
      expect(r.diffs).toEqual([]);
      expect(r.compared).toBeGreaterThan(400);
    });
  }

  it('prints Info as tshark does', () => {
    const info = ourDissection(FIX + 'l3-eth.pcap').columns.map((c) => c[3]);
    expect(info).toContain('Standard query 0x1230 A www.lab.example');
    expect(info).toContain('Standard query response 0x1230 A www.lab.example CNAME web.lab.example A 198.18.0.10 A 198.18.0.11');
    expect(info).toContain('Standard query response 0x1238 No such name A nx.lab.example SOA ns1.lab.example OPT');
  });

  it('ends a name at a pointer loop or past 255 bytes instead of hanging', () => {
    // A pointer to itself at offset 0, and a pointer chain that jumps forward.
    expect(readName(Tvb.of(Uint8Array.from([0xc0, 0x00])), 0)).toMatchObject({ bad: true, len: 2 });
    expect(readName(Tvb.of(Uint8Array.from([0x01, 0x61, 0xc0, 0x00])), 0)).toMatchObject({ bad: true, len: 4 });
    const long = new Uint8Array(300);
    for (let i = 0; i + 64 < 300; i += 64) { long[i] = 63; long.fill(0x61, i + 1, i + 64); }
    expect(readName(Tvb.of(long), 0).bad).toBe(true);
  });
});
