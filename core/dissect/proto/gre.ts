// GRE, IP protocol 47 (RFC 1701/2784/2890, RFC 2637's enhanced GRE; Wireshark 4.0's packet-gre.c):
// flags and version, protocol type, then the optional checksum/offset, key (payload length and call
// ID in enhanced GRE), sequence and acknowledgment numbers, the source route entries, WCCP's redirect
// header, and the payload by protocol type through the "gre.proto" table (IPv4, IPv6, ERSPAN,
// transparent Ethernet bridging), or as data. Dissected so the conversations inside the tunnel get
// their stream numbers, as in tshark.

import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import { bitPattern } from '../../fields/format.js';
import { type Ctx, DissectorTable, tables } from '../table.js';
import type { Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { ExpertGroup, ExpertSeverity, type ExpertInfo, addExpert } from '../frame.js';
import { CHECKSUM_STATUS, CHECKSUM_UNVERIFIED, addChecksumStatus } from './ip.js';
import { checksumShouldBe, internetChecksum } from './icmp.js';
import { dissectEth } from './eth.js';

export const proto_gre = defineProtocol('gre', 'Generic Routing Encapsulation', 'GRE');

/** gre_typevals of Wireshark 4.0 (`tshark -G values` for gre.proto). */
const GRE_TYPES: Readonly<Record<number, string>> = {
  0x0000: 'Possible GRE keepalive packet', 0x880b: 'PPP', 0x0800: 'IP', 0x0806: 'ARP', 0x00fe: 'OSI', 0x883e: 'WCCP',
  0x2000: 'CDP (Cisco)', 0x2001: 'NHRP', 0x88be: 'ERSPAN', 0x22eb: 'ERSPAN III', 0x6400: 'MIKROTIK EoIP',
  0xfeae: 'AIROHIVE AP AP', 0x8137: 'IPX', 0x6558: 'Transparent Ethernet bridging', 0x6559: 'Frame Relay',
  0x86dd: 'IPv6', 0x8847: 'MPLS label switched packet', 0x894f: 'Network Service Header',
  0x8881: 'CDMA2000 A10 Unstructured byte stream', 0x88d2: 'CDMA2000 A10 3GPP2 Packet', 0x8909: 'CiscoMetaData',
  0xb7ea: 'Huawei GRE bonding', 0x9000: 'ARUBA WLAN',
};
for (let t = 0x8200; t <= 0x8370; t += 0x10) (GRE_TYPES as Record<number, string>)[t] = 'ARUBA WLAN';

/** packet-wccp.c service_id_vals. */
const WCCP_SERVICES: Readonly<Record<number, string>> = { 0: 'HTTP' };

export const hf_gre = defineFields(proto_gre, {
  flags_and_version: { abbrev: 'gre.flags_and_version', name: 'Flags and Version', type: FT.UINT16, base: Base.HEX },
  flags_checksum: { abbrev: 'gre.flags.checksum', name: 'Checksum Bit', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x8000, tfs: ['Yes', 'No'] },
  flags_routing: { abbrev: 'gre.flags.routing', name: 'Routing Bit', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x4000, tfs: ['Yes', 'No'] },
  flags_key: { abbrev: 'gre.flags.key', name: 'Key Bit', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x2000, tfs: ['Yes', 'No'] },
  flags_sequence_number: { abbrev: 'gre.flags.sequence_number', name: 'Sequence Number Bit', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x1000, tfs: ['Yes', 'No'] },
  flags_strict_source_route: { abbrev: 'gre.flags.strict_source_route', name: 'Strict Source Route Bit', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0800, tfs: ['Yes', 'No'] },
  flags_recursion_control: { abbrev: 'gre.flags.recursion_control', name: 'Recursion control', type: FT.UINT16, base: Base.DEC, bitmask: 0x0700 },
  flags_ack: { abbrev: 'gre.flags.ack', name: 'Acknowledgment', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0080, tfs: ['Yes', 'No'] },
  flags_reserved: { abbrev: 'gre.flags.reserved', name: 'Flags (Reserved)', type: FT.UINT16, base: Base.DEC, bitmask: 0x00f8 },
  flags_version: { abbrev: 'gre.flags.version', name: 'Version', type: FT.UINT16, base: Base.DEC, bitmask: 0x0007, strings: { 0: 'GRE', 1: 'Enhanced GRE' } },
  proto: { abbrev: 'gre.proto', name: 'Protocol Type', type: FT.UINT16, base: Base.HEX, strings: GRE_TYPES },
  checksum: { abbrev: 'gre.checksum', name: 'Checksum', type: FT.UINT16, base: Base.HEX },
  checksum_status: { abbrev: 'gre.checksum.status', name: 'Checksum Status', type: FT.UINT8, base: Base.NONE, strings: CHECKSUM_STATUS },
  offset: { abbrev: 'gre.offset', name: 'Offset', type: FT.UINT16, base: Base.DEC },
  key: { abbrev: 'gre.key', name: 'Key', type: FT.UINT32, base: Base.HEX },
  key_payload_length: { abbrev: 'gre.key.payload_length', name: 'Payload Length', type: FT.UINT16, base: Base.DEC },
  key_call_id: { abbrev: 'gre.key.call_id', name: 'Call ID', type: FT.UINT16, base: Base.DEC },
  sequence_number: { abbrev: 'gre.sequence_number', name: 'Sequence Number', type: FT.UINT32, base: Base.DEC },
  ack_number: { abbrev: 'gre.ack_number', name: 'Acknowledgment Number', type: FT.UINT32, base: Base.DEC },
  routing: { abbrev: 'gre.routing', name: 'Routing', type: FT.NONE },
  routing_address_family: { abbrev: 'gre.routing.address_family', name: 'Address Family', type: FT.UINT16, base: Base.DEC },
  routing_sre_offset: { abbrev: 'gre.routing.sre_offset', name: 'SRE Offset', type: FT.UINT8, base: Base.DEC },
  routing_sre_length: { abbrev: 'gre.routing.src_length', name: 'SRE Length', type: FT.UINT8, base: Base.DEC },
  routing_information: { abbrev: 'gre.routing.information', name: 'Routing Information', type: FT.BYTES },
  wccp_redirect_header: { abbrev: 'gre.wccp.redirect_header', name: 'Redirect Header', type: FT.NONE },
  wccp_dynamic_service: { abbrev: 'gre.wccp.dynamic_service', name: 'Dynamic Service', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x01, tfs: ['Dynamic service', 'Well-known service'] },
  wccp_alternative_bucket_used: { abbrev: 'gre.wccp.alternative_bucket_used', name: 'Alternative bucket used', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x02, tfs: ['Alternative bucket used', 'Primary bucket used'] },
  wccp_redirect_header_valid: { abbrev: 'gre.wccp.redirect_header_valid', name: 'WCCP Redirect header is valid', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x04, tfs: ['Header is present, but ignore contents', 'Header contents are valid'] },
  wccp_service_id: { abbrev: 'gre.wccp.service_id', name: 'Service ID', type: FT.UINT8, base: Base.DEC, strings: WCCP_SERVICES },
  wccp_alternative_bucket: { abbrev: 'gre.wccp.alternative_bucket', name: 'Alternative Bucket', type: FT.UINT8, base: Base.DEC },
  wccp_primary_bucket: { abbrev: 'gre.wccp.primary_bucket', name: 'Primary Bucket', type: FT.UINT8, base: Base.DEC },
});

const hf_gre_ei = defineFields(proto_gre, {
  checksum_incorrect: { abbrev: 'gre.checksum.incorrect', name: 'Incorrect GRE Checksum', type: FT.NONE },
});
const ei_gre_checksum_incorrect: ExpertInfo = { field: hf_gre_ei.checksum_incorrect, severity: ExpertSeverity.WARN, group: ExpertGroup.PROTOCOL };

/** Wireshark's "gre.proto" table: what a GRE protocol type carries. */
export const greProto = new DissectorTable('gre.proto');

/** The flags word of the GRE header being dissected: ERSPAN reads the S bit to tell Type I from II. */
export const greFlags = { value: -1 };

const GRE_CHECKSUM = 0x8000, GRE_ROUTING = 0x4000, GRE_KEY = 0x2000, GRE_SEQUENCE = 0x1000, GRE_ACK = 0x0080;
const ETHERTYPE_PPP = 0x880b, ETHERTYPE_3GPP2 = 0x88d2, ETHERTYPE_CDMA2000_A10_UBS = 0x8881, GRE_WCCP = 0x883e;

const hex4 = (v: number): string => v.toString(16).padStart(4, '0');

export function dissectGre(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('gre', 'GRE');
  const flags = tvb.u16(0), type = tvb.u16(2);
  const typeName = GRE_TYPES[type];
  if (pinfo.columns) {
    pinfo.protocol = 'GRE';
    pinfo.setInfo(`Encapsulated ${typeName ?? `0x${hex4(type).toUpperCase()} (unknown)`}`);
  }
  // Enhanced GRE (PPTP, version 1) has the A bit and a split key; WCCP v2 puts a 4-byte redirect header before
  // the IPv4 packet, told apart by the byte after the fixed header not starting an IPv4 header.
  const isPpp = (type === ETHERTYPE_PPP && (flags & 7) !== 0) || type === ETHERTYPE_3GPP2 || type === ETHERTYPE_CDMA2000_A10_UBS;
  const isWccp2 = type === GRE_WCCP && (tvb.u8(4) & 0xf0) !== 0x40;
  const top = tree.add(parent, proto_gre, tvb, 0, -1, null);
  if (tree.full) tree.setText(top, `Generic Routing Encapsulation (${typeName ?? `0x${hex4(type).toUpperCase()} - unknown`})`);
  const fv = tree.add(top, hf_gre.flags_and_version, tvb, 0, 2, flags);
  tree.add(fv, hf_gre.flags_checksum, tvb, 0, 2, (flags & GRE_CHECKSUM) !== 0);
  tree.add(fv, hf_gre.flags_routing, tvb, 0, 2, (flags & GRE_ROUTING) !== 0);
  tree.add(fv, hf_gre.flags_key, tvb, 0, 2, (flags & GRE_KEY) !== 0);
  tree.add(fv, hf_gre.flags_sequence_number, tvb, 0, 2, (flags & GRE_SEQUENCE) !== 0);
  tree.add(fv, hf_gre.flags_strict_source_route, tvb, 0, 2, (flags & 0x0800) !== 0);
  tree.add(fv, hf_gre.flags_recursion_control, tvb, 0, 2, (flags >> 8) & 7);
  if (isPpp) {
    tree.add(fv, hf_gre.flags_ack, tvb, 0, 2, (flags & GRE_ACK) !== 0);
    // Wireshark's second "gre.flags.reserved" (mask 0x0078): one field here, its label drawn by hand.
    const ri = tree.add(fv, hf_gre.flags_reserved, tvb, 0, 2, (flags >> 3) & 0x0f);
    if (tree.full) tree.setText(ri, `${bitPattern(flags, 0x0078, 16)} = Flags (Reserved): ${(flags >> 3) & 0x0f}`);
  } else {
    tree.add(fv, hf_gre.flags_reserved, tvb, 0, 2, (flags >> 3) & 0x1f);
  }
  tree.add(fv, hf_gre.flags_version, tvb, 0, 2, flags & 7);
  tree.add(top, hf_gre.proto, tvb, 2, 2, type);
  let off = 4;
  if ((flags & (GRE_CHECKSUM | GRE_ROUTING)) !== 0) {
    const sum = tvb.u16(off);
    const ck = tree.add(top, hf_gre.checksum, tvb, off, 2, sum);
    // proto_tree_add_checksum: verified over the whole GRE packet when the C bit is set and all of it
    // was captured and not fragmented.
    if ((flags & GRE_CHECKSUM) !== 0 && !pinfo.fragmented && tvb.length >= tvb.reportedLength) {
      const computed = internetChecksum(tvb, 0, tvb.length);
      if (computed === 0) {
        if (tree.full) tree.appendText(ck, ' [correct]');
        addChecksumStatus(ctx, top, hf_gre.checksum_status, tvb, off, 0, 1);
      } else {
        const should = hex4(checksumShouldBe(sum, computed));
        if (tree.full) tree.appendText(ck, ` incorrect, should be 0x${should}`);
        addChecksumStatus(ctx, top, hf_gre.checksum_status, tvb, off, 0, 0);
        addExpert(ctx, ck, tvb, 0, 0, ei_gre_checksum_incorrect, `${ei_gre_checksum_incorrect.field.name} [should be 0x${should}]`);
      }
    } else {
      if (tree.full) tree.appendText(ck, ' [unverified]');
      addChecksumStatus(ctx, top, hf_gre.checksum_status, tvb, off, 0, CHECKSUM_UNVERIFIED);
    }
    tree.add(top, hf_gre.offset, tvb, off + 2, 2, tvb.u16(off + 2));
    off += 4;
  }
  if ((flags & GRE_KEY) !== 0) {
    if (isPpp && type !== ETHERTYPE_CDMA2000_A10_UBS) {
      tree.add(top, hf_gre.key_payload_length, tvb, off, 2, tvb.u16(off));
      tree.add(top, hf_gre.key_call_id, tvb, off + 2, 2, tvb.u16(off + 2));
    } else {
      tree.add(top, hf_gre.key, tvb, off, 4, tvb.u32(off));
    }
    off += 4;
  }
  if ((flags & GRE_SEQUENCE) !== 0) {
    tree.add(top, hf_gre.sequence_number, tvb, off, 4, tvb.u32(off));
    off += 4;
  }
  if (isPpp && (flags & GRE_ACK) !== 0) {
    tree.add(top, hf_gre.ack_number, tvb, off, 4, tvb.u32(off));
    off += 4;
  }
  if ((flags & GRE_ROUTING) !== 0) {
    // Each source route entry's fields go under the GRE item itself (packet-gre.c adds the subtree to
    // the protocol item, not to the "Routing" item), until the NULL entry (family 0, length 0).
    for (;;) {
      const ri = tree.add(top, hf_gre.routing, tvb, off, -1, null);
      const af = tvb.u16(off);
      tree.add(top, hf_gre.routing_address_family, tvb, off, 2, af);
      tree.add(top, hf_gre.routing_sre_offset, tvb, off + 2, 1, tvb.u8(off + 2));
      const sreLen = tvb.u8(off + 3);
      tree.add(top, hf_gre.routing_sre_length, tvb, off + 3, 1, sreLen);
      // proto_item_set_len: clamped to the bytes captured.
      tree.setLength(ri, Math.min(4 + sreLen, tvb.length - off));
      off += 4;
      if (af === 0 && sreLen === 0) break;
      tree.add(top, hf_gre.routing_information, tvb, off, sreLen, tvb.bytesAt(off, sreLen));
      off += sreLen;
    }
  }
  if (isWccp2) {
    const rh = tree.add(top, hf_gre.wccp_redirect_header, tvb, off, 4, null);
    const b = tvb.u8(off);
    tree.add(rh, hf_gre.wccp_dynamic_service, tvb, off, 1, (b & 1) !== 0);
    tree.add(rh, hf_gre.wccp_alternative_bucket_used, tvb, off, 1, (b & 2) !== 0);
    tree.add(rh, hf_gre.wccp_redirect_header_valid, tvb, off, 1, (b & 4) !== 0);
    tree.add(rh, hf_gre.wccp_service_id, tvb, off + 1, 1, tvb.u8(off + 1));
    tree.add(rh, hf_gre.wccp_alternative_bucket, tvb, off + 2, 1, tvb.u8(off + 2));
    tree.add(rh, hf_gre.wccp_primary_bucket, tvb, off + 3, 1, tvb.u8(off + 3));
    off += 4;
  }
  tree.setLength(top, off);
  // Without the S bit there may be no payload at all (a keepalive): then nothing follows.
  if ((flags & GRE_SEQUENCE) === 0 && tvb.reportedLength - off <= 0) return off;
  const next = tvb.sub(off);
  const d = greProto.get(type);
  if (d === undefined) {
    dissectData(next, ctx, top);
  } else {
    const saved = greFlags.value;
    greFlags.value = flags;
    try {
      d(next, ctx, parent);
    } finally {
      greFlags.value = saved;
    }
  }
  return tvb.length;
}

tables.ipProto.add(47, dissectGre);
// packet-ip.c, packet-ipv6.c and packet-eth.c register themselves for these protocol types.
const ipv4 = tables.ethertype.get(0x0800), ipv6 = tables.ethertype.get(0x86dd);
if (ipv4 !== undefined) {
  greProto.add(0x0800, ipv4);
  greProto.add(GRE_WCCP, ipv4);
}
if (ipv6 !== undefined) greProto.add(0x86dd, ipv6);
greProto.add(0x6558, dissectEth);
