// ICMP (RFC 792; Wireshark's packet-icmp.c): type, code, checksum (verified when the whole message is
// here, as Wireshark does), echo identifiers and sequence numbers in both byte orders, the sender's
// timestamp at the start of ping data, request/reply matching, and the IP header quoted by error
// messages (dissected by ip/udp in "error packet" mode, so it does not take over the columns).

import { Base, FT, type Field, defineFields, defineProtocol } from '../../fields/registry.js';
import type { CaptureContext } from '../packet.js';
import { type Ctx, tables } from '../table.js';
import { ItemFlags, type Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { addText, hf_text } from '../text.js';
import { ExpertGroup, ExpertSeverity, type ExpertInfo, addExpert } from '../frame.js';
import { addExtEcho } from './ext-echo.js';
import { CHECKSUM_STATUS, CHECKSUM_UNVERIFIED, addChecksumStatus, dissectIp, dissectQuoted, inErrorPacket, lastIpTtl } from './ip.js';

export const proto_icmp = defineProtocol('icmp', 'Internet Control Message Protocol', 'ICMP');

const TYPES: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply', 1: 'Reserved', 2: 'Reserved', 3: 'Destination unreachable', 4: 'Source quench (flow control)',
  5: 'Redirect', 6: 'Alternate host address', 8: 'Echo (ping) request', 9: 'Router advertisement',
  10: 'Router solicitation', 11: 'Time-to-live exceeded', 12: 'Parameter problem', 13: 'Timestamp request',
  14: 'Timestamp reply', 15: 'Information request', 16: 'Information reply', 17: 'Address mask request',
  18: 'Address mask reply', 30: 'Traceroute', 31: 'Datagram Conversion Error', 32: 'Mobile Host Redirect',
  33: 'IPv6 Where-Are-You', 34: 'IPv6 I-Am-Here', 35: 'Mobile Registration Request', 36: 'Mobile Registration Reply',
  37: 'Domain Name Request', 38: 'Domain Name Reply', 39: 'SKIP', 40: 'Photuris', 42: 'Extended Echo request',
  43: 'Extended Echo reply',
};
/** RFC 8335 section 3 codes (packet-icmp.c ext_echo_req_code_str / ext_echo_reply_code_str). */
const EXT_ECHO_REQ_CODES: Readonly<Record<number, string>> = { 0: 'No error' };
const EXT_ECHO_RSP_CODES: Readonly<Record<number, string>> = {
  0: 'No error', 1: 'Malformed Query', 2: 'No Such Interface', 3: 'No Such Table Entry', 4: 'Multiple Interfaces Satisfy Query',
};
const UNREACH: Readonly<Record<number, string>> = {
  0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable',
  4: 'Fragmentation needed', 5: 'Source route failed', 6: 'Destination network unknown', 7: 'Destination host unknown',
  8: 'Source host isolated', 9: 'Network administratively prohibited', 10: 'Host administratively prohibited',
  11: 'Network unreachable for TOS', 12: 'Host unreachable for TOS', 13: 'Communication administratively filtered',
  14: 'Host precedence violation', 15: 'Precedence cutoff in effect',
};
const REDIRECT: Readonly<Record<number, string>> = {
  0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host',
};
const TIME_EXCEEDED: Readonly<Record<number, string>> = { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' };
const PARAM_PROBLEM: Readonly<Record<number, string>> = { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' };

export const hf_icmp = defineFields(proto_icmp, {
  type: { abbrev: 'icmp.type', name: 'Type', type: FT.UINT8, base: Base.DEC },
  code: { abbrev: 'icmp.code', name: 'Code', type: FT.UINT8, base: Base.DEC },
  checksum: { abbrev: 'icmp.checksum', name: 'Checksum', type: FT.UINT16, base: Base.HEX },
  checksum_status: { abbrev: 'icmp.checksum.status', name: 'Checksum Status', type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS },
  unused: { abbrev: 'icmp.unused', name: 'Unused', type: FT.BYTES },
  ident: { abbrev: 'icmp.ident', name: 'Identifier (BE)', type: FT.UINT16, base: Base.DEC_HEX },
  ident_le: { abbrev: 'icmp.ident_le', name: 'Identifier (LE)', type: FT.UINT16, base: Base.DEC_HEX },
  seq: { abbrev: 'icmp.seq', name: 'Sequence Number (BE)', type: FT.UINT16, base: Base.DEC_HEX },
  seq_le: { abbrev: 'icmp.seq_le', name: 'Sequence Number (LE)', type: FT.UINT16, base: Base.DEC_HEX },
  ext_echo_seq: { abbrev: 'icmp.ext.echo.seq', name: 'Sequence Number', type: FT.UINT8, base: Base.DEC_HEX },
  ext_echo_req_res: { abbrev: 'icmp.ext.echo.req.res', name: 'Reserved', type: FT.UINT8, base: Base.HEX, bitmask: 0xfe },
  ext_echo_req_local: { abbrev: 'icmp.ext.echo.req.local', name: 'Local bit', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x01, tfs: ['Set', 'Not set'] },
  ext_echo_rsp_state: { abbrev: 'icmp.ext.echo.rsp.state', name: 'State', type: FT.UINT8, base: Base.DEC, bitmask: 0xe0, strings: { 0: 'Reserved', 1: 'Incomplete', 2: 'Reachable', 3: 'Stale', 4: 'Delay', 5: 'Probe', 6: 'Failed' } },
  ext_echo_rsp_res: { abbrev: 'icmp.ext.echo.rsp.res', name: 'Reserved', type: FT.UINT8, base: Base.HEX, bitmask: 0x18 },
  ext_echo_rsp_active: { abbrev: 'icmp.ext.echo.rsp.active', name: 'Active bit', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x04, tfs: ['Set', 'Not set'] },
  ext_echo_rsp_ipv4: { abbrev: 'icmp.ext.echo.rsp.ipv4', name: 'IPv4 bit', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x02, tfs: ['Set', 'Not set'] },
  ext_echo_rsp_ipv6: { abbrev: 'icmp.ext.echo.rsp.ipv6', name: 'IPv6 bit', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x01, tfs: ['Set', 'Not set'] },
  mtu: { abbrev: 'icmp.mtu', name: 'MTU of next hop', type: FT.UINT16, base: Base.DEC },
  pointer: { abbrev: 'icmp.pointer', name: 'Pointer', type: FT.UINT32, base: Base.DEC },
  redir_gw: { abbrev: 'icmp.redir_gw', name: 'Gateway Address', type: FT.IPv4 },
  resp_in: { abbrev: 'icmp.resp_in', name: 'Response frame', type: FT.FRAMENUM },
  resp_to: { abbrev: 'icmp.resp_to', name: 'Request frame', type: FT.FRAMENUM },
  resptime: { abbrev: 'icmp.resptime', name: 'Response time', type: FT.DOUBLE, unit: ' ms' },
  data_time: { abbrev: 'icmp.data_time', name: 'Timestamp from icmp data', type: FT.ABSOLUTE_TIME, base: Base.TIME_UTC },
  data_time_relative: { abbrev: 'icmp.data_time_relative', name: 'Timestamp from icmp data (relative)', type: FT.RELATIVE_TIME, unit: ' seconds' },
});

/** The ICMP multi-part extension (RFC 4884) and its objects (RFC 4950, 5837, 8335), as packet-icmp.c's. */
const AFNUM: Readonly<Record<number, string>> = {
  0: 'Reserved', 1: 'IPv4', 2: 'IPv6', 3: 'NSAP', 4: 'HDLC (8-bit multidrop)', 5: 'BBN 1822',
  6: '802 (includes all 802 media plus Ethernet)', 7: 'E.163', 8: 'E.164 (SMDS, Frame Relay, ATM)', 9: 'F.69 (Telex)',
  10: 'X.121 (X.25, Frame Relay)', 11: 'IPX', 12: 'Appletalk', 13: 'Decnet IV', 14: 'Banyan Vines',
  15: 'E.164 with NSAP subaddress', 16: 'DNS (Domain Name System)', 17: 'Distinguished Name', 18: 'AS Number',
  19: 'XTP over IP version 4', 20: 'XTP over IP version 6', 21: 'XTP native mode XTP',
  22: 'Fibre Channel World-Wide Port Name', 23: 'Fibre Channel World-Wide Node Name', 24: 'GWID', 25: 'Layer-2 VPN',
  196: 'Layer-2 VPN (old)', 26: 'MPLS-TP Section Endpoint Identifier', 27: 'MPLS-TP LSP Endpoint Identifier',
  28: 'MPLS-TP Pseudowire Endpoint Identifier', 29: 'MT IP: Multi-Topology IP version 4',
  30: 'MT IPv6: Multi-Topology IP version 6', 16384: 'EIGRP Common Service Family', 16385: 'EIGRP IPv4 Service Family',
  16386: 'EIGRP IPv6 Service Family', 16387: 'LISP Canonical Address Format (LCAF)', 16388: 'BGP-LS',
  16389: '48-bit MAC Address', 16390: '64-bit MAC Address', 16391: 'OUI', 16392: 'MAC/24', 16393: 'MAC/40',
  16394: 'IPv6/64', 16395: 'RBridge Port ID', 16396: 'TRILL Nickname', 65535: 'Reserved',
};
const EXT_ECHO_IDENT: Readonly<Record<number, string>> = {
  1: 'Identifies Interface By Name', 2: 'Identifies Interface By Index', 3: 'Identifies Interface By Address',
};

export const hf_icmp_ext = defineFields(proto_icmp, {
  ext: { abbrev: 'icmp.ext', name: 'ICMP Extensions', type: FT.NONE },
  version: { abbrev: 'icmp.ext.version', name: 'Version', type: FT.UINT8, base: Base.DEC },
  res: { abbrev: 'icmp.ext.res', name: 'Reserved', type: FT.UINT16, base: Base.HEX, bitmask: 0x0fff },
  checksum: { abbrev: 'icmp.ext.checksum', name: 'Checksum', type: FT.UINT16, base: Base.HEX },
  checksum_status: { abbrev: 'icmp.ext.checksum.status', name: 'Checksum Status', type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS },
  length: { abbrev: 'icmp.ext.length', name: 'Length', type: FT.UINT16, base: Base.DEC },
  class: { abbrev: 'icmp.ext.class', name: 'Class', type: FT.UINT8, base: Base.DEC, strings: { 1: 'MPLS Label Stack Class', 2: 'Interface Information Object', 3: 'Interface Identification Object' } },
  ctype: { abbrev: 'icmp.ext.ctype', name: 'C-Type', type: FT.UINT8, base: Base.DEC },
  data: { abbrev: 'icmp.ext.data', name: 'Data', type: FT.BYTES },
  mpls_label: { abbrev: 'icmp.mpls.label', name: 'Label', type: FT.UINT24, base: Base.DEC, bitmask: 0xfffff0 },
  mpls_exp: { abbrev: 'icmp.mpls.exp', name: 'Experimental', type: FT.UINT24, base: Base.DEC, bitmask: 0x0e },
  mpls_s: { abbrev: 'icmp.mpls.s', name: 'Stack bit', type: FT.BOOLEAN, bitWidth: 24, bitmask: 0x01, tfs: ['Set', 'Not set'] },
  mpls_ttl: { abbrev: 'icmp.mpls.ttl', name: 'Time to live', type: FT.UINT8, base: Base.DEC },
  mpls_data: { abbrev: 'icmp.mpls.data', name: 'Data', type: FT.BYTES },
  int_info_role: {
    abbrev: 'icmp.int_info.role', name: 'Interface Role', type: FT.UINT8, base: Base.DEC, bitmask: 0xc0,
    strings: { 0: 'IP interface upon which datagram arrived', 1: 'sub-IP component of an IP interface upon which datagram arrived', 2: 'IP interface through which datagram would be forwarded', 3: 'IP next-hop to which datagram would be forwarded' },
  },
  int_info_reserved: { abbrev: 'icmp.int_info.reserved', name: 'Reserved', type: FT.UINT8, base: Base.DEC, bitmask: 0x30 },
  int_info_ifindex: { abbrev: 'icmp.int_info.ifindex', name: 'ifIndex', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x08 },
  int_info_ipaddr: { abbrev: 'icmp.int_info.ipaddr', name: 'IP Address', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x04, tfs: ['Present', 'Not Present'] },
  int_info_name_present: { abbrev: 'icmp.int_info.name_present', name: 'Interface Name', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x02, tfs: ['Present', 'Not Present'] },
  int_info_mtu_present: { abbrev: 'icmp.int_info.mtu_present', name: 'MTU', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x01, tfs: ['Present', 'Not Present'] },
  int_info_index: { abbrev: 'icmp.int_info.index', name: 'Interface Index', type: FT.UINT32, base: Base.DEC },
  int_info_afi: { abbrev: 'icmp.int_info.afi', name: 'Address Family Identifier', type: FT.UINT16, base: Base.DEC },
  int_info_ipv4: { abbrev: 'icmp.int_info.ipv4', name: 'Source', type: FT.IPv4 },
  int_info_ipv6: { abbrev: 'icmp.int_info.ipv6', name: 'Source', type: FT.IPv6 },
  int_info_ipunknown: { abbrev: 'icmp.int_info.ipunknown', name: 'Source', type: FT.BYTES },
  int_info_name_length: { abbrev: 'icmp.int_info.name_length', name: 'Name Length', type: FT.UINT8, base: Base.DEC },
  int_info_name: { abbrev: 'icmp.int_info.name', name: 'Name', type: FT.STRING },
  int_info_mtu: { abbrev: 'icmp.int_info.mtu', name: 'Maximum Transmission Unit', type: FT.UINT32, base: Base.DEC },
  reserved: { abbrev: 'icmp.reserved', name: 'Reserved', type: FT.BYTES },
  int_ident_name: { abbrev: 'icmp.int_ident.name', name: 'Name', type: FT.STRING },
  int_ident_index: { abbrev: 'icmp.int_ident.index', name: 'Interface Index', type: FT.UINT32, base: Base.DEC },
  int_ident_afi: { abbrev: 'icmp.int_ident.afi', name: 'Address Family Identifier', type: FT.UINT16, base: Base.DEC, strings: AFNUM },
  int_ident_addr_length: { abbrev: 'icmp.int_ident.addr_length', name: 'Address Length', type: FT.UINT8, base: Base.DEC },
  int_ident_reserved: { abbrev: 'icmp.int_ident.reserved', name: 'Reserved', type: FT.BYTES },
  int_ident_ipv4: { abbrev: 'icmp.int_ident.ipv4', name: 'Address', type: FT.IPv4 },
  int_ident_ipv6: { abbrev: 'icmp.int_ident.ipv6', name: 'Address', type: FT.IPv6 },
  int_ident_address: { abbrev: 'icmp.int_ident.address', name: 'Address', type: FT.BYTES },
});
const hf_icmp_ext_ei = defineFields(proto_icmp, {
  checksum_bad: { abbrev: 'icmp.ext.checksum_bad', name: 'Bad checksum', type: FT.NONE },
});
const ei_icmp_ext_checksum: ExpertInfo = { field: hf_icmp_ext_ei.checksum_bad, severity: ExpertSeverity.WARN, group: ExpertGroup.CHECKSUM };

const hf_icmp_ei = defineFields(proto_icmp, {
  checksum_bad: { abbrev: 'icmp.checksum_bad', name: 'Bad checksum', type: FT.NONE },
});
const ei_icmp_checksum: ExpertInfo = { field: hf_icmp_ei.checksum_bad, severity: ExpertSeverity.WARN, group: ExpertGroup.CHECKSUM };

/**
 * proto_tree_add_checksum with PROTO_CHECKSUM_VERIFY|PROTO_CHECKSUM_IN_CKSUM for the checksum item
 * `cki` of a message at offset 2: " [correct]", or " incorrect, should be 0x…" with the expert info
 * "Bad checksum [should be 0x…]"; then the status. `computed` is the folded sum (0 when intact).
 */
export function verifyChecksum(ctx: Ctx, top: Item, cki: Item, tvb: Tvb, sum: number, computed: number, status: Field, ei: ExpertInfo): void {
  const { tree } = ctx;
  if (computed === 0) {
    if (tree.full) tree.appendText(cki, ' [correct]');
    addChecksumStatus(ctx, top, status, tvb, 2, 0, 1);
    return;
  }
  const should = checksumShouldBe(sum, computed).toString(16).padStart(4, '0');
  if (tree.full) tree.appendText(cki, ` incorrect, should be 0x${should}`);
  addExpert(ctx, cki, tvb, 0, 0, ei, `${ei.field.name} [should be 0x${should}]`);
  addChecksumStatus(ctx, top, status, tvb, 2, 0, 0);
}

/** in_cksum_shouldbe (epan/in_cksum.c): the checksum field value that would have made the sum good. */
export function checksumShouldBe(sum: number, computed: number): number {
  let s = sum + computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** An FT_STRING read with ENC_ASCII: bytes above 0x7f become U+FFFD, and the value ends at a NUL. */
function asciiString(tvb: Tvb, off: number, n: number): string {
  let out = '';
  for (const b of tvb.bytesAt(off, n)) {
    if (b === 0) break;
    out += b < 0x80 ? String.fromCharCode(b) : '\ufffd';
  }
  return out;
}

/**
 * dissect_icmp_extension: the common header (version, reserved bits, checksum over the whole
 * extension) and the objects, each under an item named after its class. `tvb` starts at the header.
 * ICMPv6 reaches it through the "icmp_extension" handle, so it enters ICMP (frame.protocols shows it);
 * ICMP calls it as a function.
 */
export function dissectIcmpExtension(tvb: Tvb, ctx: Ctx, parent: Item, viaHandle: boolean): void {
  const { pinfo, tree } = ctx;
  if (viaHandle) pinfo.enter('icmp', 'ICMP');
  const reported = tvb.reportedLength;
  const ext = tree.add(parent, hf_icmp_ext.ext, tvb, 0, reported, null);
  if (tree.full) tree.setText(ext, 'ICMP Multi-Part Extensions');
  if (reported < 4) return;
  const version = tvb.u8(0) >> 4;
  tree.add(ext, hf_icmp_ext.version, tvb, 0, 1, version);
  tree.add(ext, hf_icmp_ext.res, tvb, 0, 2, tvb.u16(0) & 0x0fff);
  const sum = tvb.u16(2);
  const ck = tree.add(ext, hf_icmp_ext.checksum, tvb, 2, 2, sum);
  if (sum === 0) {
    if (tree.full) tree.appendText(ck, ' [not present]');
    addChecksumStatus(ctx, ext, hf_icmp_ext.checksum_status, tvb, 2, 0, 3);
  } else {
    const computed = internetChecksum(tvb, 0, reported);
    if (computed === 0) {
      if (tree.full) tree.appendText(ck, ' [correct]');
      addChecksumStatus(ctx, ext, hf_icmp_ext.checksum_status, tvb, 2, 0, 1);
    } else {
      const should = checksumShouldBe(sum, computed).toString(16).padStart(4, '0');
      if (tree.full) tree.appendText(ck, ` incorrect, should be 0x${should}`);
      addExpert(ctx, ck, tvb, 0, 0, ei_icmp_ext_checksum, `Bad checksum [should be 0x${should}]`);
      addChecksumStatus(ctx, ext, hf_icmp_ext.checksum_status, tvb, 2, 0, 0);
    }
  }
  if (version !== 1 && version !== 2) {
    if (tree.full) tree.appendText(ext, ' (unsupported version)');
    return;
  }
  let off = 4, intInfoCount = 0;
  while (tvb.reportedLength - off >= 4) {
    const objLen = tvb.u16(off);
    const truncLen = Math.min(objLen, tvb.reportedLength - off);
    const end = off + truncLen;
    const obj = tree.add(ext, hf_text, tvb, off, Math.max(truncLen, 4), null);
    let label = 'Unknown object';
    tree.add(obj, hf_icmp_ext.length, tvb, off, 2, objLen);
    const cls = tvb.u8(off + 2);
    tree.add(obj, hf_icmp_ext.class, tvb, off + 2, 1, cls);
    const ctype = tvb.u8(off + 3);
    if (objLen < 4) {
      if (tree.full) tree.setText(obj, 'Object with bad length');
      break;
    }
    let unknown = false;
    switch (cls) {
      case 1: // MPLS label stack (RFC 4950)
        if (ctype === 1) {
          tree.add(obj, hf_icmp_ext.ctype, tvb, off + 3, 1, ctype);
          label = 'MPLS Stack Entry';
          let o = off + 4;
          while (o + 4 <= end && tvb.reportedLength - o >= 4) {
            const e = tvb.u24(o), ttl = tvb.u8(o + 3);
            const ent = tree.add(obj, hf_text, tvb, o, 4, null);
            if (tree.full) tree.setText(ent, `Label: ${e >>> 4}, Exp: ${(e >> 1) & 7}, S: ${e & 1}, TTL: ${ttl}`);
            tree.add(ent, hf_icmp_ext.mpls_label, tvb, o, 3, e >>> 4);
            tree.add(ent, hf_icmp_ext.mpls_exp, tvb, o + 2, 1, (e >> 1) & 7);
            tree.add(ent, hf_icmp_ext.mpls_s, tvb, o + 2, 1, (e & 1) !== 0);
            tree.add(ent, hf_icmp_ext.mpls_ttl, tvb, o + 3, 1, ttl);
            o += 4;
          }
          if (o < end) tree.add(obj, hf_icmp_ext.mpls_data, tvb, o, end - o, tvb.bytesAt(o, end - o));
        } else {
          tree.add(obj, hf_icmp_ext.ctype, tvb, off + 3, 1, ctype);
          unknown = true;
        }
        break;
      case 3: { // interface identification (RFC 8335)
        label = 'Interface Identification Object';
        if (tvb.reportedLength - off < 5) { unknown = true; break; }
        const ci = tree.add(obj, hf_icmp_ext.ctype, tvb, off + 3, 1, ctype);
        if (tree.full) tree.appendText(ci, ` (${EXT_ECHO_IDENT[ctype] ?? `Unknown C-Type ${ctype}`})`);
        let o = off + 4;
        if (ctype === 1) {
          tree.add(obj, hf_icmp_ext.int_ident_name, tvb, o, objLen - 4, asciiString(tvb, o, objLen - 4));
        } else if (ctype === 2) {
          tree.add(obj, hf_icmp_ext.int_ident_index, tvb, o, 4, tvb.u32(o));
        } else if (ctype === 3) {
          const afi = tvb.u16(o);
          tree.add(obj, hf_icmp_ext.int_ident_afi, tvb, o, 2, afi);
          let alen = tvb.u8(o + 2);
          tree.add(obj, hf_icmp_ext.int_ident_addr_length, tvb, o + 2, 1, alen);
          tree.add(obj, hf_icmp_ext.int_ident_reserved, tvb, o + 3, 1, tvb.bytesAt(o + 3, 1));
          o += 4;
          if (afi === 1) {
            while (alen >= 4 && tvb.reportedLength - o >= 4) { tree.add(obj, hf_icmp_ext.int_ident_ipv4, tvb, o, 4, tvb.u32(o)); o += 4; alen -= 4; }
          } else if (afi === 2) {
            while (alen >= 16 && tvb.reportedLength - o >= 16) { tree.add(obj, hf_icmp_ext.int_ident_ipv6, tvb, o, 16, tvb.bytesAt(o, 16)); o += 16; alen -= 16; }
          } else {
            const n = tvb.reportedLength - o;
            tree.add(obj, hf_icmp_ext.int_ident_address, tvb, o, n, tvb.bytesAt(o, n));
          }
        }
        break;
      }
      case 2: { // interface information (RFC 5837)
        label = 'Interface Information Object';
        if (tvb.reportedLength - off < 4) { unknown = true; break; }
        const ci = tree.add(obj, hf_icmp_ext.ctype, tvb, off + 3, 1, ctype);
        const role = (hf_icmp_ext.int_info_role.strings as Readonly<Record<number, string>>)[ctype >> 6];
        // proto_tree_add_bitmask: the role by name, then the set flags' names.
        if (tree.full) tree.appendText(ci, `, Interface Role: ${role}${ctype & 8 ? ', ifIndex' : ''}${ctype & 4 ? ', IP Address' : ''}${ctype & 2 ? ', Interface Name' : ''}${ctype & 1 ? ', MTU' : ''}`);
        tree.add(ci, hf_icmp_ext.int_info_role, tvb, off + 3, 1, ctype >> 6);
        tree.add(ci, hf_icmp_ext.int_info_reserved, tvb, off + 3, 1, (ctype >> 4) & 3);
        tree.add(ci, hf_icmp_ext.int_info_ifindex, tvb, off + 3, 1, (ctype & 8) !== 0);
        tree.add(ci, hf_icmp_ext.int_info_ipaddr, tvb, off + 3, 1, (ctype & 4) !== 0);
        tree.add(ci, hf_icmp_ext.int_info_name_present, tvb, off + 3, 1, (ctype & 2) !== 0);
        tree.add(ci, hf_icmp_ext.int_info_mtu_present, tvb, off + 3, 1, (ctype & 1) !== 0);
        let o = off + 4;
        // packet-icmp.c reads each sub-object where the previous one ended, checking the object's
        // end only for the address and the name (the index and MTU may run past it).
        if (ctype & 8) { tree.add(obj, hf_icmp_ext.int_info_index, tvb, o, 4, tvb.u32(o)); o += 4; }
        if ((ctype & 4) && end >= o + 2) {
          const afi = tvb.u16(o);
          const sub = addText(ctx, obj, tvb, o, afi === 1 ? 8 : 20, 'IP Address Sub-Object');
          const subParent = sub < 0 ? obj : sub;
          tree.add(subParent, hf_icmp_ext.int_info_afi, tvb, o, 2, afi);
          tree.add(subParent, hf_icmp_ext.reserved, tvb, o + 2, 2, tvb.bytesAt(o + 2, 2));
          o += 4;
          if (afi === 1) { tree.add(subParent, hf_icmp_ext.int_info_ipv4, tvb, o, 4, tvb.u32(o)); o += 4; }
          else if (afi === 2) { tree.add(subParent, hf_icmp_ext.int_info_ipv6, tvb, o, 16, tvb.bytesAt(o, 16)); o += 16; }
          else { tree.add(subParent, hf_icmp_ext.int_info_ipunknown, tvb, o, o - end, tvb.bytesAt(o, Math.max(0, o - end))); break; }
        }
        if (ctype & 2) {
          let nameLen = 0, nameParent = obj;
          if (end >= o + 1) {
            nameLen = tvb.u8(o);
            const sub = addText(ctx, obj, tvb, o, nameLen, 'Interface Name Sub-Object');
            nameParent = sub < 0 ? obj : sub;
            tree.add(nameParent, hf_icmp_ext.int_info_name_length, tvb, o, 1, nameLen);
            o += 1;
          }
          // A zero name length would be an item "to the end" in packet-icmp.c (length -1): not followed here.
          if (nameLen > 0 && end >= o + nameLen) {
            tree.add(nameParent, hf_icmp_ext.int_info_name, tvb, o, nameLen - 1, asciiString(tvb, o, nameLen - 1));
            o += nameLen - 1;
          }
        }
        if (ctype & 1) tree.add(obj, hf_icmp_ext.int_info_mtu, tvb, o, 4, tvb.u32(o));
        if (++intInfoCount > 4) label = 'More than 4 Interface Information Objects';
        break;
      }
      default:
        // MPLS extended payloads (class 0) are left to the unknown-object path: none occurs in the
        // captures this was checked against.
        unknown = true;
        break;
    }
    if (unknown) {
      // The unknown-object path adds the C-Type again after an MPLS object's own (packet-icmp.c).
      tree.add(obj, hf_icmp_ext.ctype, tvb, off + 3, 1, ctype);
      label = `Unknown object (${cls}/${ctype})`;
      if (truncLen > 4) tree.add(obj, hf_icmp_ext.data, tvb, off + 4, truncLen - 4, tvb.bytesAt(off + 4, truncLen - 4));
    }
    if (tree.full) tree.setText(obj, label + (truncLen < objLen ? ' (truncated)' : ''));
    off = end;
  }
}

/** RFC 1071 Internet checksum over `n` bytes at `off`; 0 when the data (checksum included) is intact. */
export function internetChecksum(tvb: Tvb, off: number, n: number, initial = 0): number {
  const b = tvb.bytesAt(off, n);
  let sum = initial;
  for (let i = 0; i + 1 < n; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (n & 1) sum += b[n - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/**
 * Echo request/reply pairs (Wireshark's icmp_transaction_t), keyed by identifier, sequence and the
 * address pair. Bounded: the oldest transactions are forgotten past MAX_TRANSACTIONS.
 */
export class EchoTracker {
  static readonly MAX_TRANSACTIONS = 65536;
  private readonly open = new Map<string, { req: number; reqNs: number; rep: number }>();
  /** frame → peer frame, from the first pass. */
  private readonly peer = new Map<number, number>();

  request(key: string, num: number, ns: number): void {
    if (this.open.size >= EchoTracker.MAX_TRANSACTIONS) this.open.delete(this.open.keys().next().value as string);
    this.open.set(key, { req: num, reqNs: ns, rep: 0 });
  }
  /** The request frame a reply answers and its time, or undefined. */
  reply(key: string, num: number): { req: number; reqNs: number } | undefined {
    const t = this.open.get(key);
    if (t === undefined || t.req >= num) return undefined;
    if (t.rep === 0) {
      t.rep = num;
      this.peer.set(t.req, num);
      if (this.peer.size > EchoTracker.MAX_TRANSACTIONS * 2) this.peer.delete(this.peer.keys().next().value as number);
    }
    return t;
  }
  replyOf(req: number): number | undefined {
    return this.peer.get(req);
  }
  /** Per-frame answers of the first pass, for revisits: reply frame → [request frame, request time]. */
  readonly replyInfo = new Map<number, [number, number]>();
}

function tracker(capture: CaptureContext, proto: string): EchoTracker {
  return capture.state(proto, () => new EchoTracker());
}

/**
 * The 8-byte timeval Linux ping puts at the start of the echo data, as Wireshark guesses it: seconds
 * and microseconds as two 32-bit words, big-endian first then little-endian, accepted when within a
 * day of the frame either way (packet-icmp.c: abs((int)(ts.secs - abs_ts.secs)) < 86400, the
 * difference truncated to 32 bits).
 */
function dataTimestamp(tvb: Tvb, off: number, frameSec: number): { sec: number; usec: number } | undefined {
  if (tvb.remaining(off) < 8) return undefined;
  const ok = (sec: number, usec: number) => Math.abs((sec - frameSec) | 0) < 86400 && usec < 1_000_000;
  let sec = tvb.u32(off), usec = tvb.u32(off + 4);
  if (ok(sec, usec)) return { sec, usec };
  sec = tvb.u32le(off);
  usec = tvb.u32le(off + 4);
  return ok(sec, usec) ? { sec, usec } : undefined;
}

export function dissectIcmp(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  const inError = inErrorPacket.depth > 0;
  pinfo.enter('icmp', 'ICMP');
  const type = tvb.u8(0), code = tvb.u8(1), sum = tvb.u16(2);
  const typeStr = TYPES[type] ?? 'Unknown ICMP (obsolete or malformed?)';
  const codes = type === 3 ? UNREACH : type === 5 ? REDIRECT : type === 11 ? TIME_EXCEEDED : type === 12 ? PARAM_PROBLEM
    : type === 42 ? EXT_ECHO_REQ_CODES : type === 43 ? EXT_ECHO_RSP_CODES : undefined;
  const codeStr = codes ? (codes[code] ?? `Unknown code: ${code}`) : undefined;
  // The TTL of the IP header that carried this message ("ttl=64" in the Info column).
  const ipTtl = lastIpTtl.value;
  if (pinfo.columns && !inError) {
    pinfo.protocol = 'ICMP';
    pinfo.setInfo(typeStr.padEnd(20) + (codeStr !== undefined ? ` (${codeStr})` : ''));
  }
  const top = tree.add(parent, proto_icmp, tvb, 0, -1, null);
  const ti = tree.add(top, hf_icmp.type, tvb, 0, 1, type);
  if (tree.full) tree.appendText(ti, ` (${typeStr})`);
  const ci = tree.add(top, hf_icmp.code, tvb, 1, 1, code);
  if (tree.full && codeStr !== undefined) tree.appendText(ci, ` (${codeStr})`);
  const cki = tree.add(top, hf_icmp.checksum, tvb, 2, 2, sum);
  // packet-icmp.c verifies only a whole datagram that is not quoted inside an ICMP error.
  if (!pinfo.fragmented && !inError && tvb.length >= tvb.reportedLength) {
    verifyChecksum(ctx, top, cki, tvb, sum, internetChecksum(tvb, 0, tvb.length), hf_icmp.checksum_status, ei_icmp_checksum);
  } else {
    // packet-icmp.c names any unverified case "fragmented datagram" unless it is quoted in an error.
    if (tree.full) tree.appendText(cki, inError ? ' [unverified] [in ICMP error packet]' : ' [unverified] [fragmented datagram]');
    addChecksumStatus(ctx, top, hf_icmp.checksum_status, tvb, 2, 0, CHECKSUM_UNVERIFIED);
  }

  if (type === 0 || type === 8 || type === 13 || type === 14 || type === 17 || type === 18) {
    const id = tvb.u16(4), seq = tvb.u16(6);
    tree.add(top, hf_icmp.ident, tvb, 4, 2, id);
    tree.add(top, hf_icmp.ident_le, tvb, 4, 2, tvb.u16le(4));
    tree.add(top, hf_icmp.seq, tvb, 6, 2, seq);
    tree.add(top, hf_icmp.seq_le, tvb, 6, 2, tvb.u16le(6));
    if (pinfo.columns && !inError) pinfo.appendInfo(` id=0x${id.toString(16).padStart(4, '0')}, seq=${seq}/${tvb.u16le(6)}, ttl=${ipTtl}`);
    if ((type === 0 || type === 8) && !inError) echoMatch(ctx, 'icmp', ICMP_ECHO, top, tvb, type === 8, id, seq);
    if (type === 0 || type === 8) {
      let off = 8;
      const ts = dataTimestamp(tvb, 8, pinfo.tsSec);
      if (ts !== undefined) {
        const abs = BigInt(ts.sec) * 1_000_000_000n + BigInt(ts.usec * 1000);
        tree.add(top, hf_icmp.data_time, tvb, 8, 8, abs);
        const rel = (pinfo.tsSec - ts.sec) * 1e9 + (pinfo.tsNsec - ts.usec * 1000);
        tree.add(top, hf_icmp.data_time_relative, tvb, 8, 8, rel, ItemFlags.GENERATED);
        off = 16;
      }
      dissectData(tvb.sub(off), ctx, top);
    }
    return tvb.length;
  }
  if (type === 42 || type === 43) {
    // RFC 8335 extended echo: identifier, an 8-bit sequence number and a flags byte; a request's
    // interface identification follows as an ICMP multi-part extension (RFC 4884). packet-icmp.c
    // shows nothing of what follows a reply's header.
    tree.add(top, hf_icmp.ident, tvb, 4, 2, tvb.u16(4));
    tree.add(top, hf_icmp.ident_le, tvb, 4, 2, tvb.u16le(4));
    addExtEcho(ctx, top, tvb, type === 42, hf_icmp);
    if (type === 42 && tvb.reportedLength > 8) dissectIcmpExtension(tvb.sub(8), ctx, top, false);
    return tvb.length;
  }
  if (type === 3 || type === 11 || type === 12 || type === 4 || type === 5) {
    if (type === 3 && code === 4) {
      tree.add(top, hf_icmp.unused, tvb, 4, 2, tvb.bytesAt(4, 2));
      tree.add(top, hf_icmp.mtu, tvb, 6, 2, tvb.u16(6));
    } else if (type === 12) {
      tree.add(top, hf_icmp.pointer, tvb, 4, 1, tvb.u8(4));
      tree.add(top, hf_icmp.unused, tvb, 5, 3, tvb.bytesAt(5, 3));
    } else if (type === 5) {
      tree.add(top, hf_icmp.redir_gw, tvb, 4, 4, tvb.u32(4));
    } else {
      tree.add(top, hf_icmp.unused, tvb, 4, 4, tvb.bytesAt(4, 4));
    }
    // The quoted datagram: its IP header and first bytes, dissected without touching the columns.
    dissectQuoted(dissectIp, tvb.sub(8), ctx, top);
    return tvb.length;
  }
  if (tvb.remaining(8) > 0) dissectData(tvb.sub(8), ctx, top);
  return tvb.length;
}

/** The generated fields echo matching adds: Wireshark's icmp.resp_in/resp_to/resptime and icmpv6's. */
export interface EchoFields {
  respIn: Field;
  respTo: Field;
  respTime: Field;
}

/**
 * Request/reply matching shared by ICMP and ICMPv6 (their own state under `proto`): "(request in N)"
 * on replies, and "(reply in N)" on requests once the reply is known (a second pass).
 */
export function echoMatch(ctx: Ctx, proto: 'icmp' | 'icmpv6', hf: EchoFields, top: Item, tvb: Tvb, isRequest: boolean, id: number, seq: number): void {
  const { pinfo, tree, capture } = ctx;
  const t = tracker(capture, proto);
  const a = pinfo.netSrc.bytes.join('.'), b = pinfo.netDst.bytes.join('.');
  const key = isRequest ? `${id}/${seq}/${a}/${b}` : `${id}/${seq}/${b}/${a}`;
  const nowNs = capture.relNs[pinfo.num];
  if (isRequest) {
    if (!pinfo.visited) t.request(key, pinfo.num, nowNs);
    const rep = t.replyOf(pinfo.num);
    if (rep !== undefined && pinfo.visited) {
      tree.add(top, hf.respIn, tvb, 0, 0, rep, ItemFlags.GENERATED);
      if (pinfo.columns) pinfo.appendInfo(` (reply in ${rep})`);
    }
    return;
  }
  let info = t.replyInfo.get(pinfo.num);
  if (info === undefined && !pinfo.visited) {
    const m = t.reply(key, pinfo.num);
    if (m !== undefined) {
      info = [m.req, m.reqNs];
      t.replyInfo.set(pinfo.num, info);
    }
  }
  if (info === undefined) return;
  tree.add(top, hf.respTo, tvb, 0, 0, info[0], ItemFlags.GENERATED);
  tree.add(top, hf.respTime, tvb, 0, 0, capture.deltaNs(pinfo.num, info[0]) / 1e6, ItemFlags.GENERATED); // exact stamps, not relNs floats
  if (pinfo.columns) pinfo.appendInfo(` (request in ${info[0]})`);
}

const ICMP_ECHO: EchoFields = { respIn: hf_icmp.resp_in, respTo: hf_icmp.resp_to, respTime: hf_icmp.resptime };

tables.ipProto.add(1, dissectIcmp);
