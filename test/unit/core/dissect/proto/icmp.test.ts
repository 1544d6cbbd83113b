// icmp: every icmp field tshark 4.0.17 shows on the l3 fixtures (real captures made by
// test/fixtures/l3/make.sh; see its README) must match ours in value, byte offset, length and
// hidden flag, and no field of ours may be missing from tshark's tree.
import { describe, expect, it } from 'vitest';
import { compareL3Fields } from './l3-compare.js';
import { compareHexFrames } from './corpus-frames.js';

const FIX = 'test/fixtures/l3/';

describe('icmp against tshark', () => {
  for (const f of ['l3-eth.pcap', 'l3-frag.pcap', 'l3-vlan.pcap', 'l3-sll2.pcap']) {
    it(`matches tshark on ${f}`, () => {
      const r = compareL3Fields(FIX + f, ['icmp']);
      expect(r.diffs).toEqual([]);
      expect(r.compared).toBeGreaterThan(0);
    });
  }
});

describe('icmp on corpus frames', () => {
  // tcpdump's public test corpus, frames 6136 and 6140 of the merged corpus: RFC 8335 extended echo
  // requests (type 42), identifier and local bit in the header, an ICMP multi-part extension after.
  it('shows extended echo headers as tshark does', () => {
    const r = compareHexFrames([{ hex: '560004a34c83fe0004a34c8308004500003029a30000360196deccc21780951c4aed2a006314f6ea00012000dcf4000803020000000165933a33000ddc2b' }, { hex: 'fe0004a34c83560004a34c83080045000034000100004001b67c951c4aedccc217802a00b5d4002a2a012000d819000c0301667870302e3000006583629700022de3' }], ['icmp']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields.map((f) => f.filter((o) => o.name === 'icmp.ident').map((o) => o.show))).toEqual([['63210'], ['42']]);
  });

  // Frame 4982: a port unreachable quoting a whole ICMP echo; packet-icmp.c does not verify the
  // quoted message's checksum ("[in ICMP error packet]", status Unverified).
  it('leaves the checksum of a quoted ICMP message unverified', () => {
    const r = compareHexFrames([{ hex: 'a6824bc9a1a77483ef07d0a9080045c0004c9c6a00004001c6330a2801010a2802030301fcfe000000004500003061b440003f01bfcc0a2802030a1e04040800b7db402400000000000000000000000000000000000000000000' }], ['icmp']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'icmp.checksum.status').map((o) => o.show)).toEqual(['1', '2']);
  });
});
