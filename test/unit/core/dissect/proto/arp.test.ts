// arp: every arp field tshark 4.0.17 shows on the l3 fixtures (real captures made by
// test/fixtures/l3/make.sh; see its README) must match ours in value, byte offset, length and
// hidden flag, and no field of ours may be missing from tshark's tree.
import { describe, expect, it } from 'vitest';
import { compareL3Fields } from './l3-compare.js';
import { compareHexFrames } from './corpus-frames.js';

const FIX = 'test/fixtures/l3/';

describe('arp against tshark', () => {
  for (const f of ['l3-eth.pcap', 'l3-vlan.pcap', 'l3-sll.pcap']) {
    it(`matches tshark on ${f}`, () => {
      const r = compareL3Fields(FIX + f, ['arp']);
      expect(r.diffs).toEqual([]);
      expect(r.compared).toBeGreaterThan(0);
    });
  }
});

describe('arp on damaged corpus frames', () => {
  // tcpdump's test corpus (public), frames 1767, 1858 and 2029 of the merged corpus: sizes that
  // promise more address bytes than the 46-byte payload holds (hln 134; pln 170; hln 37 with pln 0).
  // tshark 4.0.17 shows the fixed header, then "[Malformed Packet]" and no addresses.
  const frames = [
    'ffffffffffff006129daf8fb08060001080086040001001f29daf8fbc0a80025000000000000c0a80025000000000000000000000000006b00000000',
    'fffffffeffff6a1617e067e708060001080006aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    'ffffffffffff001f2925007908060001080025000001001f29da2d7969a80168000000000000c0a80101000000000000000000000000000000000000',
  ].map((hex) => ({ hex }));

  it('shows the header fields and a malformed marker as tshark does', () => {
    const r = compareHexFrames(frames, ['arp', '_ws.malformed']);
    expect(r.diffs).toEqual([]);
    const names = r.ours.fields.map((f) => f.filter((o) => o.name.startsWith('arp')).map((o) => `${o.name}=${o.show}`));
    expect(names[0]).toEqual(['arp=', 'arp.hw.type=1', 'arp.proto.type=0x0800', 'arp.hw.size=134', 'arp.proto.size=4', 'arp.opcode=1']);
    expect(names[1]).toContain('arp.opcode=43690');
    expect(r.ours.columns.map((c) => c[3])).toEqual(['[Malformed Packet]', '[Malformed Packet]', '[Malformed Packet]']);
  });
});

describe('arp over AX.25 hardware on a corpus frame', () => {
  // Corpus frame 1940: hardware type AX.25 (3) with 6-byte addresses. packet-arp.c calls its AX.25
  // ARP handle (same protocol), so tshark lists "arp:arp" in frame.protocols; fields and Info as usual.
  it('lists arp twice in frame.protocols as tshark does', () => {
    const r = compareHexFrames([{ hex: 'dff7ffffffff001f29da2d7908060003080006040001001f29da2d79c0a80168000000000000c0a80101000000000000000000000000000000000000' }], ['arp', 'frame.protocols']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].find((o) => o.name === 'frame.protocols')?.show).toBe('eth:ethertype:arp:arp');
  });
});
