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

  // Frames 6136 and 6141: the request's multi-part extension has a bad checksum (tshark's "should be"
  // value and expert info), an interface identification object by index and an unknown object cut
  // short; frame 6141 is an extended echo reply, after whose flags packet-icmp.c shows nothing (no
  // extension, no data), and frame 6146 an ICMPv6 request whose extension enters ICMP.
  it('shows ICMP multi-part extensions of extended echo requests as tshark does', () => {
    const r = compareHexFrames([
      { hex: '560004a34c83fe0004a34c8308004500003029a30000360196deccc21780951c4aed2a006314f6ea00012000dcf4000803020000000165933a33000ddc2b' },
      { hex: '560004a34c83fe0004a34c83080045000034f75c4000f501ca1fccc21780951c4aed2b00b4ce002a2a072000d819000c0301667870302e3000006583629700022de3' },
      { hex: '00005e000203d2dd22ac5c6b86dd600f260b001c3afffdfd5c41712dd05ad0dd22fffeac5c6bfdfd5c41712dd0aa022590fffea88686a0009844fb6100012000dcf40008030200000001000bad1e7fc0ffee' },
    ], ['icmp', 'icmpv6', 'data', '_ws', 'frame.protocols']);
    expect(r.diffs).toEqual([]);
    const of = (i: number, name: string) => r.ours.fields[i].filter((o) => o.name === name).map((o) => o.show);
    expect(of(0, 'icmp.ext.checksum.status')).toEqual(['0']);
    expect(of(0, 'icmp.int_ident.index')).toEqual(['1']);
    expect(of(1, 'icmp.ext')).toEqual([]);
    expect(of(2, 'frame.protocols')).toEqual(['eth:ethertype:ipv6:icmpv6:icmp']);
  });

  // Frame 6154: an interface information object (RFC 5837) whose ifIndex runs past its 6-byte length
  // (packet-icmp.c reads it anyway, then skips the address sub-object that would not fit) and an
  // unknown object cut short.
  it('shows an interface information object as packet-icmp.c reads it', () => {
    const r = compareHexFrames([{ hex: '000a0b0c0d0e00010203040508004500002c000100004001f653c0a80164c0a801c82a006d63000000002000cccb0006020c1122deadbeefcafe' }], ['icmp', '_ws']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'icmp.int_info.index').map((o) => o.show)).toEqual(['287497901']);
    expect(r.ours.fields[0].filter((o) => o.name === 'icmp.ext.data').map((o) => o.show)).toEqual(['ca:fe']);
  });

  // Frame 9324 (inside VXLAN): the echo data starts with a little-endian timeval 36 s after the
  // frame's own time; packet-icmp.c accepts a guess within a day either way.
  it('reads a ping timestamp later than the frame as tshark does', () => {
    const r = compareHexFrames([{
      hex: '00163e0871cf36dc851eb340080045000086d2c0400040115152c0a8cb01c0a8ca01b05d12b500720000080000000000'
        + '640000308801000200163e37f604080045000054000040004001234fc0a8cb03c0a8cb050800f6f2050c0001fce29751'
        + '00000000a6f8020000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30313233'
        + '34353637',
      tsNs: 1368908504837063000n,
    }], ['icmp']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'icmp.data_time_relative').map((o) => o.show)).toEqual(['-35.162937000']);
  });

  // Frame 4982: a port unreachable quoting a whole ICMP echo; packet-icmp.c does not verify the
  // quoted message's checksum ("[in ICMP error packet]", status Unverified).
  it('leaves the checksum of a quoted ICMP message unverified', () => {
    const r = compareHexFrames([{ hex: 'a6824bc9a1a77483ef07d0a9080045c0004c9c6a00004001c6330a2801010a2802030301fcfe000000004500003061b440003f01bfcc0a2802030a1e04040800b7db402400000000000000000000000000000000000000000000' }], ['icmp']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'icmp.checksum.status').map((o) => o.show)).toEqual(['1', '2']);
  });
});
