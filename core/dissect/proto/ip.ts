// IPv4 (RFC 791; Wireshark's packet-ip.c). Header fields and the options a lab meets (EOL, NOP,
// Record Route, Time Stamp, Router Alert, others as "Unknown"); the checksum is shown unverified, as
// Wireshark 4.0 does by default. Fragments are reassembled as tshark does by default
// (ip.defragment TRUE, ip-reassembly.ts): every fragment but the one completing the datagram is shown
// as data with Info "Fragmented IP protocol (proto=ICMP 1, off=552, ID=7b72)", the completing one
// hands the "Reassembled IPv4" bytes up. With -o ip.defragment:FALSE a first fragment goes to the
// upper layer itself.

import { Base, FT, defineFields, defineProtocol, type Field } from '../../fields/registry.js';
import { formatIPv4 } from '../../fields/addr.js';
import { AddrType, addressAt } from '../packet.js';
import { type Ctx, type Dissector, tables } from '../table.js';
import { ItemFlags, type Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { addText } from '../text.js';
import { ExpertGroup, ExpertSeverity, type ExpertInfo, addExpert } from '../frame.js';
import { IP_PROTOCOLS, ipProtoName } from './ipproto.js';
import { type Datagram, FragmentTable, defineFragmentFields } from './ip-reassembly.js';
import { setActualLength } from './eth.js';

export const proto_ip = defineProtocol('ip', 'Internet Protocol Version 4', 'IPv4');

const DSCP: Readonly<Record<number, string>> = {
  0: 'Default', 1: 'Lower Effort', 8: 'Class Selector 1', 10: 'Assured Forwarding 11', 12: 'Assured Forwarding 12',
  14: 'Assured Forwarding 13', 16: 'Class Selector 2', 18: 'Assured Forwarding 21', 20: 'Assured Forwarding 22',
  22: 'Assured Forwarding 23', 24: 'Class Selector 3', 26: 'Assured Forwarding 31', 28: 'Assured Forwarding 32',
  30: 'Assured Forwarding 33', 32: 'Class Selector 4', 34: 'Assured Forwarding 41', 36: 'Assured Forwarding 42',
  38: 'Assured Forwarding 43', 40: 'Class Selector 5', 44: 'Voice Admit', 46: 'Expedited Forwarding',
  48: 'Class Selector 6', 56: 'Class Selector 7',
};
/** Short DSCP names for the dsfield summary ("DSCP: CS0"), Wireshark's dscp_short_vals. */
export const DSCP_SHORT: Readonly<Record<number, string>> = {
  0: 'CS0', 1: 'LE', 8: 'CS1', 10: 'AF11', 12: 'AF12', 14: 'AF13', 16: 'CS2', 18: 'AF21', 20: 'AF22', 22: 'AF23',
  24: 'CS3', 26: 'AF31', 28: 'AF32', 30: 'AF33', 32: 'CS4', 34: 'AF41', 36: 'AF42', 38: 'AF43', 40: 'CS5',
  44: 'VOICE-ADMIT', 46: 'EF', 48: 'CS6', 56: 'CS7',
};
const ECN: Readonly<Record<number, string>> = {
  0: 'Not ECN-Capable Transport', 1: "ECN-Capable Transport codepoint '01'", 2: "ECN-Capable Transport codepoint '10'", 3: 'Congestion Experienced',
};
export const ECN_SHORT: Readonly<Record<number, string>> = { 0: 'Not-ECT', 1: 'ECT(1)', 2: 'ECT(0)', 3: 'CE' };
/** proto_checksum_vals (epan/proto.h). */
export const CHECKSUM_STATUS: Readonly<Record<number, string>> = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };
export const CHECKSUM_UNVERIFIED = 2;

