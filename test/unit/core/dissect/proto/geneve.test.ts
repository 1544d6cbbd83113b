// Geneve (RFC 8926) against tshark 4.0.17, with frames of the public tcpdump test corpus (geneve-gcp.pcap,
// geneve.pcap as merged in test/integration/read-vs-tshark.test.ts): GCP options over IPv4, an unknown
// critical option over Transparent Ethernet bridging, a TCP handshake inside the tunnel (tcp.stream),
// and the same frame altered to an unknown version with an option longer than the options.
import { describe, expect, it } from 'vitest';
import { compareHexFrames } from './corpus-frames.js';

/** Corpus frame: Geneve with the three GCP options (VNI, endpoint, profile) carrying IPv4 + TCP. */
const GCP = `
    4201c0a864034201c0a864fe0800450000740000400002112e27c0a864fec0a86403f5fe17c1006000000a0008000000
    000001320101800000d1013202040800000dc0a86402000000000000000001320302000000000000123445000028d944
    000040065837c0a86402c0a864010b591f902d5ade4078e9bfda50000200f5470000
  `;
/** Corpus frame: Geneve VNI 10, one critical option of class 0, Ethernet + IPv4 + ICMP echo request. */
const ICMP = `
    001b213cac30001b213cab6408004500008edfad4000401132af1400000114000002314a17c1007a0000024065580000
    0a00000080010000000cfe71d883724fb69ed2495148080045000054bda24000400141041e0000011e00000208002c54
    29520017f1a2ce540000000017780c0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b
    2c2d2e2f3031323334353637
  `;
/** Corpus frames: ICMP echo reply, then a TCP handshake, all inside Geneve. */
const TUNNEL = [
  `
    001b213cab64001b213cac300800450000868805400040118a5f1400000214000001c55d17c100720000000065580000
    0b00b69ed2495148fe71d883724f08004500005411f3000040012cb41e0000021e0000010000345429520017f1a2ce54
    0000000017780c0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30313233
    34353637
  `,
  `
    001b213cab64001b213cac3008004500006e8806400040118a761400000214000001a9b317c1005a0000000065580000
    0b00b69ed2495148fe71d883724f08004500003c5a1140004006a4a81e0000021e000001c819001617b30caf00000000
    a0023908e4370000020405b40402080aab6d56be0000000001030307
  `,
  `
    001b213cac30001b213cab64080045000076dfba4000401132ba1400000114000002580c17c100620000024065580000
    0a00000080010000000cfe71d883724fb69ed249514808004500003c000040004006feb91e0000011e0000020016c819
    ad805fe217b30cb0a0127120101d0000020405b40402080a05058989ab6d56be01030307
  `,
  `
    001b213cab64001b213cac300800450000668807400040118a7d1400000214000001a9b317c100520000000065580000
    0b00b69ed2495148fe71d883724f0800450000345a1240004006a4af1e0000021e000001c819001617b30cb0ad805fe3
    80100073af9600000101080aab6d56be05058989
  `,
];

describe('geneve', () => {
  it('decodes the GCP options as tshark does', () => {
    const r = compareHexFrames([{ hex: GCP }], ['geneve']);
    expect(r.diffs).toEqual([]);
    expect(r.compared).toBeGreaterThan(15);
  });

  it('hands Transparent Ethernet bridging to Ethernet and numbers the TCP streams inside', () => {
    const r = compareHexFrames([ICMP, ...TUNNEL].map((hex) => ({ hex })), ['geneve', 'eth', 'ip', 'tcp.stream', 'icmp.type']);
    expect(r.diffs).toEqual([]);
    expect(r.compared).toBeGreaterThan(100);
  });

  it('reports an unknown version and an option running past the options', () => {
    // Version bits 01, and the option's length field 2 (12 bytes) in 8 bytes of options.
    const bad = ICMP.replace(/\s+/g, '');
    const hex = bad.slice(0, 84) + '42' + bad.slice(86, 106) + '02' + bad.slice(108);
    const r = compareHexFrames([{ hex }], ['geneve', '_ws.expert', 'icmp.type']);
    expect(r.diffs).toEqual([]);
    const messages = r.ours.fields[0].filter((o) => o.name === '_ws.expert.message').map((o) => o.show);
    expect(messages).toEqual(['Unknown version 1', 'Unknown, Class: Standard (0x0000) Type: 0x80 (length of 12 is past end of options)']);
  });
});
