// eth: every eth field tshark 4.0.17 shows on the l3 fixtures (real captures made by
// test/fixtures/l3/make.sh; see its README) must match ours in value, byte offset, length and
// hidden flag, and no field of ours may be missing from tshark's tree.
import { describe, expect, it } from 'vitest';
import { compareL3Fields } from './l3-compare.js';
import { type HexFrame, compareHexFrames } from './corpus-frames.js';

const FIX = 'test/fixtures/l3/';

describe('eth against tshark', () => {
  for (const f of ['l3-eth.pcap', 'l3-vlan.pcap', 'l3-frag.pcap']) {
    it(`matches tshark on ${f}`, () => {
      const r = compareL3Fields(FIX + f, ['eth']);
      expect(r.diffs).toEqual([]);
      expect(r.compared).toBeGreaterThan(0);
    });
  }
});

// Corpus frames (the public tcpdump-tests captures of issue 3), copied as hex: trailers the snaplen
// cut (non-zero padding then an FCS past the captured bytes, zero padding past them: both end in
// "[Packet size limited during capture: Ethertype truncated]"), and an 802.1ad tag's trailer, which
// never holds an FCS (packet-ieee8021ah.c hands dissect_ethertype fcs_len 0).
const ETH_CORPUS: HexFrame[] = [
  // corpus frame 9149 (linktype 1)
  { hex: '0000c0a09687ff8debff9b9d080045020027bd0fe0002370007f000302943600001031ff1103010da20000000000000002000000ffff', origLen: 262144 },
  // corpus frame 9150 (linktype 1)
  { hex: 'c0c1c0a09687ff8debff9b9d0800450200279d0fe0002370007efffb02943600001031ff110389000000000000000000030000000000', origLen: 262144 },
  // corpus frame 9156 (linktype 1)
  { hex: 'c0c1c0a09687ff89ebff9b9d08004502001b9d0fe0002270007f00030294365a001031ff11030100a200000000000000030000000000', origLen: 310 },
  // corpus frame 4037 (linktype 1)
  { hex: '30303030303030303030303088a830300806303008000e0400013030303030303030303030303030303030303030303030303030303030303030303030303030', origLen: 262144 },
];

describe('eth on corpus frames against tshark', () => {
  it('trailers, padding and FCS of frames cut short as tshark', () => {
    const r = compareHexFrames(ETH_CORPUS, ['eth.dst', 'eth.src', 'eth.type', 'eth.padding', 'eth.trailer', 'eth.fcs', 'ieee8021ad', 'ieee8021ah', '_ws.malformed', '_ws.short'], undefined, false);
    expect(r.diffs).toEqual([]);
    expect(r.compared).toBeGreaterThan(20);
  });
});