/** A checksum status item; its label is the bare status ("Unverified"), as for BASE_NONE value strings. */
export function addChecksumStatus(ctx: Ctx, parent: Item, field: Field, tvb: Tvb, off: number, len: number, status: number): Item {
  const it = ctx.tree.add(parent, field, tvb, off, len, status, ItemFlags.GENERATED);
  if (ctx.tree.full) ctx.tree.setValueText(it, CHECKSUM_STATUS[status]);
  return it;
}
const OPT_NUMBERS: Readonly<Record<number, string>> = {
  0: 'End of Option List (EOL)', 1: 'No-Operation (NOP)', 2: 'Security', 3: 'Loose source route', 4: 'Time stamp',
  5: 'Extended security', 6: 'Commercial IP security option', 7: 'Record route', 8: 'Stream identifier',
  9: 'Strict source route', 10: 'Experimental Measurement', 11: 'MTU probe', 12: 'MTU Reply',
  13: 'Experimental Flow Control', 14: 'Experimental Access Control', 15: 'Ask Estrin', 16: 'IMI Traffic Descriptor',
  17: 'Extended Internet Protocol', 18: 'Traceroute', 19: 'Address Extension', 20: 'Router Alert',
  21: 'Selective Directed Broadcast', 22: 'Unassigned', 23: 'Dynamic Packet State', 24: 'Upstream Multicast Packet',
  25: 'Quick-Start', 30: 'RFC 3692-style experiment',
};

export const hf_ip = defineFields(proto_ip, {
  version: { abbrev: 'ip.version', name: 'Version', type: FT.UINT8, base: Base.DEC, bitmask: 0xf0 },
  hdr_len: { abbrev: 'ip.hdr_len', name: 'Header Length', type: FT.UINT8, base: Base.DEC, bitmask: 0x0f },
  dsfield: { abbrev: 'ip.dsfield', name: 'Differentiated Services Field', type: FT.UINT8, base: Base.HEX },
  dsfield_dscp: { abbrev: 'ip.dsfield.dscp', name: 'Differentiated Services Codepoint', type: FT.UINT8, base: Base.DEC, strings: DSCP, bitmask: 0xfc },
  dsfield_ecn: { abbrev: 'ip.dsfield.ecn', name: 'Explicit Congestion Notification', type: FT.UINT8, base: Base.DEC, strings: ECN, bitmask: 0x03 },
  len: { abbrev: 'ip.len', name: 'Total Length', type: FT.UINT16, base: Base.DEC },
  id: { abbrev: 'ip.id', name: 'Identification', type: FT.UINT16, base: Base.HEX_DEC },
  flags: { abbrev: 'ip.flags', name: 'Flags', type: FT.UINT8, base: Base.HEX, bitmask: 0xe0 },
  flags_rb: { abbrev: 'ip.flags.rb', name: 'Reserved bit', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x80, tfs: ['Set', 'Not set'] },
  flags_df: { abbrev: 'ip.flags.df', name: "Don't fragment", type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x40, tfs: ['Set', 'Not set'] },
  flags_mf: { abbrev: 'ip.flags.mf', name: 'More fragments', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x20, tfs: ['Set', 'Not set'] },
  frag_offset: { abbrev: 'ip.frag_offset', name: 'Fragment Offset', type: FT.UINT16, base: Base.DEC, bitmask: 0x1fff },
  ttl: { abbrev: 'ip.ttl', name: 'Time to Live', type: FT.UINT8, base: Base.DEC },
  proto: { abbrev: 'ip.proto', name: 'Protocol', type: FT.UINT8, base: Base.DEC, strings: IP_PROTOCOLS },
  checksum: { abbrev: 'ip.checksum', name: 'Header Checksum', type: FT.UINT16, base: Base.HEX },
  checksum_status: { abbrev: 'ip.checksum.status', name: 'Header checksum status', type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS },
  src: { abbrev: 'ip.src', name: 'Source Address', type: FT.IPv4 },
  addr: { abbrev: 'ip.addr', name: 'Source or Destination Address', type: FT.IPv4 },
  src_host: { abbrev: 'ip.src_host', name: 'Source Host', type: FT.STRING },
  host: { abbrev: 'ip.host', name: 'Source or Destination Host', type: FT.STRING },
  dst: { abbrev: 'ip.dst', name: 'Destination Address', type: FT.IPv4 },
  dst_host: { abbrev: 'ip.dst_host', name: 'Destination Host', type: FT.STRING },
  opt_type: { abbrev: 'ip.opt.type', name: 'Type', type: FT.UINT8, base: Base.DEC },
  opt_type_copy: { abbrev: 'ip.opt.type.copy', name: 'Copy on fragmentation', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x80, tfs: ['Yes', 'No'] },
  opt_type_class: { abbrev: 'ip.opt.type.class', name: 'Class', type: FT.UINT8, base: Base.DEC, bitmask: 0x60, strings: { 0: 'Control', 1: 'Reserved for future use', 2: 'Debugging and measurement', 3: 'Reserved for future use' } },
  opt_type_number: { abbrev: 'ip.opt.type.number', name: 'Number', type: FT.UINT8, base: Base.DEC, bitmask: 0x1f, strings: OPT_NUMBERS },
  opt_len: { abbrev: 'ip.opt.len', name: 'Length', type: FT.UINT8, base: Base.DEC },
  opt_ptr: { abbrev: 'ip.opt.ptr', name: 'Pointer', type: FT.UINT8, base: Base.DEC },
  opt_padding: { abbrev: 'ip.opt.padding', name: 'Padding', type: FT.BYTES },
  rec_rt: { abbrev: 'ip.rec_rt', name: 'Recorded Route', type: FT.IPv4 },
  rec_rt_host: { abbrev: 'ip.rec_rt_host', name: 'Recorded Route Host', type: FT.STRING },
  cur_rt: { abbrev: 'ip.cur_rt', name: 'Current Route', type: FT.IPv4 },
  cur_rt_host: { abbrev: 'ip.cur_rt_host', name: 'Current Route Host', type: FT.STRING },
  src_rt: { abbrev: 'ip.src_rt', name: 'Source Route', type: FT.IPv4 },
  src_rt_host: { abbrev: 'ip.src_rt_host', name: 'Source Route Host', type: FT.STRING },
  empty_rt: { abbrev: 'ip.empty_rt', name: 'Empty Route', type: FT.IPv4 },
  empty_rt_host: { abbrev: 'ip.empty_rt_host', name: 'Empty Route Host', type: FT.STRING },
  opt_overflow: { abbrev: 'ip.opt.overflow', name: 'Overflow', type: FT.UINT8, base: Base.DEC, bitmask: 0xf0 },
  opt_flag: { abbrev: 'ip.opt.flag', name: 'Flag', type: FT.UINT8, base: Base.HEX, bitmask: 0x0f, strings: { 0: 'Time stamps only', 1: 'Time stamp and address', 3: 'Time stamps for prespecified addresses' } },
  opt_time_stamp: { abbrev: 'ip.opt.time_stamp', name: 'Time stamp', type: FT.UINT32, base: Base.DEC },
  opt_time_stamp_addr: { abbrev: 'ip.opt.time_stamp_addr', name: 'Address', type: FT.IPv4 },
  opt_ra: { abbrev: 'ip.opt.ra', name: 'Router Alert', type: FT.UINT16, base: Base.DEC, strings: { 0: 'Router shall examine packet' } },
});

