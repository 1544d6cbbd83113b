// IPv6 (RFC 8200; Wireshark's packet-ipv6.c): the fixed header, then the extension headers walked in
// order (hop-by-hop and destination options with their options, routing, fragment, and AH as
// packet-ipsec.c shows it inside the IPv6 tree), then the upper layer by next header. ESP and "no next
// header" end the walk with the Info text Wireshark uses. Fragments are not reassembled (as tshark
// -o ipv6.defragment:FALSE): a non-first fragment is shown as data.

import { Base, FT, defineFields, defineProtocol, type Field } from '../../fields/registry.js';
import { formatIPv6 } from '../../fields/addr.js';
import { AddrType } from '../packet.js';
import { type Ctx, tables } from '../table.js';
import { ItemFlags, type Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { ExpertGroup, ExpertSeverity, type ExpertInfo, addExpert } from '../frame.js';
import { DSCP_SHORT, ECN_SHORT, hf_ip, inErrorPacket, lastIpTtl } from './ip.js';
import { IP_PROTOCOLS, ipProtoName } from './ipproto.js';
import { dissectEth, setActualLength } from './eth.js';

export const proto_ipv6 = defineProtocol('ipv6', 'Internet Protocol Version 6', 'IPv6');
export const proto_hopopts = defineProtocol('ipv6.hopopts', 'IPv6 Hop-by-Hop Option', 'IPv6 Hop-by-Hop');
export const proto_dstopts = defineProtocol('ipv6.dstopts', 'Destination Options for IPv6', 'IPv6 Destination');
export const proto_routing = defineProtocol('ipv6.routing', 'Routing Header for IPv6', 'IPv6 Routing');
export const proto_fraghdr = defineProtocol('ipv6.fraghdr', 'Fragment Header for IPv6', 'IPv6 Fragment');
export const proto_ah = defineProtocol('ah', 'Authentication Header', 'AH');

const DSCP: Readonly<Record<number, string>> = {
  0: 'Default', 8: 'Class Selector 1', 10: 'Assured Forwarding 11', 12: 'Assured Forwarding 12', 14: 'Assured Forwarding 13',
  16: 'Class Selector 2', 18: 'Assured Forwarding 21', 20: 'Assured Forwarding 22', 22: 'Assured Forwarding 23',
  24: 'Class Selector 3', 26: 'Assured Forwarding 31', 28: 'Assured Forwarding 32', 30: 'Assured Forwarding 33',
  32: 'Class Selector 4', 34: 'Assured Forwarding 41', 36: 'Assured Forwarding 42', 38: 'Assured Forwarding 43',
  40: 'Class Selector 5', 44: 'Voice Admit', 46: 'Expedited Forwarding', 48: 'Class Selector 6', 56: 'Class Selector 7', 1: 'Lower Effort',
};
const ECN: Readonly<Record<number, string>> = {
  0: 'Not ECN-Capable Transport', 1: "ECN-Capable Transport codepoint '01'", 2: "ECN-Capable Transport codepoint '10'", 3: 'Congestion Experienced',
};
const OPT_TYPES: Readonly<Record<number, string>> = {
  0: 'Pad1', 1: 'PadN', 4: 'Tunnel Encapsulation Limit', 5: 'Router Alert', 7: 'CALIPSO', 8: 'SMF_DPD',
  15: 'Performance and Diagnostic Metrics', 38: 'Quick-Start', 48: 'Path MTU Option', 49: 'IOAM Option', 99: 'RPL Option',
  109: 'MPL Option', 138: 'Endpoint Identification', 139: 'ILNP Nonce', 140: 'Line-Identification Option',
  194: 'Jumbo Payload', 201: 'Home Address', 238: 'IP_DFF',
};
const ROUTING_TYPES: Readonly<Record<number, string>> = {
  0: 'Source Route', 1: 'Nimrod', 2: 'Type 2 Routing', 3: 'RPL Source Route', 4: 'Segment Routing',
  5: 'Compact Routing Header 16', 6: 'Compact Routing Header 32', 253: 'Experiment 1', 254: 'Experiment 2',
};

export const hf_ipv6 = defineFields(proto_ipv6, {
  version: { abbrev: 'ipv6.version', name: 'Version', type: FT.UINT8, base: Base.DEC, bitmask: 0xf0 },
  tclass: { abbrev: 'ipv6.tclass', name: 'Traffic Class', type: FT.UINT32, base: Base.HEX, bitmask: 0x0ff00000 },
  tclass_dscp: { abbrev: 'ipv6.tclass.dscp', name: 'Differentiated Services Codepoint', type: FT.UINT32, base: Base.DEC, bitmask: 0x0fc00000, strings: DSCP },
  tclass_ecn: { abbrev: 'ipv6.tclass.ecn', name: 'Explicit Congestion Notification', type: FT.UINT32, base: Base.DEC, bitmask: 0x00300000, strings: ECN },
  flow: { abbrev: 'ipv6.flow', name: 'Flow Label', type: FT.UINT24, base: Base.HEX, bitmask: 0x0fffff },
  plen: { abbrev: 'ipv6.plen', name: 'Payload Length', type: FT.UINT16, base: Base.DEC },
  nxt: { abbrev: 'ipv6.nxt', name: 'Next Header', type: FT.UINT8, base: Base.DEC, strings: IP_PROTOCOLS },
  hlim: { abbrev: 'ipv6.hlim', name: 'Hop Limit', type: FT.UINT8, base: Base.DEC },
  src: { abbrev: 'ipv6.src', name: 'Source Address', type: FT.IPv6 },
  addr: { abbrev: 'ipv6.addr', name: 'Source or Destination Address', type: FT.IPv6 },
  src_host: { abbrev: 'ipv6.src_host', name: 'Source Host', type: FT.STRING },
  host: { abbrev: 'ipv6.host', name: 'Source or Destination Host', type: FT.STRING },
  dst: { abbrev: 'ipv6.dst', name: 'Destination Address', type: FT.IPv6 },
  dst_host: { abbrev: 'ipv6.dst_host', name: 'Destination Host', type: FT.STRING },
  opt: { abbrev: 'ipv6.opt', name: 'IPv6 Option', type: FT.NONE },
  opt_type: { abbrev: 'ipv6.opt.type', name: 'Type', type: FT.UINT8, base: Base.HEX, strings: OPT_TYPES },
  opt_type_action: { abbrev: 'ipv6.opt.type.action', name: 'Action', type: FT.UINT8, base: Base.DEC, bitmask: 0xc0, strings: { 0: 'Skip and continue', 1: 'Discard', 2: 'Discard and send ICMP Parameter Problem', 3: 'Discard and send ICMP if not multicast' } },
  opt_type_change: { abbrev: 'ipv6.opt.type.change', name: 'May Change', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x20, tfs: ['Yes', 'No'] },
  opt_type_rest: { abbrev: 'ipv6.opt.type.rest', name: 'Low-Order Bits', type: FT.UINT8, base: Base.HEX, bitmask: 0x1f },
  opt_length: { abbrev: 'ipv6.opt.length', name: 'Length', type: FT.UINT8, base: Base.DEC },
  opt_pad1: { abbrev: 'ipv6.opt.pad1', name: 'Pad1', type: FT.NONE },
  opt_padn: { abbrev: 'ipv6.opt.padn', name: 'PadN', type: FT.BYTES },
  opt_router_alert: { abbrev: 'ipv6.opt.router_alert', name: 'Router Alert', type: FT.UINT16, base: Base.DEC, strings: { 0: 'MLD', 1: 'RSVP', 2: 'Active Network' } },
});
const hf_ipv6_ei = defineFields(proto_ipv6, {
  bogus_version: { abbrev: 'ipv6.bogus_ipv6_version', name: 'Bogus IP version', type: FT.NONE },
});
const ei_ipv6_bogus_version: ExpertInfo = { field: hf_ipv6_ei.bogus_version, severity: ExpertSeverity.ERROR, group: ExpertGroup.MALFORMED };
const hf_ipv6_invalid = defineFields(proto_ipv6, {
  invalid_header: { abbrev: 'ipv6.invalid_header', name: 'Invalid IPv6 header', type: FT.NONE },
});
const ei_ipv6_invalid_header: ExpertInfo = { field: hf_ipv6_invalid.invalid_header, severity: ExpertSeverity.ERROR, group: ExpertGroup.MALFORMED };
// Payload length experts and the Jumbo Payload option (RFC 2675), as packet-ipv6.c 4.0 registers them.
const hf_ipv6_plen_ei = defineFields(proto_ipv6, {
  opt_jumbo: { abbrev: 'ipv6.opt.jumbo', name: 'Payload Length', type: FT.UINT32, base: Base.DEC },
  jumbo_missing: { abbrev: 'ipv6.opt.jumbo.missing', name: 'IPv6 payload length equals 0 and Hop-By-Hop present and Jumbo Payload option missing', type: FT.NONE },
  jumbo_prohibited: { abbrev: 'ipv6.opt.jumbo.prohibited', name: 'When IPv6 payload length does not equal 0 a Jumbo Payload option must not be present', type: FT.NONE },
  jumbo_truncated: { abbrev: 'ipv6.opt.jumbo.truncated', name: 'Jumbo Payload option present and jumbo length < 65536', type: FT.NONE },
  plen_exceeds_framing: { abbrev: 'ipv6.plen_exceeds_framing', name: 'IPv6 payload length does not match expected framing length', type: FT.NONE },
  plen_zero: { abbrev: 'ipv6.plen_zero', name: 'IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))', type: FT.NONE },
});
const ei_jumbo_missing: ExpertInfo = { field: hf_ipv6_plen_ei.jumbo_missing, severity: ExpertSeverity.ERROR, group: ExpertGroup.MALFORMED };
const ei_jumbo_prohibited: ExpertInfo = { field: hf_ipv6_plen_ei.jumbo_prohibited, severity: ExpertSeverity.ERROR, group: ExpertGroup.PROTOCOL };
const ei_jumbo_truncated: ExpertInfo = { field: hf_ipv6_plen_ei.jumbo_truncated, severity: ExpertSeverity.WARN, group: ExpertGroup.PROTOCOL };
const ei_plen_exceeds_framing: ExpertInfo = { field: hf_ipv6_plen_ei.plen_exceeds_framing, severity: ExpertSeverity.WARN, group: ExpertGroup.PROTOCOL };
const ei_plen_zero: ExpertInfo = { field: hf_ipv6_plen_ei.plen_zero, severity: ExpertSeverity.CHAT, group: ExpertGroup.PROTOCOL };

/**
 * The Jumbo Payload length of the hop-by-hop header at `off`, or 0 (packet-ipv6.c ipv6_get_jumbo_plen:
 * the first Jumbo option of length 4, looked for only while 6 bytes are captured).
 */
function jumboLength(tvb: Tvb, off: number): number {
  if (tvb.remaining(off) < 2) return 0;
  const stop = off + (tvb.u8(off + 1) + 1) * 8;
  for (let o = off + 2; o < stop && tvb.remaining(o) >= 6;) {
    const type = tvb.u8(o);
    if (type === 0) { o += 1; continue; }
    const len = tvb.u8(o + 1);
    if (type === 0xc2 && len === 4) return tvb.u32(o + 2);
    o += 2 + len;
  }
  return 0;
}

const extFields = (p: string, proto: typeof proto_hopopts) => defineFields(proto, {
  nxt: { abbrev: `${p}.nxt`, name: 'Next Header', type: FT.UINT8, base: Base.DEC, strings: IP_PROTOCOLS },
  len: { abbrev: `${p}.len`, name: 'Length', type: FT.UINT8, base: Base.DEC },
  len_oct: { abbrev: `${p}.len_oct`, name: 'Length', type: FT.UINT16, base: Base.DEC, unit: ' bytes' },
});
export const hf_hopopts = extFields('ipv6.hopopts', proto_hopopts);
export const hf_dstopts = extFields('ipv6.dstopts', proto_dstopts);
export const hf_routing = {
  ...extFields('ipv6.routing', proto_routing),
  ...defineFields(proto_routing, {
    type: { abbrev: 'ipv6.routing.type', name: 'Type', type: FT.UINT8, base: Base.DEC, strings: ROUTING_TYPES },
    segleft: { abbrev: 'ipv6.routing.segleft', name: 'Segments Left', type: FT.UINT8, base: Base.DEC },
    src_reserved: { abbrev: 'ipv6.routing.src.reserved', name: 'Reserved', type: FT.BYTES },
    src_addr: { abbrev: 'ipv6.routing.src.addr', name: 'Address', type: FT.IPv6 },
    deprecated: { abbrev: 'ipv6.routing.deprecated', name: 'Routing header type is deprecated', type: FT.NONE },
    mipv6_reserved: { abbrev: 'ipv6.routing.mipv6.reserved', name: 'Reserved', type: FT.BYTES },
    mipv6_home_address: { abbrev: 'ipv6.routing.mipv6.home_address', name: 'Home Address', type: FT.IPv6 },
  }),
};
const ei_ipv6_routing_deprecated: ExpertInfo = { field: hf_routing.deprecated, severity: ExpertSeverity.NOTE, group: ExpertGroup.DEPRECATED };
export const hf_fraghdr = defineFields(proto_fraghdr, {
  nxt: { abbrev: 'ipv6.fraghdr.nxt', name: 'Next header', type: FT.UINT8, base: Base.DEC, strings: IP_PROTOCOLS },
  reserved_octet: { abbrev: 'ipv6.fraghdr.reserved_octet', name: 'Reserved octet', type: FT.UINT8, base: Base.HEX },
  offset: { abbrev: 'ipv6.fraghdr.offset', name: 'Offset', type: FT.UINT16, base: Base.DEC, bitmask: 0xfff8 },
  reserved_bits: { abbrev: 'ipv6.fraghdr.reserved_bits', name: 'Reserved bits', type: FT.UINT16, base: Base.DEC, bitmask: 0x0006 },
  more: { abbrev: 'ipv6.fraghdr.more', name: 'More Fragments', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0001, tfs: ['Yes', 'No'] },
  ident: { abbrev: 'ipv6.fraghdr.ident', name: 'Identification', type: FT.UINT32, base: Base.HEX },
});
export const hf_ah = defineFields(proto_ah, {
  next_header: { abbrev: 'ah.next_header', name: 'Next header', type: FT.UINT8, base: Base.DEC, strings: IP_PROTOCOLS },
  length: { abbrev: 'ah.length', name: 'Length', type: FT.UINT8, base: Base.DEC },
  reserved: { abbrev: 'ah.reserved', name: 'Reserved', type: FT.BYTES },
  spi: { abbrev: 'ah.spi', name: 'AH SPI', type: FT.UINT32, base: Base.HEX },
  sequence: { abbrev: 'ah.sequence', name: 'AH Sequence', type: FT.UINT32, base: Base.DEC },
  icv: { abbrev: 'ah.icv', name: 'AH ICV', type: FT.BYTES },
});

function addAddress(ctx: Ctx, top: Item, tvb: Tvb, off: number, main: Field, host: Field): void {
  const { tree } = ctx;
  const a = tvb.bytesAt(off, 16);
  tree.add(top, main, tvb, off, 16, a);
  tree.add(top, hf_ipv6.addr, tvb, off, 16, a, ItemFlags.HIDDEN);
  if (tree.mode !== 'none') {
    const text = formatIPv6(a);
    tree.add(top, host, tvb, off, 16, text, ItemFlags.HIDDEN);
    tree.add(top, hf_ipv6.host, tvb, off, 16, text, ItemFlags.HIDDEN);
  }
}

/** The TLV options of a hop-by-hop or destination options header (RFC 8200 4.2). */
function dissectOptions(ctx: Ctx, parent: Item, tvb: Tvb, start: number, end: number, headerPlen: number): void {
  const { tree } = ctx;
  for (let off = start; off < end;) {
    const type = tvb.u8(off);
    // Wireshark 4.0 sizes every option item as "length byte + 2", Pad1 included (it reads the next byte).
    const itemLen = off + 1 < end ? tvb.u8(off + 1) + 2 : 1;
    const opt = tree.add(parent, hf_ipv6.opt, tvb, off, itemLen, null);
    const name = OPT_TYPES[type] ?? `Unknown IPv6 Option (0x${type.toString(16).padStart(2, '0')})`;
    if (tree.full) tree.setText(opt, name);
    const ti = tree.add(opt, hf_ipv6.opt_type, tvb, off, 1, type);
    if (type === 0) {
      tree.add(opt, hf_ipv6.opt_pad1, tvb, off, 1, null);
      off += 1;
      continue;
    }
    tree.add(ti, hf_ipv6.opt_type_action, tvb, off, 1, type >> 6);
    tree.add(ti, hf_ipv6.opt_type_change, tvb, off, 1, (type & 0x20) !== 0);
    tree.add(ti, hf_ipv6.opt_type_rest, tvb, off, 1, type & 0x1f);
    const len = tvb.u8(off + 1);
    tree.add(opt, hf_ipv6.opt_length, tvb, off + 1, 1, len);
    if (type === 1) {
      const p = tree.add(opt, hf_ipv6.opt_padn, tvb, off + 2, len, tvb.bytesAt(off + 2, len));
      if (tree.full && len === 0) tree.setValueText(p, '<none>');
    } else if (type === 5 && len === 2) {
      tree.add(opt, hf_ipv6.opt_router_alert, tvb, off + 2, 2, tvb.u16(off + 2));
    } else if (type === 0xc2 && len === 4) {
      const jumbo = tvb.u32(off + 2);
      const ji = tree.add(opt, hf_ipv6_plen_ei.opt_jumbo, tvb, off + 2, 4, jumbo);
      // dissect_opt_jumbo: RFC 2675 section 3 forbids the option with a non-zero payload length, and a
      // jumbogram of less than 65536 bytes.
      if (headerPlen !== 0) addExpert(ctx, parent, tvb, off + 2, 0, ei_jumbo_prohibited);
      if (jumbo < 65536) addExpert(ctx, ji, tvb, off + 2, 0, ei_jumbo_truncated);
    }
    off += 2 + len;
  }
}

export function dissectIpv6(frameTvb: Tvb, ctx: Ctx, parent: Item): number {
  let tvb = frameTvb;
  const { pinfo, tree } = ctx;
  const inError = inErrorPacket.depth > 0;
  pinfo.enter('ipv6', 'IPv6');
  if (pinfo.columns && !inError) {
    pinfo.protocol = 'IPv6';
    pinfo.clearInfo();
  }
  const w = tvb.u32(0);
  const version = w >>> 28, tclass = (w >>> 20) & 0xff, flow = w & 0xfffff;
  const headerPlen = tvb.u16(4);
  let nxt = tvb.u8(6);
  // A protocol item is cut to the captured bytes (proto.c), so a header the capture cut stays visible.
  const top = tree.add(parent, proto_ipv6, tvb, 0, Math.min(40, tvb.length), null);
  const vi = tree.add(top, hf_ipv6.version, tvb, 0, 1, version);
  // Wireshark adds a hidden ip.version so that "ip.version == 6" matches IPv6 too.
  tree.add(top, hf_ip.version, tvb, 0, 1, version, ItemFlags.HIDDEN);
  if (version !== 6) {
    // packet-ipv6.c: nothing past the version is trusted; returning 0 leaves the bytes to the caller.
    addExpert(ctx, vi, tvb, 0, 0, ei_ipv6_bogus_version, 'Bogus IPv6 version');
    // A dissector that returns 0 is taken off frame.protocols (packet.c call_dissector_work).
    pinfo.leave();
    return 0;
  }
  if (tvb.reportedLength < 40) {
    // packet-ipv6.c: a packet shorter than the fixed header is flagged, then dissected until it ends.
    if (pinfo.columns && !inError) pinfo.setInfo(`Invalid IPv6 header (${tvb.reportedLength} bytes, need exactly 40)`);
    addExpert(ctx, top, tvb, 0, 0, ei_ipv6_invalid_header, 'IPv6 header must be exactly 40 bytes');
  }
  const tc = tree.add(top, hf_ipv6.tclass, tvb, 0, 4, tclass);
  if (tree.full) tree.setValueText(tc, `0x${tclass.toString(16).padStart(2, '0')} (DSCP: ${DSCP_SHORT[tclass >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[tclass & 3]})`);
  tree.add(tc, hf_ipv6.tclass_dscp, tvb, 0, 4, tclass >> 2);
  tree.add(tc, hf_ipv6.tclass_ecn, tvb, 0, 4, tclass & 3);
  tree.add(top, hf_ipv6.flow, tvb, 1, 3, flow);
  const pli = tree.add(top, hf_ipv6.plen, tvb, 4, 2, headerPlen);
  tree.add(top, hf_ipv6.nxt, tvb, 6, 1, nxt);
  tree.add(top, hf_ipv6.hlim, tvb, 7, 1, tvb.u8(7));
  if (!inError) lastIpTtl.value = tvb.u8(7);
  // The source is shown before the destination is read: a capture cut inside the destination keeps it.
  const src = tvb.bytesAt(8, 16);
  addAddress(ctx, top, tvb, 8, hf_ipv6.src, hf_ipv6.src_host);
  // set_address_tvb: the Source column is the packet's from here on.
  if (!inError) pinfo.netSrc = pinfo.src = { type: AddrType.IPv6, bytes: src };
  let dst = tvb.bytesAt(24, 16);
  addAddress(ctx, top, tvb, 24, hf_ipv6.dst, hf_ipv6.dst_host);
  // Checked once the addresses are read (a header cut before its end shows no length note). A zero
  // payload length is a jumbogram when the hop-by-hop header carries a Jumbo Payload option
  // (RFC 2675), otherwise taken as it is (packet-ipv6.c with ipv6.tso_support off): only the TSO note.
  let plen = headerPlen;
  if (headerPlen === 0 && nxt === 0) {
    plen = jumboLength(tvb, 40);
    if (plen !== 0) {
      if (tree.full) tree.appendText(pli, ' (Jumbogram)');
    } else {
      if (pinfo.columns && !inError) pinfo.setInfo('Invalid IPv6 payload length');
      addExpert(ctx, pli, tvb, 4, 0, ei_jumbo_missing);
    }
  } else if (headerPlen === 0 && nxt !== 59) {
    // An empty packet with "no next header" is a valid one: no note.
    addExpert(ctx, pli, tvb, 4, 0, ei_plen_zero);
  }
  const framing = tvb.reportedLength - 40;
  if (plen > framing && !inError) addExpert(ctx, pli, tvb, 4, 0, ei_plen_exceeds_framing, `IPv6 payload length exceeds framing length (${framing} bytes)`);
  // The label names the header's own addresses from here on, even if an extension header is cut short.
  const headerDst = tvb.bytesAt(24, 16);
  if (tree.full) tree.setText(top, `Internet Protocol Version 6, Src: ${formatIPv6(src)}, Dst: ${formatIPv6(headerDst)}`);
  if (!inError) pinfo.setNet({ type: AddrType.IPv6, bytes: src }, { type: AddrType.IPv6, bytes: headerDst });

  // set_actual_length: the datagram ends where the payload length says (what follows is the link
  // layer's trailer); a payload length past the frame changes nothing.
  const end = 40 + plen;
  if (end < tvb.reportedLength) {
    setActualLength(tvb, end);
    tvb = tvb.sub(0, Math.min(end, tvb.length), end);
  }
  // Extension headers, each a subtree of the IPv6 item (packet-ipv6.c dissects them in its tree).
  let off = 40;
  let fragOffset = 0, fragMore = false, fragId = 0, sawFrag = false;
  for (;;) {
    // Each extension header's item is added before its length is read, so a header cut short shows
    // what was there (packet-ipv6.c adds the item, then the fields one by one).
    if (nxt === 0 || nxt === 60) {
      const [proto, hf] = nxt === 0 ? [proto_hopopts, hf_hopopts] : [proto_dstopts, hf_dstopts];
      // Each extension header is a protocol of its own in Wireshark 4.0 (frame.protocols lists it).
      pinfo.enter(proto.abbrev, proto.shortName ?? '');
      if (pinfo.columns && !inError) pinfo.appendInfoSep(' , ', nxt === 0 ? 'IPv6 hop-by-hop options' : 'IPv6 destination options');
      // Unlike the routing header, the options header's item needs its length byte (a header past the
      // datagram's end shows nothing, as tshark 4.0).
      tvb.ensure(off, 2);
      const it = tree.add(top, proto, tvb, off, -1, null);
      const next = tvb.u8(off);
      tree.add(it, hf.nxt, tvb, off, 1, next);
      const len = (tvb.u8(off + 1) + 1) * 8;
      tree.setLength(it, len);
      tree.add(it, hf.len, tvb, off + 1, 1, tvb.u8(off + 1));
      tree.add(it, hf.len_oct, tvb, off + 1, 1, len, ItemFlags.GENERATED);
      dissectOptions(ctx, it, tvb, off + 2, off + len, headerPlen);
      nxt = next;
      off += len;
    } else if (nxt === 43) {
      pinfo.enter('ipv6.routing', 'IPv6 Routing');
      // packet-ipv6.c's routing header says so in Info; the upper layer overwrites it.
      if (pinfo.columns && !inError) pinfo.setInfo('IPv6 routing');
      const it = tree.add(top, proto_routing, tvb, off, -1, null);
      const next = tvb.u8(off);
      tree.add(it, hf_routing.nxt, tvb, off, 1, next);
      const len = (tvb.u8(off + 1) + 1) * 8;
      tree.setLength(it, len);
      const rtype = tvb.u8(off + 2), segleft = tvb.u8(off + 3);
      if (tree.full) tree.setText(it, `Routing Header for IPv6 (${ROUTING_TYPES[rtype] ?? 'Unknown'})`);
      tree.add(it, hf_routing.len, tvb, off + 1, 1, tvb.u8(off + 1));
      tree.add(it, hf_routing.len_oct, tvb, off + 1, 1, len, ItemFlags.GENERATED);
      const ti = tree.add(it, hf_routing.type, tvb, off + 2, 1, rtype);
      // RFC 5095 deprecated the type 0 source route (packet-ipv6.c ei_ipv6_routing_deprecated).
      if (rtype === 0) addExpert(ctx, ti, tvb, off + 2, 0, ei_ipv6_routing_deprecated);
      tree.add(it, hf_routing.segleft, tvb, off + 3, 1, segleft);
      if (rtype === 0) {
        // Source route (RFC 2460 4.4): reserved word, then addresses; with segments left, the last
        // one is the final destination (Destination column and the upper layer's pseudo-header).
        tree.add(it, hf_routing.src_reserved, tvb, off + 4, 4, tvb.bytesAt(off + 4, 4));
        let last: Uint8Array | undefined;
        for (let a = off + 8, k = 1; a + 16 <= off + len; a += 16, k++) {
          last = tvb.bytesAt(a, 16);
          const ai = tree.add(it, hf_routing.src_addr, tvb, a, 16, last);
          if (tree.full) tree.setText(ai, `Address[${k}]: ${formatIPv6(last)}`);
        }
        if (segleft > 0 && last !== undefined) dst = last;
      } else if (rtype === 2 && len >= 24) {
        tree.add(it, hf_routing.mipv6_reserved, tvb, off + 4, 4, tvb.bytesAt(off + 4, 4));
        const home = tree.add(it, hf_routing.mipv6_home_address, tvb, off + 8, 16, tvb.bytesAt(off + 8, 16));
        if (tree.full) tree.setText(home, `Address[1]: ${formatIPv6(tvb.bytesAt(off + 8, 16))}`);
        // RFC 6275 6.4: the home address is the final destination, which Wireshark puts in the column.
        if (segleft > 0) dst = tvb.bytesAt(off + 8, 16);
      }
      nxt = next;
      off += len;
    } else if (nxt === 44) {
      pinfo.enter('ipv6.fraghdr', 'IPv6 Fragment');
      // packet-ipv6.c reads the whole fragment header before adding its item: a cut one shows nothing.
      tvb.ensure(off, 8);
      const it = tree.add(top, proto_fraghdr, tvb, off, 8, null);
      const next = tvb.u8(off), offw = tvb.u16(off + 2);
      fragOffset = offw >> 3;
      fragMore = (offw & 1) !== 0;
      fragId = tvb.u32(off + 4);
      sawFrag = true;
      tree.add(it, hf_fraghdr.nxt, tvb, off, 1, next);
      tree.add(it, hf_fraghdr.reserved_octet, tvb, off + 1, 1, tvb.u8(off + 1));
      const fo = tree.add(it, hf_fraghdr.offset, tvb, off + 2, 2, fragOffset);
      if (tree.full) tree.appendText(fo, ` (${fragOffset * 8} bytes)`);
      tree.add(it, hf_fraghdr.reserved_bits, tvb, off + 2, 2, (offw >> 1) & 3);
      tree.add(it, hf_fraghdr.more, tvb, off + 2, 2, fragMore);
      tree.add(it, hf_fraghdr.ident, tvb, off + 4, 4, fragId);
      nxt = next;
      off += 8;
      if (fragOffset > 0) break;
    } else if (nxt === 51) {
      pinfo.enter('ah', 'AH');
      const len = (tvb.u8(off + 1) + 2) * 4;
      const it = tree.add(top, proto_ah, tvb, off, len, null);
      const next = tvb.u8(off);
      tree.add(it, hf_ah.next_header, tvb, off, 1, next);
      const l = tree.add(it, hf_ah.length, tvb, off + 1, 1, tvb.u8(off + 1));
      if (tree.full) tree.appendText(l, ` (${len} bytes)`);
      tree.add(it, hf_ah.reserved, tvb, off + 2, 2, tvb.bytesAt(off + 2, 2));
      tree.add(it, hf_ah.spi, tvb, off + 4, 4, tvb.u32(off + 4));
      tree.add(it, hf_ah.sequence, tvb, off + 8, 4, tvb.u32(off + 8));
      if (len > 12) tree.add(it, hf_ah.icv, tvb, off + 12, len - 12, tvb.bytesAt(off + 12, len - 12));
      nxt = next;
      off += len;
    } else {
      break;
    }
  }
  // A later fragment's IPv6 item covers the fixed header only (as Wireshark 4.0 shows it).
  tree.setLength(top, sawFrag && fragOffset > 0 ? 40 : off);
  // Wireshark 4.0 shows the routing header's final destination in the Destination column, but finds
  // the conversation of a normal packet by the header's destination (and of a quoted one by the final
  // destination): matched here so udp.stream numbers agree.
  pinfo.setNet({ type: AddrType.IPv6, bytes: src }, { type: AddrType.IPv6, bytes: inError ? dst : headerDst });
  pinfo.dst = { type: AddrType.IPv6, bytes: dst };

  const payload = tvb.sub(off);
  if (sawFrag && fragMore) pinfo.fragmented = true;
  if (sawFrag && fragOffset > 0) {
    if (pinfo.columns && !inError) pinfo.setInfo(`IPv6 fragment (off=${fragOffset * 8} more=${fragMore ? 'y' : 'n'} ident=0x${fragId.toString(16).padStart(8, '0')} nxt=${nxt})`);
    pinfo.fragmented = true;
    dissectData(payload, ctx, parent);
    return end;
  }
  if (nxt === 59) {
    if (pinfo.columns && !inError) pinfo.setInfo('IPv6 no next header');
    // Bytes after "no next header" are shown as data, as tshark does (RFC 8200 4.7 says to ignore them).
    if (payload.reportedLength > 0) dissectData(payload, ctx, parent);
    return end;
  }
  if (!tables.ipProto.tryDissect(nxt, payload, ctx, parent)) {
    if (pinfo.columns && !inError) pinfo.setInfo(`${ipProtoName(nxt)} (${nxt})`);
    dissectData(payload, ctx, parent);
  }
  return end;
}

tables.ethertype.add(0x86dd, dissectIpv6);
// Ethernet over IP (next header 143, SRv6 End.DX2 of RFC 8986): packet-eth.c registers its no-FCS
// handle for ip.proto 143. dissectEth guesses an FCS only in a trailer, which a tunnelled frame that
// fills its payload does not have.
tables.ipProto.add(143, dissectEth);
tables.ipProto.add(41, dissectIpv6);
