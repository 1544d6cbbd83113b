// udp: every udp field tshark 4.0.17 shows on the l3 fixtures (real captures made by
// test/fixtures/l3/make.sh; see its README) must match ours in value, byte offset, length and
// hidden flag, and no field of ours may be missing from tshark's tree.
import { describe, expect, it } from 'vitest';
import { compareL3Fields } from './l3-compare.js';
import { type HexFrame, compareHexFrames } from './corpus-frames.js';

const FIX = 'test/fixtures/l3/';

describe('udp against tshark', () => {
  for (const f of ['l3-eth.pcap', 'l3-vlan.pcap', 'l3-sll2.pcap']) {
    it(`matches tshark on ${f}`, () => {
      const r = compareL3Fields(FIX + f, ['udp']);
      expect(r.diffs).toEqual([]);
      expect(r.compared).toBeGreaterThan(0);
    });
  }
});

// Corpus frames (the public tcpdump-tests captures of issue 3), copied as hex: a UDP length past the
// IP payload (expert and Info as packet-udp.c, payload cut to what IP reports) and a datagram the
// snaplen cut ("[Packet size limited during capture: UDP truncated]").
const UDP_CORPUS: HexFrame[] = [
  // corpus frame 4231 (linktype 1)
  { hex: '0010005051e10101ed830100080045088034d940400040114a700a00fd0100ea9ad620585e09ecf40ab1040200ffff0180ff80d600d7d7f3d7d7d7d7d7000000ff80b01688', origLen: 262144 },
  // corpus frame 6072 (linktype 1)
  { hex: '3030303030303030303030300800453030303030000030113030303030303030303030300ec930303030', origLen: 12336 },
];

describe('udp on corpus frames against tshark', () => {
  it('bad lengths and a snaplen cut give tshark\'s fields, experts, markers and columns', () => {
    const r = compareHexFrames(UDP_CORPUS, ['udp.srcport', 'udp.dstport', 'udp.checksum', 'udp.stream', 'udp.payload', 'ip.len', '_ws.malformed', '_ws.short']);
    expect(r.diffs).toEqual([]);
    expect(r.compared).toBeGreaterThan(10);
  });
});