// Each option is a protocol "in name only" of type FT_BYTES in Wireshark, so `ip.options.nop` filters
// work and -T fields prints the option's bytes: declared here as byte fields of ip.
const hf_opt = defineFields(proto_ip, {
  eol: { abbrev: 'ip.options.eol', name: 'IP Option - End of Options List (EOL)', type: FT.BYTES },
  nop: { abbrev: 'ip.options.nop', name: 'IP Option - No-Operation (NOP)', type: FT.BYTES },
  rr: { abbrev: 'ip.options.record_route', name: 'IP Option - Record Route', type: FT.BYTES },
  ts: { abbrev: 'ip.options.timestamp', name: 'IP Option - Time Stamp', type: FT.BYTES },
  ra: { abbrev: 'ip.options.routeralert', name: 'IP Option - Router Alert', type: FT.BYTES },
  lsrr: { abbrev: 'ip.options.route', name: 'IP Option - Loose Source Route', type: FT.BYTES },
  ssrr: { abbrev: 'ip.options.source_route', name: 'IP Option - Strict Source Route', type: FT.BYTES },
});
const OPTION_NAMES = new Map<Field, string>([
  [hf_opt.rr, 'Record Route'], [hf_opt.lsrr, 'Loose Source Route'], [hf_opt.ssrr, 'Strict Source Route'],
]);

/**
 * Set while ICMP/ICMPv6 dissect the header quoted in an error message: the quoted layers must not
 * take over the columns, addresses or conversations of the packet (Wireshark's pinfo->flags.in_error_pkt).
 */
export const inErrorPacket = { depth: 0 };

