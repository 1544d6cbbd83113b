// ipv6: every ipv6 (extension headers, AH, ESP) field tshark 4.0.17 shows on the l3 fixtures (real captures made by
// test/fixtures/l3/make.sh; see its README) must match ours in value, byte offset, length and
// hidden flag, and no field of ours may be missing from tshark's tree.
import { describe, expect, it } from 'vitest';
import { compareL3Fields } from './l3-compare.js';
import { LINK_ETHERNET, LINK_RAW, compareHexFrames } from './corpus-frames.js';

const FIX = 'test/fixtures/l3/';

describe('ipv6 against tshark', () => {
  for (const f of ['l3-eth.pcap', 'l3-frag.pcap', 'l3-vlan.pcap']) {
    it(`matches tshark on ${f}`, () => {
      const r = compareL3Fields(FIX + f, ['ipv6', 'ah', 'esp']);
      expect(r.diffs).toEqual([]);
      expect(r.compared).toBeGreaterThan(0);
    });
  }
});

describe('ipv6 on corpus frames', () => {
  // tcpdump's public test corpus, frame 6112 of the merged corpus (LINKTYPE_IPV6, 41 of 262144 bytes
  // captured): the routing header's first byte is all there is. tshark 4.0 labels the IPv6 item with
  // its addresses, shows the routing header with its Next Header, then "IPv6 Routing truncated".
  it('shows an extension header cut short as far as it goes', () => {
    const r = compareHexFrames([{ hex: '6030303030302b30303030303030303030303030303030303030303030303030303030303030303030', origLen: 262144 }], ['ipv6'], LINK_RAW);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'ipv6.routing.nxt').map((o) => o.show)).toEqual(['48']);
  });

  // Frame 6232: ethertype 0x86dd but version 0. packet-ipv6.c shows the version with its "Bogus IPv6
  // version" error and gives the bytes back (the IPv6 layer leaves frame.protocols).
  it('stops at a bogus version as tshark does', () => {
    const r = compareHexFrames([{ hex: '33330000000124843feb3cee86dd0000000000203afffe80000000000000020c29fffe766c14ff0200000000000000000000000000018800ab1300000000fe80000000000000020c29fffe766c14020124843feb3cee' }], ['ipv6', '_ws.expert'], LINK_ETHERNET, false);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].some((o) => o.name === 'ipv6.src')).toBe(false);
  });

  // Frame 6238: a type 0 routing header (deprecated, RFC 5095) with one segment left before ICMPv6:
  // each extension header is a protocol of its own in frame.protocols, the last address is the
  // final destination (Destination column, ICMPv6 checksum pseudo-header).
  it('shows a type 0 routing header and its final destination as tshark does', () => {
    const r = compareHexFrames([{ hex: '0013c4c784f000123fae22f786dd6000000000202b04220000000000024402123ffffeae22f7220000000000024000020000000000043a02000100000000220000000000021000020000000000048000d3ab00000000' }], ['ipv6.routing', 'icmpv6', '_ws.expert', 'frame.protocols']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].find((o) => o.name === 'frame.protocols')?.show).toBe('eth:ethertype:ipv6:ipv6.routing:icmpv6');
  });
});
