// GRE and ERSPAN against tshark 4.0.17, on frames of the public tcpdump test corpus (merged in
// test/integration/read-vs-tshark.test.ts): ERSPAN Type I (no GRE sequence number, no ERSPAN header),
// Type II (HSRP inside: the UDP conversation gets a stream number), Type III, a truncated GRE header
// with checksum and routing bits, WCCP's redirect header before IPv4, enhanced GRE (PPTP) and a
// keepalive with a key and no payload.
import { describe, expect, it } from 'vitest';
import { compareHexFrames } from './corpus-frames.js';

/** Frame 5307: ERSPAN Type I (GRE 0x88be, no S bit), Ethernet + IPv4 + ICMP echo request. */
const TYPE_I = `
  002389afd259002389afcd0e08004500006200000000fd2f8968140101011e010102000088be002389ce441300505684
  017d08004500003c65ea00008001be700a0101640a0101010800ba59030090026162636465666768696a6b6c6d6e6f70
  71727374757677616263646566676869`;
/** Frame 5427: ERSPAN Type II (S bit, sequence number), VLAN 101, HSRP over UDP 1985. */
const TYPE_II = `
  000c29f1581e005056c0000108004500006201284000fc2f74ebc0a8c343c0a8c3c4100088be001095281065c0010008
  406501005e00000200000c07acfe080045c0003000000000011169310ac86502e000000207c107c1001cd96500001001
  0369fe00636973636f0000000ac86501`;
/** Frame 5551: ERSPAN Type III (GRE 0x22eb), 802.1Q-tagged Ethernet + IPv4 + ICMP. */
const TYPE_III = `
  005056acc80cf8c28890d27b08004500008a000000003f2f3d970a1d1e680a1d0b0d000022eb20140000a3595bff0000
  0006005056ac18a0f8c28890d27b810000140800450000549d1240003f016b470a1d0b010a1d14150800269c3fcb00e2
  2264905d0000000015220a0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f
  3031323334353637`;
/** Frame 6041: flags 0xc030 (checksum and routing), unknown type 0x3030, cut in the routing entries. */
const TRUNCATED = '30303030303030303030303008004530303030300000302f30303030303030303030c030303030303030303030303030';
/** Frame 9344: WCCP (0x883e) with a redirect header, then IPv4 + TCP (SMB inside). */
const WCCP = `
  00145e2899a8000f353aab4008004500010cac830000fd2fa42e0afe7fc20afed6520000883e05590048450000f09114
  40004006a6500afe7fc30afe6ce4050b01bd8383a18a550ac89d8018f98f290900000101080a00009e1e01abcb5f0000
  00b8ff534d4225000000001807c800000000000000000000000002405808007841281000006400000000040000000000
  000000000000005400640054000200260012807500005c0050004900500045005c000000000005000003100000006400
  0000010000004c00000000001000f0d1d3021100000000000000110000005c005c00310030002e003200350034002e00
  3100300038002e0032003200380000004c00030000000000000003000000640024000000000001000000`;
/** Frame 7956: enhanced GRE (version 1, PPP): payload length and call ID instead of a key. */
const PPTP = `
  0800209f6b7200000000000008004500005003bc0000802f20ad0a01010b0a01010a3001880b0030000000000000ff03
  c0210100002c0506021952cf070208020d03061104064e13170129f76a9077f1472c835247f271d656070000000c`;
/** Frame 9059: a keepalive (type 0) with a key and nothing after the header. */
const KEEPALIVE = 'aabbcc000200aabbcc000100810004bd080045c0001c00a30000fe2f25eb0aac40060aac40072000000000000028';

describe('gre and erspan on corpus frames', () => {
  it('dissects ERSPAN Types I and III through to the mirrored frame', () => {
    const r = compareHexFrames([{ hex: TYPE_I }, { hex: TYPE_III }], ['gre', 'erspan', 'eth', 'vlan', 'ip', 'icmp', '_ws']);
    expect(r.diffs).toEqual([]);
    expect(r.compared).toBeGreaterThan(80);
    expect(r.ours.fields.map((f) => f.filter((o) => o.name === 'erspan.version').map((o) => o.show))).toEqual([[], ['2']]);
  });

  it('numbers the UDP and TCP conversations inside the tunnels as tshark does', () => {
    // HSRP and SMB are not ours: columns (and DCERPC's expert info) differ, fields up to the
    // transport layer must not.
    const r = compareHexFrames([{ hex: TYPE_II }, { hex: WCCP }], ['gre', 'erspan', 'eth', 'ip', 'udp', 'tcp.stream', 'tcp.srcport', '_ws.malformed', '_ws.short'], 1, false);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[0].filter((o) => o.name === 'udp.stream').map((o) => o.show)).toEqual(['0']);
    expect(r.ours.fields[1].filter((o) => o.name === 'tcp.stream').map((o) => o.show)).toEqual(['0']);
    expect(r.ours.fields[1].filter((o) => o.name === 'gre.wccp.service_id').map((o) => o.show)).toEqual(['89']);
  });

  it('shows a truncated header, enhanced GRE and a keepalive as tshark does', () => {
    const r = compareHexFrames([{ hex: TRUNCATED, origLen: 262144 }, { hex: PPTP }, { hex: KEEPALIVE }], ['gre', '_ws'], 1, false);
    expect(r.diffs).toEqual([]);
    expect(r.ours.fields[1].filter((o) => o.name === 'gre.key.call_id').map((o) => o.show)).toEqual(['0']);
  });

  it('shows the summary columns of tunnelled ICMP and of GRE alone as tshark does', () => {
    const r = compareHexFrames([{ hex: TYPE_I }, { hex: TYPE_III }, { hex: KEEPALIVE }, { hex: TRUNCATED, origLen: 262144 }], ['gre']);
    expect(r.diffs).toEqual([]);
  });
});