/**
 * Dissects the datagram an ICMP or ICMPv6 error quotes (with dissectIp or dissectIpv6) inside
 * inErrorPacket, and puts the packet's own addresses back afterwards, whatever the quote holds.
 */
export function dissectQuoted(dissect: Dissector, tvb: Tvb, ctx: Ctx, parent: Item): void {
  const { pinfo } = ctx;
  const saved = [pinfo.src, pinfo.dst, pinfo.netSrc, pinfo.netDst] as const;
  inErrorPacket.depth++;
  try {
    dissect(tvb, ctx, parent);
  } finally {
    inErrorPacket.depth--;
    [pinfo.src, pinfo.dst, pinfo.netSrc, pinfo.netDst] = saved;
  }
}

/** TTL / hop limit of the last IP header outside an error quote (pinfo->ip_ttl), for ICMP's Info. */
export const lastIpTtl = { value: 0 };

function addAddress(ctx: Ctx, top: Item, tvb: Tvb, off: number, main: Field, host: Field): void {
  const { tree } = ctx;
  const v = tvb.u32(off);
  tree.add(top, main, tvb, off, 4, v);
  tree.add(top, hf_ip.addr, tvb, off, 4, v, ItemFlags.HIDDEN);
  if (tree.wants(host) || tree.wants(hf_ip.host)) {
    const text = formatIPv4(tvb.bytesAt(off, 4));
    tree.add(top, host, tvb, off, 4, text, ItemFlags.HIDDEN);
    tree.add(top, hf_ip.host, tvb, off, 4, text, ItemFlags.HIDDEN);
  }
}

/** The option's type byte with its copy/class/number bits (dissect_ipopt_type). */
function addOptType(ctx: Ctx, it: Item, tvb: Tvb, off: number, type: number): void {
  const { tree } = ctx;
  const t = tree.add(it, hf_ip.opt_type, tvb, off, 1, type);
  tree.add(t, hf_ip.opt_type_copy, tvb, off, 1, (type & 0x80) !== 0);
  tree.add(t, hf_ip.opt_type_class, tvb, off, 1, (type >> 5) & 3);
  tree.add(t, hf_ip.opt_type_number, tvb, off, 1, type & 0x1f);
}

