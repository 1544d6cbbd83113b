import { describe, expect, it } from 'vitest';
import '../../../../core/dissect/index.js';
import { Engine } from '../../../../core/dissect/engine.js';
import { PART_INELIGIBLE, PART_MISC, Partitioner } from '../../../../core/dissect/partition.js';
import { presetTcp } from '../../../../core/dissect/proto/tcp.js';
import { LinkType, type PacketRecord } from '../../../../core/capfile/record.js';

const ETH = '020000000001020000000002';
/** IPv4 header (20 bytes) with the given flags/offset word, protocol and total length. */
const ip4 = (proto: number, total: number, fo = 0x4000, src = 'c6120002', dst = 'c6120001') =>
  `4500${total.toString(16).padStart(4, '0')}1234${fo.toString(16).padStart(4, '0')}40${proto.toString(16).padStart(2, '0')}0000${src}${dst}`;
/** TCP header (20 bytes): ports, seq, ack, flags. */
const tcp = (sport: number, dport: number, seq: number, ack: number, flags: number) =>
  `${sport.toString(16).padStart(4, '0')}${dport.toString(16).padStart(4, '0')}${seq.toString(16).padStart(8, '0')}${ack.toString(16).padStart(8, '0')}50${flags.toString(16).padStart(2, '0')}faf000000000`;

function rec(hex: string, linkType: number = LinkType.ETHERNET, origLen = hex.length / 2): PacketRecord {
  const data = Uint8Array.from(Buffer.from(hex, 'hex'));
  return { tsSec: 1, tsNsec: 0, capLen: data.length, origLen, interfaceId: 0, linkType, data, fileOffset: 0 };
}

