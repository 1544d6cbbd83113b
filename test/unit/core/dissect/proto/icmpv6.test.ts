// icmpv6: every icmpv6 field tshark 4.0.17 shows on the l3 fixtures (real captures made by
// test/fixtures/l3/make.sh; see its README) must match ours in value, byte offset, length and
// hidden flag, and no field of ours may be missing from tshark's tree.
import { describe, expect, it } from 'vitest';
import { compareL3Fields } from './l3-compare.js';
import { LINK_RAW, compareHexFrames } from './corpus-frames.js';

const FIX = 'test/fixtures/l3/';

describe('icmpv6 against tshark', () => {
  for (const f of ['l3-eth.pcap', 'l3-frag.pcap', 'l3-ipv6.pcap']) {
    it(`matches tshark on ${f}`, () => {
      const r = compareL3Fields(FIX + f, ['icmpv6']);
      expect(r.diffs).toEqual([]);
      expect(r.compared).toBeGreaterThan(0);
    });
  }
});

describe('icmpv6 on corpus frames', () => {
  // tcpdump's public test corpus, frame 6146 of the merged corpus: an RFC 8335 extended echo request
  // (type 160) with identifier, sequence number and local bit.
  it('shows extended echo headers as tshark does', () => {
    const r = compareHexFrames([{ hex: '00005e000203d2dd22ac5c6b86dd600f260b001c3afffdfd5c41712dd05ad0dd22fffeac5c6bfdfd5c41712dd0aa022590fffea88686a0009844fb6100012000dcf40008030200000001000bad1e7fc0ffee' }], ['icmpv6']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'icmpv6.echo.identifier').map((o) => o.show)).toEqual(['0xfb61']);
  });

  // Frame 6155 (BSD loopback): a Router Renumbering command (RFC 2894) with one prefix control
  // operation, its Match-Prefix Part and one Use-Prefix Part.
  it('dissects router renumbering as tshark does', () => {
    const r = compareHexFrames([{ hex: '1c0000006000000000483a4020010db8000100000a0027fffef44dcf20010db8000100000a0027fffef44dcf8a00df3a0000000000100000000000000107003000800000fec000000000000000000000000000003010000000278d0000093a80000000003ffe0501fffe00000000000000000000' }], ['icmpv6'], 0);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'icmpv6.reserved').map((o) => o.show)).toEqual(['00:00:00:00', '00:00']);
  });
});

describe('icmpv6 extended echo reply on a corpus frame', () => {
  // Corpus frame 6147: an RFC 8335 Extended Echo reply with 20 bytes after the flags. tshark 4.0 stops
  // after the flag bits (frame.protocols ends at icmpv6, no data); ours had shown them as data.
  it('leaves the bytes after the flags undissected as tshark does', () => {
    const r = compareHexFrames([{ hex: 'd2dd22ac5c6b985d8246e4db86dd600618d4001c3a3bfdfd5c41712dd0aa022590fffea88686fdfd5c41712dd05ad0dd22fffeac5c6ba100973efb6100072000dcf40008030200000001000bad1e7fc0ffee' }], ['icmpv6', 'data', 'frame.protocols']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].find((o) => o.name === 'frame.protocols')?.show).toBe('eth:ethertype:ipv6:icmpv6');
  });
});

describe('icmpv6 router advertisement options on a corpus frame', () => {
  // Corpus frame 6182: a Router Advertisement with Route Information (RFC 4191, a 48-bit prefix in 8
  // bytes), RDNSS and DNSSL (RFC 8106) options after the prefix. Fields as tshark 4.0 shows them.
  it('shows route information, RDNSS and DNSSL options as tshark does', () => {
    const r = compareHexFrames([{ hex: '33330000000114cf928723d686dd6000000000783afffe8000000000000016cf92fffe8723d6ff0200000000000000000000000000018600688200c000000000000000000000010114cf928723d605010000000005dc030440c000001c200000070800000000fd8d4fb35b2e000000000000000000001802300000001c20fd8d4fb35b2e00001903000000000708fd8d4fb35b2e000000000000000000011f02000000000708036c616e00000000' }], ['icmpv6']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'icmpv6.opt.prefix.length').map((o) => o.show)).toEqual(['64', '48']);
    expect(r.ours.fields[0].find((o) => o.name === 'icmpv6.opt.rdnss')?.show).toBe('fd8d:4fb3:5b2e::1');
  });

  // Corpus frame 6173: DNSSL with three domain names and padding, Advertisement Interval and Home
  // Agent Information options (RFC 6275), and the flags' summaries of the -V tree.
  it('shows DNSSL names, advertisement interval and home agent options as tshark does', () => {
    const hex = '333300000001b09928c8d66c86dd6000000000b03afffe80000000000000b29928fffec8d66cff020000000000000000'
      + '000000000001860024014020000f0000000000000000030448c000278d0000093a800000000022223333444455556600'
      + '0000000000001905000000000005abcd000000000000000000000000efef123456780000000000000000000000011f07'
      + '000000000005076578616d706c6503636f6d00076578616d706c65036f72670004646f6d3104646f6d3203746c640000'
      + '00000000000005010000000000640101b09928c8d66c070100000000138808010000c351000f';
    const r = compareHexFrames([{ hex }], ['icmpv6']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'icmpv6.opt.dnssl').map((o) => o.show)).toEqual(['example.com', 'example.org', 'dom1.dom2.tld']);
    expect(r.ours.fields[0].find((o) => o.name === 'icmpv6.opt.advertisement_interval')?.show).toBe('5000');
  });
});

