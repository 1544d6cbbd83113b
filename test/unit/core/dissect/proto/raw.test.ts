// raw: every raw/ip/ipv6 field tshark 4.0.17 shows on the l3 fixtures (real captures made by
// test/fixtures/l3/make.sh; see its README) must match ours in value, byte offset, length and
// hidden flag, and no field of ours may be missing from tshark's tree.
import { describe, expect, it } from 'vitest';
import { compareL3Fields } from './l3-compare.js';

const FIX = 'test/fixtures/l3/';

describe('raw against tshark', () => {
  for (const f of ['l3-raw.pcap', 'l3-ipv4.pcap', 'l3-ipv6.pcap']) {
    it(`matches tshark on ${f}`, () => {
      const r = compareL3Fields(FIX + f, ['raw', 'ip', 'ipv6']);
      expect(r.diffs).toEqual([]);
      expect(r.compared).toBeGreaterThan(0);
    });
  }
});