describe('Partitioner', () => {
  it('gives TCP segments their capture-wide stream, the same one dissectTcp then shows', () => {
    const e = new Engine();
    const p = new Partitioner(e);
    const syn = rec(ETH + '0800' + ip4(6, 40) + tcp(51012, 85, 1000, 0, 0x02));
    const other = rec(ETH + '0800' + ip4(6, 40) + tcp(51013, 85, 5000, 0, 0x02));
    const synack = rec(ETH + '0800' + ip4(6, 40, 0x4000, 'c6120001', 'c6120002') + tcp(85, 51012, 9000, 1001, 0x12));
    expect(p.classify(syn, 1)).toBe(0);
    expect(p.classify(other, 2)).toBe(1);
    expect(p.classify(synack, 3)).toBe(0);
    // A new SYN on the same 4-tuple with another sequence number is a new stream (port reuse).
    expect(p.classify(rec(ETH + '0800' + ip4(6, 40) + tcp(51012, 85, 777777, 0, 0x02)), 4)).toBe(2);
    // Dissecting the frames afterwards shows the preassigned streams.
    e.dissect(syn, 1, { tree: 'full', columns: true });
    expect(e.pinfo.tcpStream).toBe(0);
    e.dissect(synack, 3, { tree: 'full', columns: true });
    expect(e.pinfo.tcpStream).toBe(0);
    expect(e.pinfo.info).toBe('85 \u2192 51012 [SYN, ACK] Seq=0 Ack=1 Win=64240 Len=0');
  });

  it('lets another engine dissect one stream\'s frames alone, as one engine shows them (presetTcp)', () => {
    // Two streams interleaved; the second stream's SYN/ACK sets the base of its other direction.
    const frames = [
      rec(ETH + '0800' + ip4(6, 40) + tcp(51012, 85, 1000, 0, 0x02)),
      rec(ETH + '0800' + ip4(6, 40) + tcp(51013, 85, 5000, 0, 0x02)),
      rec(ETH + '0800' + ip4(6, 40, 0x4000, 'c6120001', 'c6120002') + tcp(85, 51013, 7000, 5001, 0x12)),
      rec(ETH + '0800' + ip4(6, 40, 0x4000, 'c6120001', 'c6120002') + tcp(85, 51012, 9000, 1001, 0x12)),
      rec(ETH + '0800' + ip4(6, 40) + tcp(51013, 85, 5001, 7001, 0x10)),
    ];
    const one = new Engine();
    const expected = frames.map((r, i) => { one.dissect(r, i + 1, { tree: 'none', columns: true }); return one.pinfo.info; });
    const p = new Partitioner(new Engine());
    const lane = new Engine();
    frames.forEach((r, i) => {
      const num = i + 1;
      const stream = p.classify(r, num);
      if (stream !== 1) return; // another lane's
      const t = p.tcp;
      presetTcp(lane.context, num, stream, t.dir, t.reused, t.base, t.baseRev, t.set);
      lane.capture.noteTime(num - 1, 1, 0);
      lane.dissect(r, num, { tree: 'none', columns: true });
      expect(lane.pinfo.tcpStream).toBe(1);
      expect(lane.pinfo.info, `frame ${num}`).toBe(expected[i]);
    });
    expect(expected[4]).toBe('51013 \u2192 85 [ACK] Seq=1 Ack=1 Win=64240 Len=0');
  });

  it('puts what cannot reach TCP in the misc partition', () => {
    const p = new Partitioner(new Engine());
    const arp = rec(ETH + '0806' + '0001080006040001020000000002c6120002000000000000c6120001');
    expect(p.classify(arp, 1)).toBe(PART_MISC);
    expect(p.classify(rec(ETH + '0800' + ip4(17, 28) + '0035d43100080000'), 2)).toBe(PART_MISC);
    expect(p.classify(rec(ETH + '0800' + ip4(1, 28) + '0800f7ff00000000'), 3)).toBe(PART_MISC); // echo request
    expect(p.classify(rec(ETH + '05dc' + 'aaaa03'), 4)).toBe(PART_MISC); // 802.3 length + LLC
  });

  it('marks frames that depend on others beyond their stream as ineligible', () => {
    const p = new Partitioner(new Engine());
    const cases: [string, PacketRecord][] = [
      ['first IPv4 fragment', rec(ETH + '0800' + ip4(17, 28, 0x2000) + '0035d43100080000')],
      ['later IPv4 fragment', rec(ETH + '0800' + ip4(6, 40, 0x0010) + tcp(1, 2, 3, 4, 0x10))],
      ['ICMP error quoting TCP', rec(ETH + '0800' + ip4(1, 56) + '0303fcfc00000000' + ip4(6, 40) + tcp(1, 2, 3, 4, 0x10).slice(0, 16))],
      ['IPv4 in IPv4', rec(ETH + '0800' + ip4(4, 60) + ip4(6, 40) + tcp(1, 2, 3, 4, 0x10))],
      ['802.1Q tag', rec(ETH + '8100' + '0001' + '0800' + ip4(6, 40) + tcp(1, 2, 3, 4, 0x10))],
      ['TCP header cut by the snaplen', rec(ETH + '0800' + ip4(6, 40) + tcp(1, 2, 3, 4, 0x10).slice(0, 20), LinkType.ETHERNET, 54)],
      ['IPv4 total length past the frame', rec(ETH + '0800' + ip4(6, 400) + tcp(1, 2, 3, 4, 0x10))],
      ['BSD loopback link type', rec('02000000' + ip4(6, 40) + tcp(1, 2, 3, 4, 0x10), LinkType.NULL)],
      ['IPv6 hop-by-hop header', rec(ETH + '86dd' + '60000000001c0040' + '20010db8'.padEnd(32, '0') + '20010db8'.padEnd(31, '0') + '1' + '0600000000000000' + tcp(1, 2, 3, 4, 0x10))],
      ['VXLAN (UDP 4789)', rec(ETH + '0800' + ip4(17, 36) + 'c35012b5001000000800000000000100')],
      ['transparent Ethernet bridging', rec(ETH + '6558' + ETH + '0800' + ip4(6, 40) + tcp(1, 2, 3, 4, 0x10))],
      ['Geneve (UDP 6081)', rec(ETH + '0800' + ip4(17, 36) + '17c1c35000100000000065580000010000')],
      ['ICMPv6 error', rec(ETH + '86dd' + '60000000000a3a40' + 'fe80'.padEnd(32, '0') + 'fe80'.padEnd(31, '0') + '1' + '01040000000000000000')],
    ];
    cases.forEach(([what, r], i) => expect(p.classify(r, i + 1), what).toBe(PART_INELIGIBLE));
  });

  it('follows raw IPv6 and cooked captures', () => {
    const p = new Partitioner(new Engine());
    const v6 = '60000000001406' + '40' + '20010db8'.padEnd(32, '0') + '20010db8'.padEnd(31, '0') + '1' + tcp(40000, 85, 1, 0, 0x02);
    expect(p.classify(rec(v6, LinkType.RAW), 1)).toBe(0);
    const sll = '0000' + '0001' + '0006' + '020000000002' + '0000' + '0800';
    expect(p.classify(rec(sll + ip4(6, 40) + tcp(40001, 85, 1, 0, 0x02), LinkType.LINUX_SLL), 2)).toBe(1);
  });
});