/** Options after the fixed header, with the summary subtree "Options: (N bytes), Record Route". */
function dissectOptions(ctx: Ctx, top: Item, tvb: Tvb, start: number, end: number): void {
  const { tree } = ctx;
  const holder = addText(ctx, top, tvb, start, end - start, `Options: (${end - start} bytes)`);
  const named: string[] = [];
  let off = start;
  while (off < end) {
    const type = tvb.u8(off);
    if (type === 0 || type === 1) {
      const it = tree.add(holder, type === 0 ? hf_opt.eol : hf_opt.nop, tvb, off, 1, tvb.bytesAt(off, 1));
      if (tree.full) tree.setText(it, type === 0 ? 'IP Option - End of Options List (EOL)' : 'IP Option - No-Operation (NOP)');
      addOptType(ctx, it, tvb, off, type);
      off += 1;
      if (type === 0) break; // RFC 791: EOL ends the list; what follows is padding.
      continue;
    }
    if (off + 1 >= end) break;
    const len = tvb.u8(off + 1);
    if (len < 2 || off + len > end) {
      addText(ctx, holder, tvb, off, end - off, `Unknown (0x${type.toString(16).padStart(2, '0')}) (with too-short option length = ${len} bytes)`);
      break;
    }
    if (type === 7 || type === 0x83 || type === 0x89) {
      const f = type === 7 ? hf_opt.rr : type === 0x83 ? hf_opt.lsrr : hf_opt.ssrr;
      const it = tree.add(holder, f, tvb, off, len, tvb.bytesAt(off, len));
      const optName = OPTION_NAMES.get(f) ?? '';
      if (tree.full) tree.setText(it, `IP Option - ${optName} (${len} bytes)`);
      named.push(optName);
      addOptType(ctx, it, tvb, off, type);
      tree.add(it, hf_ip.opt_len, tvb, off + 1, 1, len);
      const ptr = tvb.u8(off + 2);
      tree.add(it, hf_ip.opt_ptr, tvb, off + 2, 1, ptr);
      // Slots before the pointer hold addresses already recorded (or routed through); the slot it
      // points at is the next one (Wireshark marks it "<- (next)").
      for (let o = 3; o + 4 <= len; o += 4) {
        const at = off + o;
        const v = tvb.u32(at);
        const text = formatIPv4(tvb.bytesAt(at, 4));
        let f: Field, h: Field;
        if (type === 7) [f, h] = o + 1 < ptr ? [hf_ip.rec_rt, hf_ip.rec_rt_host] : [hf_ip.empty_rt, hf_ip.empty_rt_host];
        else [f, h] = o + 1 === ptr ? [hf_ip.cur_rt, hf_ip.cur_rt_host] : [hf_ip.src_rt, hf_ip.src_rt_host];
        const a = tree.add(it, f, tvb, at, 4, v);
        if (o + 1 === ptr && type === 7) tree.appendText(a, ' <- (next)');
        tree.add(it, h, tvb, at, 4, text, ItemFlags.HIDDEN);
      }
    } else if (type === 0x44) {
      const it = tree.add(holder, hf_opt.ts, tvb, off, len, tvb.bytesAt(off, len));
      if (tree.full) tree.setText(it, `IP Option - Time Stamp (${len} bytes)`);
      named.push('Time Stamp');
      addOptType(ctx, it, tvb, off, type);
      tree.add(it, hf_ip.opt_len, tvb, off + 1, 1, len);
      tree.add(it, hf_ip.opt_ptr, tvb, off + 2, 1, tvb.u8(off + 2));
      const of = tvb.u8(off + 3);
      tree.add(it, hf_ip.opt_overflow, tvb, off + 3, 1, of >> 4);
      const flag = of & 0x0f;
      tree.add(it, hf_ip.opt_flag, tvb, off + 3, 1, flag);
      for (let o = 4; o < len;) {
        if (flag === 1 || flag === 3) {
          if (o + 8 > len) break;
          tree.add(it, hf_ip.opt_time_stamp_addr, tvb, off + o, 4, tvb.u32(off + o));
          o += 4;
        } else if (o + 4 > len) break;
        tree.add(it, hf_ip.opt_time_stamp, tvb, off + o, 4, tvb.u32(off + o));
        o += 4;
      }
    } else if (type === 0x94 && len === 4) {
      const it = tree.add(holder, hf_opt.ra, tvb, off, len, tvb.bytesAt(off, len));
      const ra = tvb.u16(off + 2);
      if (tree.full) tree.setText(it, `IP Option - Router Alert (${len} bytes): ${ra === 0 ? 'Router shall examine packet' : 'Reserved'} (${ra})`);
      named.push('Router Alert');
      addOptType(ctx, it, tvb, off, type);
      tree.add(it, hf_ip.opt_len, tvb, off + 1, 1, len);
      tree.add(it, hf_ip.opt_ra, tvb, off + 2, 2, ra);
    } else {
      addText(ctx, holder, tvb, off, len, `Unknown (0x${type.toString(16).padStart(2, '0')}) (${len} bytes)`);
    }
    off += len;
  }
  if (tree.full && named.length > 0) tree.setText(holder, `Options: (${end - start} bytes), ${named.join(', ')}`);
}

const hf_ip_ei = defineFields(proto_ip, {
  bogus_version: { abbrev: 'ip.bogus_ip_version', name: 'Bogus IP version', type: FT.NONE },
  ttl_too_small: { abbrev: 'ip.ttl.too_small', name: 'Time To Live', type: FT.NONE },
  bogus_ip_length: { abbrev: 'ip.bogus_ip_length', name: 'Bogus IP length', type: FT.NONE },
  bogus_header_length: { abbrev: 'ip.bogus_header_length', name: 'Bogus IP header length', type: FT.NONE },
});
const ei_ip_ttl_too_small: ExpertInfo = { field: hf_ip_ei.ttl_too_small, severity: ExpertSeverity.NOTE, group: ExpertGroup.SEQUENCE };
const ei_ip_bogus_version: ExpertInfo = { field: hf_ip_ei.bogus_version, severity: ExpertSeverity.ERROR, group: ExpertGroup.PROTOCOL };
const ei_ip_bogus_ip_length: ExpertInfo = { field: hf_ip_ei.bogus_ip_length, severity: ExpertSeverity.ERROR, group: ExpertGroup.PROTOCOL };
const ei_ip_bogus_header_length: ExpertInfo = { field: hf_ip_ei.bogus_header_length, severity: ExpertSeverity.ERROR, group: ExpertGroup.PROTOCOL };