describe('icmpv6 node information on corpus frames', () => {
  // Corpus frames 6178, 6180 and 6181 (LINKTYPE_RAW over IPv6 loopback addresses): RFC 4620 Node
  // Information Query for IPv4 addresses, and Replies with IPv4 and IPv6 node addresses.
  it('shows queries and replies with packet-icmpv6.c fields', () => {
    const r = compareHexFrames([
      { hex: '6000000000143a4000000000000000000000000000000001000000000000000000000000000000018b027b23000400023a9359e0b3afef5ec0000201' },
      { hex: '6000000000283a4000000000000000000000000000000001000000000000000000000000000000018c004dd500040002160428df3558ad7f000000007f00000100000000c000020100000000c1000201' },
      { hex: '60000000004c3a4000000000000000000000000000000001000000000000000000000000000000018c004a14000300026e0a44c1688eb28d00000000000000000000000000000000000000010000000020010db80000000000000000000000010000000020020db8000000000000000000000001' },
    ], ['icmpv6', 'frame.protocols'], LINK_RAW);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[2].filter((o) => o.name === 'icmpv6.ni.reply.node_address').map((o) => o.show)).toEqual(['::1', '2001:db8::1', '2002:db8::1']);
  });
});

describe('icmpv6 MLD on a corpus frame', () => {
  // Corpus frame 6175: an MLDv2 General Query (RFC 3810 5.1: 28 bytes, Maximum Response Code 10000,
  // QRV 2, QQIC 60, no sources) after a hop-by-hop Router Alert.
  it('shows an MLDv2 query as tshark does', () => {
    const r = compareHexFrames([{ hex: '333300000001b0a86e0cd4e886dd6000000000240001fe80000000000000b2a86efffe0cd4e8ff0200000000000000000000000000013a000502000001008200623a2710000000000000000000000000000000000000023c0000' }], ['icmpv6', 'frame.protocols']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].find((o) => o.name === 'icmpv6.mld.qqi')?.show).toBe('60');
  });
});

describe('icmpv6 on damaged corpus frames', () => {
  // Frame 6152: a Mobile Prefix Advertisement (type 147) cut after its identifier: the flags' read
  // ends the packet "ICMPv6 truncated"; the checksum is unverified "[fragmented datagram]", as
  // packet-icmpv6.c words every unverified case. Frame 8674: an RPL message (not ours beyond its
  // header) with a bad checksum: tshark's "should be" value and expert info.
  it('shows a truncated mobile prefix advertisement and a bad checksum as tshark does', () => {
    const r = compareHexFrames([
      { hex: '000cfb69967ec0ffff49967586dd6500002c1c003a00004ff829000c1a1a1a1a1a1a1a370000001600000400000064fb9303f2938200939393939393', origLen: 98358 },
      { hex: '023456789abc02cba987654386dd6000000000383a40fe8000000000000002163efffe113424fe8000000000000002163efffe1134249b025bda2a0001000d00800d0d0d0d0d000000800d0d0d0d0d0d0d0d0d0d0d0d0d8d0d0d0d0d640d0d0d0d0d0d0d0d3a0d0d000000000000' },
    ], ['icmpv6.type', 'icmpv6.code', 'icmpv6.checksum', 'icmpv6.mip6', '_ws.short', '_ws.malformed'], 1, false);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'icmpv6.mip6.identifier').map((o) => o.show)).toEqual(['37779']);
    expect(r.ours.fields[1].filter((o) => o.name === 'icmpv6.checksum.status').map((o) => o.show)).toEqual(['0']);
    expect(r.ours.columns[0][3]).toBe('Mobile Prefix Advertisement[Packet size limited during capture]');
  });
});
