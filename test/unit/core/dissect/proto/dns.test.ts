// dns: every DNS field tshark 4.0.17 shows on the l3 fixtures (a real UDP client and server, see
// test/fixtures/l3/dns-peer.py: A+CNAME, AAAA, NS, PTR, MX, TXT, SRV, SOA, NXDOMAIN, EDNS OPT, and a
// response whose compression pointer loops) must match ours in value, byte offset and length.
import { describe, expect, it } from 'vitest';
import { Tvb } from '../../../../../core/dissect/index.js';
import { readName } from '../../../../../core/dissect/proto/dns.js';
import { compareL3Fields, ourDissection } from './l3-compare.js';
import { LINK_RAW, compareHexFrames } from './corpus-frames.js';

const FIX = 'test/fixtures/l3/';

describe('dns against tshark', () => {
  for (const f of ['l3-eth.pcap', 'l3-sll.pcap', 'l3-sll2.pcap']) {
    it(`matches tshark on ${f}`, () => {
      const r = compareL3Fields(FIX + f, ['dns']);
      expect(r.diffs).toEqual([]);
      expect(r.compared).toBeGreaterThan(400);
    });
  }

  it('prints Info as tshark does', () => {
    const info = ourDissection(FIX + 'l3-eth.pcap').columns.map((c) => c[3]);
    expect(info).toContain('Standard query 0x1230 A www.lab.example');
    expect(info).toContain('Standard query response 0x1230 A www.lab.example CNAME web.lab.example A 198.18.0.10 A 198.18.0.11');
    expect(info).toContain('Standard query response 0x1238 No such name A nx.lab.example SOA ns1.lab.example OPT');
  });

  it('ends a name at a pointer loop or past 255 bytes instead of hanging, as packet-dns.c does', () => {
    // A pointer to itself at offset 0 and a label looping back to itself: caught after 255 pointers.
    expect(readName(Tvb.of(Uint8Array.from([0xc0, 0x00])), 0)).toMatchObject({ name: '<Name contains a pointer that loops>', len: 2 });
    expect(readName(Tvb.of(Uint8Array.from([0x01, 0x61, 0xc0, 0x00])), 0)).toMatchObject({ name: '<Name contains a pointer that loops>', len: 4 });
    // Four 63-byte labels: 255 characters with the dots, one more than MAX_DNAME_LEN keeps (corpus
    // frames 5082 and 5094 reach this through forward pointers: tshark's "<Name too long>", length 15).
    const long = new Uint8Array(300);
    for (let i = 0; i + 64 < 300; i += 64) { long[i] = 63; long.fill(0x61, i + 1, i + 64); }
    expect(readName(Tvb.of(long), 0)).toMatchObject({ name: '<Name too long>', len: 257, rawLen: 15, labels: 1 });
    // A pointer forwards is followed (no "loop" for pointing past itself).
    expect(readName(Tvb.of(Uint8Array.from([0xc0, 0x02, 0x01, 0x62, 0x00])), 0)).toMatchObject({ name: 'b', len: 2 });
  });
});

