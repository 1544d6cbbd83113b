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

  // Frame 4800 (an RFC 2675 jumbogram from a netperf run over a 64k-MTU link): payload length 0, the
  // real one (80040) in the hop-by-hop Jumbo Payload option. tshark 4.0 dissects TCP over it (a lost
  // TCP conversation here shifted tcp.stream of every later corpus frame); ours said Malformed. The
  // 80000 payload bytes are "netperf\0" ten thousand times, as captured.
  it('dissects a jumbogram with the Jumbo Payload length', () => {
    const head = '0600deadbeefb8cef6048b1486dd600a31ee00000040260413804091ce00000000000000000d260413804091ce00000000000000000b0600c204000138a8a37bab892355b91295c7c02980180850c8eb00000101080a46bdbe60fc8cfa38';
    const r = compareHexFrames([{ hex: head + '6e65747065726600'.repeat(10000) }], ['ipv6', 'eth', 'tcp.len', 'tcp.stream', '_ws', 'frame.protocols']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].find((o) => o.name === 'ipv6.opt.jumbo')?.show).toBe('80040');
    expect(r.ours.fields[0].find((o) => o.name === 'tcp.len')?.show).toBe('80000');
  });

  // Frame 6161: payload length 0 without a hop-by-hop header (the TSO note), so the IPv6 datagram is
  // its 40 header bytes; ICMPv6 then finds nothing (Malformed) and the 32 bytes after the header are the
  // Ethernet trailer, the last 4 taken as FCS (set_actual_length, as IPv4's total length does).
  // (_ws.expert and eth.padding_bad are left out: the padding note's place and range are eth.ts's.)
  it('ends the datagram at a zero payload length and shows the rest as the trailer', () => {
    const r = compareHexFrames([{ hex: '33330000000100212808f15086dd6000000000003afffe80000000000000025a28fffe08f1506e02000000000000000000000000004188000b2020800000fe80000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }], ['ipv6', 'eth.trailer', 'eth.fcs', 'icmpv6', '_ws.malformed', 'frame.protocols']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].some((o) => o.name === 'ipv6.plen_zero')).toBe(true);
    expect(r.ours.fields[0].find((o) => o.name === 'eth.fcs')?.show).toBe('0xaaaaaaaa');
  });

  // Frame 6253: payload length 65 where the frame has 64 bytes after the header: the warning, then UDP
  // and DNS over what is there.
  it('warns when the payload length exceeds the frame', () => {
    const r = compareHexFrames([{ hex: 'c0d68236032bf04da23d5da386dd60067576004111402605bc8030100104000000008cd309ce26003c00e00000190000000000000001b26e003500405c44850501200001000000000001037777770774637064756d70036f7267000001000100002904d000000000000c000a0008c5bfce52e942cc0c' }], ['ipv6', 'udp', '_ws', 'frame.protocols']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].some((o) => o.name === 'ipv6.plen_exceeds_framing')).toBe(true);
  });

  // Frame 6256 (198 of 262144 bytes captured): payload length 0 and a hop-by-hop header without a Jumbo
  // option: the error, and the datagram is 40 bytes, so the hop-by-hop header itself is past its end.
  it('reports a missing Jumbo Payload option', () => {
    const r = compareHexFrames([{ origLen: 262144, hex: '000100206bcf080027c22da586dd600889ad00000080000a000b000c0000ffffffff004400430134d12e0101060085bfaf00000000000000000000000000000000006400e200000000000000000000000020000000000000000100000000000000000000000000000000230000005800c204e97369000200000001480000516d465a0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000' }], ['ipv6', '_ws', 'frame.protocols']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].some((o) => o.name === 'ipv6.opt.jumbo.missing')).toBe(true);
  });

  // Frame 6250 (39 of 118 bytes captured): the capture ends in the destination address. tshark 4.0
  // shows the source address, then "IPv6 truncated".
  it('keeps the source address when the capture ends in the destination', () => {
    const r = compareHexFrames([{ origLen: 118, hex: 'c0d68236032bf04da23d5da386dd6007411100401140' + '2605bc8030100104000000008cd309ce' + '26' }], ['ipv6', '_ws.short']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].find((o) => o.name === 'ipv6.src')?.show).toBe('2605:bc80:3010:104::8cd3:9ce');
  });

  // Frame 6245: an SRv6 segment routing header whose next header is Ethernet (143), carrying a whole
  // Ethernet frame with IPv6 and an ICMPv6 echo request. tshark 4.0 dissects the inner frame.
  it('dissects Ethernet over IPv6 (next header 143)', () => {
    const r = compareHexFrames([{ hex: 'd667194e0f4fbef50609447486dd600de027008e2b3f000a0000000000000000000000000001000c00000000000000000000000000028f02040000000000000c00000000000000000000000000021e1ddfcd547aae64423b5b9a86dd600de02700403a40000a0000000000000000000000000002000e00000000000000000000000000028000d5f14854053b9879295f00000000cf3c0c0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637' }], ['ipv6.src', 'ipv6.dst', 'ipv6.plen', 'eth', 'icmpv6', 'frame.protocols']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'ipv6.src').map((o) => o.show)).toEqual(['a::1', 'a::2']);
  });

  // Frame 6273: next header 59 (no next header) with 20 payload bytes: tshark shows them as data.
  it('shows bytes after no next header as data', () => {
    const r = compareHexFrames([{ hex: '005056c00008000c2978254986dd6000000000143b4020050000000000000000000000000001200800000000000000000000000000010400000000000000000000000000000000000000' }], ['ipv6', 'data.data', 'data.len', 'frame.protocols']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].find((o) => o.name === 'frame.protocols')?.show).toBe('eth:ethertype:ipv6:data');
  });

  // Frame 6221 (60 bytes, complete): a fragment header with only 6 of its 8 bytes. tshark reads it whole
  // before adding its item, so only "IPv6 Fragment" in frame.protocols and the truncation marker remain.
  // Frame 6252 (53 bytes): 39 bytes for a 40-byte header: tshark's "Invalid IPv6 header" error and
  // Info, the fields up to the source, then Malformed (no payload-length note: the addresses come first).
  it('shows no fragment header or length note when the header is cut', () => {
    const r = compareHexFrames([
      { hex: 'c0ceffa00004000029 49ff7586dd651b21006a002c100452002200190000041ae4ff10ff484d2243008014000100 0019ffffffffff fb0bff00000100'.replace(/ /g, ''), origLen: 60 },
      { hex: 'c0d68236032bf04da23d5da386dd6009d8d800401140 2605bc8030100104000000008cd309ce 26003c00e00000190000 0000000000'.replace(/ /g, '') },
    ], ['ipv6', '_ws.malformed', '_ws.short', 'frame.protocols']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].some((o) => o.name === 'ipv6.fraghdr')).toBe(false);
  });
});
