// The summary columns (Protocol, Source, Destination, Info) of every frame of the l3 fixtures must be
// tshark's, byte for byte: "Who has 198.18.0.2? Tell 198.18.0.1", "Echo (ping) request  id=0x…,
// seq=1/256, ttl=64", "Neighbor Advertisement 2001:db8::2 (sol, ovr) is at …", "21010 → 21999 Len=7",
// "Fragmented IP protocol (proto=ICMP 1, off=552, ID=7b72)". Frames whose top protocol we do not
// dissect (STP inside 802.3/LLC) are skipped.
import { describe, expect, it } from 'vitest';
import { compareL3Columns, ourDissection, tsharkColumns } from './l3-compare.js';

const FIX = 'test/fixtures/l3/';
const NOT_OURS = new Set(['STP', 'LLC']);

describe('summary columns against tshark', () => {
  for (const f of ['l3-eth.pcap', 'l3-frag.pcap', 'l3-vlan.pcap', 'l3-sll.pcap', 'l3-sll2.pcap', 'l3-null.pcap', 'l3-loop.pcap', 'l3-raw.pcap', 'l3-ipv4.pcap', 'l3-ipv6.pcap']) {
    it(`matches tshark on ${f}`, () => {
      const skip = new Set(tsharkColumns(FIX + f).flatMap((row, i) => (NOT_OURS.has(row[0]) ? [i + 1] : [])));
      const diffs = compareL3Columns(FIX + f, ourDissection(FIX + f)).filter((d) => !skip.has(Number(/^frame (\d+)/.exec(d)?.[1])));
      expect(diffs).toEqual([]);
    });
  }

  it('prints ARP, ICMP and fragments as Wireshark does (l3-eth.pcap, l3-frag.pcap)', () => {
    const eth = ourDissection(FIX + 'l3-eth.pcap').columns.map((c) => c[3]);
    expect(eth).toContain('Who has 198.18.0.2? Tell 198.18.0.1');
    expect(eth).toContain('198.18.0.2 is at 02:00:00:0b:00:02');
    expect(eth).toContain('ARP Announcement for 198.18.0.1');
    expect(eth).toContain('Gratuitous ARP for 198.18.0.1 (Reply)');
    expect(eth).toContain('Destination unreachable (Port unreachable)');
    expect(eth.some((i) => /^Echo \(ping\) reply {4}id=0x[0-9a-f]{4}, seq=1\/256, ttl=64 \(request in \d+\)$/.test(i))).toBe(true);
    const frag = ourDissection(FIX + 'l3-frag.pcap').columns.map((c) => c[3]);
    expect(frag.some((i) => /^Fragmented IP protocol \(proto=ICMP 1, off=552, ID=[0-9a-f]{4}\)$/.test(i))).toBe(true);
    expect(frag.some((i) => /^IPv6 fragment \(off=1232 more=y ident=0x[0-9a-f]{8} nxt=58\)$/.test(i))).toBe(true);
  });
});