describe('dns on corpus frames', () => {
  // tcpdump's public test corpus, frames 5098 and 5100 of the merged corpus: a query and its answer
  // over TCP port 53, each message behind its 2-byte length (RFC 1035 4.2.2).
  it('dissects DNS over TCP with its length prefix as tshark does', () => {
    const r = compareHexFrames([
      { hex: '0011223344660011223344550800450000629b2a40004006134ec0a8010bd157f91283f3003523fec80d79d249145018faf0779600000038431901200001000000000001037777770774637064756d70036f72670000010001000029100000000000000c000a00088f06be7d691442f0' },
      { hex: '00112233445500112233446608004500010a003000008006ada0d157f912c0a8010b003583f379d2491423fec8475018faf0080a000000e0431985000001000200020005037777770774637064756d70036f72670000010001c00c000100010000003c0004c08b2e42c00c000100010000003c0004c6c75868c01000020001000151800012036e69630973616e64656c6d616e02636100c0100002000100015180001203736e7308636f6f7065726978036e657400c04d000100010000012c0004d157f912c04d001c00010000012c00102607f0b0000f000000000000babef00dc06b0001000100001c200004616b850fc06b001c000100001c20001026003c0300000000f03c91fffe96e8ef0000291000000000000000' },
    ], ['dns']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'dns.length').map((o) => o.show)).toEqual(['56']);
    expect(r.ours.columns[1][3]).toMatch(/^Standard query response 0x4319 A www.tcpdump.org A 192.139.46.66/);
  });

  // Frames 5121, 5122 (UDP port 8053) and 8798 (ports 30490/31490, a record of type 0 cut short):
  // no DNS port, so tshark 4.0 finds them with packet-dns.c's UDP heuristic.
  it('finds DNS on other UDP ports with the heuristic tshark uses', () => {
    const r = compareHexFrames([
      { hex: '001122334466001122334455080045000054952e00004011594dc0a8010bd157f912aaed1f7500409453014301200001000000000001037777770774637064756d70036f72670000010001000029100000000000000c000a00089661b0beabd5df68' },
      { hex: '0011223344550011223344660800450000ec1183000080119c60d157f912c0a8010b1f75aaed00d8bcd7014385000001000100020005037777770774637064756d70036f72670000010001c00c000100010000003c0004c08b2e42c0100002000100015180001203736e7308636f6f7065726978036e657400c01000020001000151800012036e69630973616e64656c6d616e02636100c05b000100010000012c0004d157f912c05b001c00010000012c00102607f0b0000f000000000000babef00dc03d0001000100001c200004616b850fc03d001c000100001c20001026003c0300000000f03c91fffe96e8ef0000291000000000000000' },
    ], ['dns']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.columns.map((c) => c[0])).toEqual(['DNS', 'DNS']);
  });

  // Frame 8798: the second answer's name starts with an extended label (0x47) and its data length
  // (65535) runs past the packet, so tshark shows the first answer only, then Malformed. The first
  // name holds bytes 01 | 00 80: control characters are escaped (\001.\000), byte 0x80 is printed raw,
  // which -T pdml cannot carry as text, so the names are left out of the comparison.
  it('shows a damaged response found by the heuristic as far as tshark does', () => {
    const r = compareHexFrames([{ hex: 'ffffffffffff001fc6db87370800450000640001000040114927c0a85808c0a85808771a7b020050d0fdffff81000000004000000000010102008000000000000020000000004711ffffff000e10ffffffff010000101234000101000003000000320000000c00090400c0a800010011d903' }],
      ['dns.id', 'dns.flags', 'dns.count', 'dns.resp', '_ws.malformed']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.columns[0][3]).toBe('Standard query response 0xffff Unused[Malformed Packet]');
    // The label's byte 0x80 is not UTF-8: format_text shows U+FFFD.
    expect(r.ours.fields[0].filter((o) => o.name === 'dns.resp.name').map((o) => o.show)).toEqual(['\\001.\\000\ufffd']);
  });

  // Frame 5133: NetBIOS name service on port 137 has DNS's header layout; tshark gives it to NBNS by
  // port, so the heuristic must not claim it.
  it('leaves NBNS on port 137 alone', () => {
    const r = compareHexFrames([{ hex: 'ffffffffffff00042357a57a08004500004e388a000080117cccc0a801f9c0a801ff00890089003a8277892101100001000000000000204542464345434546454a4645464445484643464646414641454643414341424c0000200001' }], ['dns'], undefined, false);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].some((o) => o.name === 'dns')).toBe(false);
  });
  // Frame 5088: an answer of type 256 (URI), which packet-dns.c 4.0 has no case for: "not
  // implemented" note and the record data as dns.data. Frame 5128: SSHFP (44), which it decodes
  // field by field: no dns.data.
  it('gives dns.data and a note only for types Wireshark does not decode', () => {
    const r = compareHexFrames([
      { hex: '00000000000000000000000008004500006f3e65000040113e177f0000017f0000010035e7d3005bfe6eaf2d85800001000100000001055f6874747003646e7304746573740001000001c00c0100000100002a30001c000a0005687474703a2f2f7777772e646e732e746573743a383030300000291000000000000000' },
      { hex: '0000000000000000000000000800450000f40000400040113bf77f0000017f00000100358ce500e0fef3c11881800001000100040005076d6f6e616469630563796e6963036e657400002c0001c00c002c00010000011500160101f90fd39646968ea815cccbc8df17d93a6a4475abc01400020001000291700006036e7334c014c01400020001000291700006036e7331c014c01400020001000291700006036e7333c014c01400020001000291700006036e7332c014c063000100010002917000047d647ecdc08700010001000291700004c7af89d5c07500010001000291700004cb8d9916c051000100010002917000047a67eeba0000291000000000000000' },
    ], ['dns', '_ws.expert']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'dns.data').length).toBe(1);
    expect(r.ours.fields[1].filter((o) => o.name === 'dns.data').length).toBe(0);
  });

  // Frame 5078 (BSD loopback): a query for the root; packet-dns.c counts "<Root>" as one label.
  it('counts labels of the root name as tshark does', () => {
    const r = compareHexFrames([{ hex: '0200000045000044000f0000401100007f0000017f000001d6aa00350030fe43f6ab012000010000000000010000060001000029100000000000000c000a000836bf111fef2e0109' }], ['dns'], 0);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'dns.count.labels').map((o) => o.show)).toEqual(['1']);
  });
  // Frames 807, 808, 809, 811 and 812 of the merged corpus (raw IP): one query (ID 0x1234) sent over
  // IPv4 and IPv6 and repeated, with clocks that jump backwards. packet-dns.c calls a query a
  // retransmission when its address/port pair has the same ID open, unanswered, less than 5 s before.
  it('reports DNS query retransmissions as tshark does', () => {
    const r = compareHexFrames([
      { hex: '45000039000100004011a695c0a80164090909093039003500251976123401000001000000000000076578616d706c6503636f6d0000010001', tsNs: 1751997572592885000n },
      { hex: '600000000025114020010db8000000000000000000000001262000fe00000000000000000000000930390035002598b3123401000001000000000000076578616d706c6503636f6d0000010001', tsNs: 1752040834349949000n },
      { hex: '600000000025114020010db8000000000000000000000001262000fe00000000000000000000000930390035002598b3123401000001000000000000076578616d706c6503636f6d0000010001', tsNs: 1751997566204450000n },
      { hex: '45000039000100004011a695c0a80164090909093039003500251976123401000001000000000000076578616d706c6503636f6d0000010001', tsNs: 1751997551951226000n },
      { hex: '600000000025114020010db8000000000000000000000001262000fe00000000000000000000000930390035002598b3123401000001000000000000076578616d706c6503636f6d0000010001', tsNs: 1751997557215270000n },
    ], ['dns', '_ws.expert'], LINK_RAW);
    expect(r.diffs).toEqual([]);
    const orig = r.ours.fields.map((f) => f.filter((o) => o.name === 'dns.retransmit_request_in').map((o) => o.show).join());
    expect(orig).toEqual(['', '', '2', '1', '2']);
  });
});

describe('dns on damaged corpus frames', () => {
  // Frame 8713 (cut to its IPv4 datagram; its 2,190-byte trailer is left out): a UDP length past the
  // datagram and 9 bytes of DNS. packet-dns.c shows the counts it could read before the cut, and the
  // columns.
  it('shows a message cut in its header as tshark does', () => {
    const r = compareHexFrames([{ hex: 'ffffffffffff010101010101080045000025009e4000ff11d7e0d01502b80a01016305e80035dfff2ab9309f122ce37090440325' }], ['dns', '_ws.malformed']);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'dns.count.answers').map((o) => o.show)).toEqual(['36932']);
    expect(r.ours.columns[0][3]).toBe('Server status request 0x309f[Malformed Packet]');
  });
});