export const hf_ip_frag = defineFragmentFields(proto_ip, 'ip', 'IPv4', 'ip.reassembled_in');

/** The capture's IPv4 datagrams being (or once) reassembled. */
function fragTable(ctx: Ctx): FragmentTable {
  return ctx.capture.state('ip.reassembly', () => new FragmentTable('Reassembled IPv4', hf_ip_frag));
}

/**
 * The summary pass over the common datagram (tree mode 'none', outside an ICMP quote, a 20-byte
 * header all captured, no options, not a fragment, a total length of at least the header): exactly
 * what dissectIp does for it when no tree is built, without its ~25 calls that would add items (they
 * were ~0.15 us of IPv4's ~0.45 us a packet on the wrk capture). Returns -1, having done nothing,
 * for any other datagram.
 */
function dissectIpSummary(tvb: Tvb, ctx: Ctx, parent: Item): number {
  if (tvb.length < 20) return -1;
  const b = tvb.bytes, o = tvb.base;
  const totalLen = (b[o + 2] << 8) | b[o + 3];
  if (b[o] !== 0x45 || totalLen < 20 || ((b[o + 6] << 8) & 0x3f00 | b[o + 7]) !== 0) return -1;
  const { pinfo } = ctx;
  pinfo.enter('ip', 'IPv4');
  if (pinfo.columns) {
    pinfo.protocol = 'IPv4';
    pinfo.clearInfo();
  }
  if (totalLen < tvb.reportedLength) setActualLength(tvb, totalLen);
  lastIpTtl.value = b[o + 8];
  const proto = b[o + 9];
  pinfo.netSrc = pinfo.src = addressAt(tvb, AddrType.IPv4, 12, 4, pinfo.netSrcAt);
  pinfo.setNet(pinfo.netSrcAt, addressAt(tvb, AddrType.IPv4, 16, 4, pinfo.netDstAt));
  const payloadLen = Math.min(totalLen, tvb.reportedLength) - 20;
  const payload = tvb.sub(20, Math.min(payloadLen, tvb.remaining(20)), payloadLen);
  const saveFragmented = pinfo.fragmented;
  pinfo.fragmented = false;
  if (!tables.ipProto.tryDissect(proto, payload, ctx, parent)) {
    if (pinfo.columns) pinfo.setInfo(`${ipProtoName(proto)} (${proto})`);
    dissectData(payload, ctx, parent);
  }
  pinfo.fragmented = saveFragmented;
  return totalLen;
}

