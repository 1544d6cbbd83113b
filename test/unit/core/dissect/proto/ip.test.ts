// ip: every ip (IPv4, options, fragments) field tshark 4.0.17 shows on the l3 fixtures (real captures made by
// test/fixtures/l3/make.sh; see its README) must match ours in value, byte offset, length and
// hidden flag, and no field of ours may be missing from tshark's tree.
import { describe, expect, it } from 'vitest';
import { compareL3Fields, readPcapFile } from './l3-compare.js';
import { Engine } from '../../../../../core/dissect/index.js';
import { formatAddress } from '../../../../../core/dissect/columns.js';
import { type HexFrame, compareHexFrames } from './corpus-frames.js';

const FIX = 'test/fixtures/l3/';

describe('ip against tshark', () => {
  for (const f of ['l3-eth.pcap', 'l3-frag.pcap', 'l3-vlan.pcap', 'l3-sll.pcap']) {
    it(`matches tshark on ${f}`, () => {
      const r = compareL3Fields(FIX + f, ['ip']);
      expect(r.diffs).toEqual([]);
      expect(r.compared).toBeGreaterThan(0);
    });
  }
});

// Corpus frames (the public tcpdump-tests captures of issue 3), copied as hex: a total length past the
// frame with the header cut before the destination ("Src: …" only, then malformed), a total length
// below the header length, and a header length below 20 (experts and Info as packet-ip.c).
const IP_CORPUS: HexFrame[] = [
  // corpus frame 6226 (linktype 1)
  { hex: 'c0d68236032bf04da23d5da3080045000054fc35000040113b058cd309ce2d217f' },
  // corpus frame 6228 (linktype 1)
  { hex: 'c0d68236032bf04da23d5da3080045000013f1a60000401145948cd309ce2d217f9c98b7003500406ecb92aa01200001000000000001037777770774637064756d70036f7267000001000100002904d000000000000c000a00088bc0e5f53e713bbd' },
  // corpus frame 6225 (linktype 1)
  { hex: 'c0d68236032bf04da23d5da3080044000054f1a60000401145948cd309ce2d217f9c98b7003500406ecb92aa01200001000000000001037777770774637064756d70036f7267000001000100002904d000000000000c000a00088bc0e5f53e713bbd' },
];

describe('ip on corpus frames against tshark', () => {
  it('bogus lengths give tshark\'s fields, experts, markers and columns', () => {
    const r = compareHexFrames(IP_CORPUS, ['ip.version', 'ip.hdr_len', 'ip.len', 'ip.id', 'ip.src', 'ip.dst', 'ip.proto', '_ws.malformed', '_ws.short']);
    expect(r.diffs).toEqual([]);
    expect(r.compared).toBeGreaterThan(10);
  });
});

// A summary pass (tree 'none') takes a shorter way through IPv4 for the common datagram: it must leave
// exactly the columns, addresses and layers that the full dissection does, on every kind of datagram
// the fixtures hold (fragments, options, ICMP errors quoting a datagram, VLAN, cooked captures).
describe('ip summary pass', () => {
  const row = (e: Engine) => [e.pinfo.protocol, e.pinfo.info, formatAddress(e.pinfo.src), formatAddress(e.pinfo.dst),
    formatAddress(e.pinfo.netSrc), formatAddress(e.pinfo.netDst), e.pinfo.layers.join(':')].join(' | ');
  for (const f of ['l3-eth.pcap', 'l3-frag.pcap', 'l3-ipv4.pcap', 'l3-vlan.pcap', 'l3-sll.pcap', 'l3-raw.pcap']) {
    it(`gives the full pass's columns on ${f}`, () => {
      const recs = readPcapFile(FIX + f);
      const none = new Engine(), full = new Engine();
      let ipv4 = 0;
      recs.forEach((r, i) => {
        none.dissect(r, i + 1, { tree: 'none', columns: true });
        full.dissect(r, i + 1, { tree: 'full', columns: true });
        expect(row(none), `${f} frame ${i + 1}`).toBe(row(full));
        if (none.pinfo.layers.includes('ip')) ipv4++;
      });
      expect(ipv4).toBeGreaterThan(0);
    });
  }
});