export function dissectIp(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  const inError = inErrorPacket.depth > 0;
  if (tree.mode === 'none' && !inError) {
    const r = dissectIpSummary(tvb, ctx, parent);
    if (r >= 0) return r;
  }
  pinfo.enter('ip', 'IPv4');
  if (pinfo.columns && !inError) {
    pinfo.protocol = 'IPv4';
    pinfo.clearInfo();
  }
  const vhl = tvb.u8(0);
  const version = vhl >> 4, hlen = (vhl & 0x0f) * 4;
  const top = tree.add(parent, proto_ip, tvb, 0, Math.max(20, Math.min(hlen, tvb.length)), null);
  if (version !== 4) {
    // packet-ip.c: a wrong version ends the dissection with this Info text.
    if (pinfo.columns && !inError) pinfo.setInfo(`Bogus IPv4 version (${version}, must be 4)`);
    const vi = tree.add(top, hf_ip.version, tvb, 0, 1, version);
    addExpert(ctx, vi, tvb, 0, 1, ei_ip_bogus_version, 'Bogus IPv4 version');
    // dissect_ip_v4 goes on with IPv6 when the version says 6 (cooked captures that mislabel it).
    if (version === 6) tables.ethertype.get(0x86dd)?.(tvb, ctx, parent);
    return tvb.length;
  }
  tree.add(top, hf_ip.version, tvb, 0, 1, version);
  const hl = tree.add(top, hf_ip.hdr_len, tvb, 0, 1, hlen);
  // The value is in bytes but the bits shown are the 32-bit words on the wire.
  if (tree.full) tree.setText(hl, `.... ${((vhl & 0x0f) >> 3) & 1}${((vhl & 0x0f) >> 2) & 1}${((vhl & 0x0f) >> 1) & 1}${vhl & 1} = Header Length: ${hlen} bytes (${vhl & 0x0f})`);
  if (hlen < 20) {
    const msg = `Bogus IP header length (${hlen}, must be at least 20)`;
    if (pinfo.columns && !inError) pinfo.setInfo(msg);
    addExpert(ctx, hl, tvb, 0, 1, ei_ip_bogus_header_length, msg);
    return tvb.length;
  }
  const tos = tvb.u8(1);
  const ds = tree.add(top, hf_ip.dsfield, tvb, 1, 1, tos);
  if (tree.full) tree.appendText(ds, ` (DSCP: ${DSCP_SHORT[tos >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[tos & 3]})`);
  tree.add(ds, hf_ip.dsfield_dscp, tvb, 1, 1, tos >> 2);
  tree.add(ds, hf_ip.dsfield_ecn, tvb, 1, 1, tos & 3);
  let totalLen = tvb.u16(2);
  // packet-ip.c, ip.tso_support (on by default): a zero length is taken as a TSO super-packet whose
  // length is the frame's.
  const tso = totalLen === 0 && ctx.capture.pref('ip.tso_support', true);
  if (tso) totalLen = tvb.reportedLength;
  if (totalLen < hlen) {
    const msg = `Bogus IP length (${totalLen}, less than header length ${hlen})`;
    if (pinfo.columns && !inError) pinfo.setInfo(msg);
    const li = tree.add(top, hf_ip.len, tvb, 2, 2, totalLen);
    if (tree.full) tree.setValueText(li, `${totalLen} bytes (bogus, less than header length ${hlen})`);
    addExpert(ctx, li, tvb, 2, 2, ei_ip_bogus_ip_length);
    return tvb.length;
  }
  // set_actual_length: the datagram ends where its total length says; what follows is the link
  // layer's trailer (which the ethertype layer shows even if a layer above fails).
  if (totalLen < tvb.reportedLength) setActualLength(tvb, totalLen);
  const li = tree.add(top, hf_ip.len, tvb, 2, 2, totalLen, tso ? ItemFlags.GENERATED : ItemFlags.NONE);
  if (tso && tree.full) tree.setValueText(li, `${totalLen} bytes (reported as 0, presumed to be because of "TCP segmentation offload" (TSO))`);
  if (totalLen > tvb.reportedLength && !inError) {
    addExpert(ctx, li, tvb, 2, 2, ei_ip_bogus_ip_length, `IPv4 total length exceeds packet length (${tvb.reportedLength} bytes)`);
  }
  const id = tvb.u16(4);
  tree.add(top, hf_ip.id, tvb, 4, 2, id);
  const fo = tvb.u16(6);
  const flags = fo >> 13, fragOff = fo & 0x1fff;
  const fl = tree.add(top, hf_ip.flags, tvb, 6, 1, flags);
  if (tree.full) {
    const names = [(flags & 4) ? 'Reserved bit' : '', (flags & 2) ? "Don't fragment" : '', (flags & 1) ? 'More fragments' : ''].filter((x) => x);
    if (names.length > 0) tree.appendText(fl, `, ${names.join(', ')}`);
  }
  tree.add(fl, hf_ip.flags_rb, tvb, 6, 1, (flags & 4) !== 0);
  tree.add(fl, hf_ip.flags_df, tvb, 6, 1, (flags & 2) !== 0);
  tree.add(fl, hf_ip.flags_mf, tvb, 6, 1, (flags & 1) !== 0);
  const foi = tree.add(top, hf_ip.frag_offset, tvb, 6, 2, fragOff);
  // The field holds 8-byte units (what -T fields prints); the label shows bytes, as Wireshark's does.
  if (tree.full) tree.setValueText(foi, String(fragOff * 8));
  const ttl = tvb.u8(8);
  const ttlItem = tree.add(top, hf_ip.ttl, tvb, 8, 1, ttl);
  if (!inError) lastIpTtl.value = ttl;
  const proto = tvb.u8(9);
  tree.add(top, hf_ip.proto, tvb, 9, 1, proto);
  const ck = tree.add(top, hf_ip.checksum, tvb, 10, 2, tvb.u16(10));
  if (tree.full) tree.appendText(ck, ' [validation disabled]');
  addChecksumStatus(ctx, top, hf_ip.checksum_status, tvb, 10, 0, CHECKSUM_UNVERIFIED);
  // The summary grows address by address, so a header cut short keeps what was read ("Src: …").
  // Like set_address_tvb in packet-ip.c, the source is the packet's before the destination is read.
  const srcAddr = addressAt(tvb, AddrType.IPv4, 12, 4, inError ? null : pinfo.netSrcAt);
  pinfo.netSrc = pinfo.src = srcAddr;
  if (tree.full) tree.appendText(top, `, Src: ${formatIPv4(tvb.bytes, srcAddr.off)}`);
  addAddress(ctx, top, tvb, 12, hf_ip.src, hf_ip.src_host);
  const dstAddr = addressAt(tvb, AddrType.IPv4, 16, 4, inError ? null : pinfo.netDstAt);
  if (tree.full) tree.appendText(top, `, Dst: ${formatIPv4(tvb.bytes, dstAddr.off)}`);
  addAddress(ctx, top, tvb, 16, hf_ip.dst, hf_ip.dst_host);
  // packet-ip.c: a unicast packet with TTL under 5 is worth a note (PIM and OSPF excepted, they are
  // link-local by design). The Local Network Control Block check for multicast is not done here.
  if ((tvb.u8(16) & 0xf0) !== 0xe0 && ttl < 5 && proto !== 103 && proto !== 89) {
    addExpert(ctx, ttlItem, tvb, 8, 1, ei_ip_ttl_too_small, `"Time To Live" only ${ttl}`);
  }
  // Also inside an ICMP error: the quoted transport header finds its conversation by these; the ICMP
  // dissector puts the outer addresses back afterwards.
  pinfo.setNet(srcAddr, dstAddr);
  if (hlen > 20) dissectOptions(ctx, top, tvb, 20, hlen);

  // The payload is what the total length says, within what the frame reports (a longer total length
  // leaves the payload at the frame's end, as set_actual_length never grows a tvb).
  const payloadLen = Math.min(totalLen, tvb.reportedLength) - hlen;
  const payload = tvb.sub(hlen, Math.min(payloadLen, tvb.remaining(hlen)), payloadLen);
  const more = (flags & 1) !== 0;
  const saveFragmented = pinfo.fragmented;
  let next: Tvb | null = null;
  let d: Datagram | null = null;
  let updateInfo = true;
  if ((more || fragOff > 0) && ctx.capture.pref('ip.defragment', true) && totalLen > hlen && tvb.remaining(hlen) >= totalLen - hlen) {
    // Keyed as packet-ip.c keys ip_reassembly_table: both addresses and proto ^ id.
    d = fragTable(ctx).add(ctx, `${formatIPv4(tvb.bytes, srcAddr.off)}>${formatIPv4(tvb.bytes, dstAddr.off)}/${proto ^ id}`, payload, fragOff * 8, totalLen - hlen, more);
    const r = fragTable(ctx).process(ctx, d, top, payload);
    next = r.next;
    updateInfo = !r.illegal;
  } else if (fragOff === 0) {
    next = payload;
    pinfo.fragmented = more;
  }
  if (next === null) {
    if (pinfo.columns && !inError) {
      pinfo.setInfo(`Fragmented IP protocol (proto=${ipProtoName(proto)} ${proto}, off=${fragOff * 8}, ID=${id.toString(16).padStart(4, '0')})`);
      if (d !== null && d.reassembledIn !== pinfo.num) pinfo.appendInfo(` [Reassembled in #${d.reassembledIn}]`);
    }
    dissectData(payload, ctx, parent);
    pinfo.fragmented = saveFragmented;
    return totalLen;
  }
  if (!tables.ipProto.tryDissect(proto, next, ctx, parent)) {
    if (pinfo.columns && !inError && updateInfo) pinfo.setInfo(`${ipProtoName(proto)} (${proto})`);
    dissectData(next, ctx, parent);
  }
  pinfo.fragmented = saveFragmented;
  return totalLen;
}

tables.ethertype.add(0x0800, dissectIp);
tables.ipProto.add(4, dissectIp);
