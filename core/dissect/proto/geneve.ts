// Geneve over UDP port 6081 (RFC 8926; Wireshark 4.0's packet-geneve.c): version, option length,
// OAM/critical flags, protocol type, 24-bit VNI, reserved byte, TLV options (the GCP ones decoded,
// others as bytes), then the payload by protocol type through the ethertype table (0x6558,
// Transparent Ethernet bridging, is an Ethernet frame). Dissected so the TCP conversations inside the
// tunnel get their stream numbers, as in tshark.

import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import { type Ctx, tables } from '../table.js';
import { ItemFlags, type Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { addText } from '../text.js';
import { ExpertGroup, ExpertSeverity, type ExpertInfo, addExpert } from '../frame.js';
import { ETHERTYPES } from './ethertypes.js';
import { dissectEth } from './eth.js';

export const proto_geneve = defineProtocol('geneve', 'Generic Network Virtualization Encapsulation', 'Geneve');

/** etype_vals as far as Geneve's Info and proto_type label need them (0x6558 is not in ETHERTYPES). */
const PROTO_TYPES: Readonly<Record<number, string>> = { ...ETHERTYPES, 0x6558: 'Transparent Ethernet bridging' };

/** Option classes (packet-geneve.c class_id_names, a range_string). */
const CLASS_RANGES: readonly (readonly [number, number, string])[] = [
  [0x0000, 0x00ff, 'Standard'], [0x0100, 0x0100, 'Linux'], [0x0101, 0x0101, 'Open vSwitch'],
  [0x0102, 0x0102, 'Open Virtual Networking (OVN)'], [0x0103, 0x0103, 'In-band Network Telemetry (INT)'],
  [0x0104, 0x0104, 'VMware'], [0x0105, 0x0105, 'Amazon.com, Inc.'], [0x0106, 0x0106, 'Cisco Systems, Inc.'],
  [0x0107, 0x0107, 'Oracle Corporation'], [0x0108, 0x0110, 'Amazon.com, Inc.'], [0x0111, 0x0118, 'IBM'],
  [0x0119, 0x0128, 'Ericsson'], [0x0129, 0x0129, 'Oxide Computer Company'], [0x0130, 0x0131, 'Cisco Systems, Inc.'],
  [0x0132, 0x0135, 'Google LLC'], [0x0136, 0x0136, 'InfoQuick Global Connection Tech Ltd.'],
  [0x0137, 0xfeff, 'Unassigned'], [0xfff0, 0xffff, 'Experimental'],
];
function className(cls: number): string {
  for (const [lo, hi, name] of CLASS_RANGES) if (cls >= lo && cls <= hi) return name;
  return 'Unknown';
}

const GCP_VNID = 0x013201, GCP_ENDPOINT = 0x013202, GCP_PROFILE = 0x013203;
const OPTION_NAMES: Readonly<Record<number, string>> = {
  [GCP_VNID]: 'GCP Virtual Network ID', [GCP_ENDPOINT]: 'GCP Endpoint ID', [GCP_PROFILE]: 'GCP Profile ID',
};

export const hf_geneve = defineFields(proto_geneve, {
  version: { abbrev: 'geneve.version', name: 'Version', type: FT.UINT8, base: Base.DEC },
  flags: { abbrev: 'geneve.flags', name: 'Flags', type: FT.UINT8, base: Base.HEX },
  flags_oam: { abbrev: 'geneve.flags.oam', name: 'Operations, Administration and Management Frame', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x80 },
  flags_critical: { abbrev: 'geneve.flags.critical', name: 'Critical Options Present', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x40 },
  flags_reserved: { abbrev: 'geneve.flags.reserved', name: 'Reserved', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x3f },
  proto_type: { abbrev: 'geneve.proto_type', name: 'Protocol Type', type: FT.UINT16, base: Base.HEX, strings: PROTO_TYPES },
  vni: { abbrev: 'geneve.vni', name: 'Virtual Network Identifier (VNI)', type: FT.UINT24, base: Base.HEX_DEC },
  reserved: { abbrev: 'geneve.reserved', name: 'Reserved', type: FT.UINT8, base: Base.HEX },
  options: { abbrev: 'geneve.options', name: 'Geneve Options', type: FT.BYTES },
  option_class: { abbrev: 'geneve.option.class', name: 'Class', type: FT.UINT16, base: Base.HEX },
  option_type: { abbrev: 'geneve.option.type', name: 'Type', type: FT.UINT8, base: Base.HEX },
  option_type_critical: { abbrev: 'geneve.option.type.critical', name: 'Critical Option', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0x80 },
  option_flags: { abbrev: 'geneve.option.flags', name: 'Flags', type: FT.UINT8, base: Base.HEX },
  option_flags_reserved: { abbrev: 'geneve.option.flags.reserved', name: 'Reserved', type: FT.BOOLEAN, bitWidth: 8, bitmask: 0xe0 },
  option_length: { abbrev: 'geneve.option.length', name: 'Length', type: FT.UINT8, base: Base.DEC },
  option: { abbrev: 'geneve.option', name: 'Option', type: FT.BYTES },
  gcp_vnid: { abbrev: 'geneve.option.gcp.vnid', name: 'GCP Virtual Network ID', type: FT.UINT32, base: Base.DEC },
  gcp_reserved: { abbrev: 'geneve.option.gcp.reserved', name: 'GCP Reserved bits', type: FT.BOOLEAN, bitWidth: 32, bitmask: 0xe },
  gcp_direction: { abbrev: 'geneve.option.gcp.direction', name: 'GCP Traffic Direction', type: FT.BOOLEAN, bitWidth: 32, bitmask: 0x1, tfs: ['Egress', 'Ingress'] },
  gcp_endpoint: { abbrev: 'geneve.option.gcp.endpoint', name: 'GCP Endpoint ID', type: FT.BYTES },
  gcp_profile: { abbrev: 'geneve.option.gcp.profile', name: 'GCP Profile ID', type: FT.UINT64, base: Base.DEC },
  unknown_data: { abbrev: 'geneve.option.unknown.data', name: 'Unknown Option Data', type: FT.BYTES },
});

const hf_geneve_ei = defineFields(proto_geneve, {
  version_unknown: { abbrev: 'geneve.version.unknown', name: 'Unknown version', type: FT.NONE },
  option_length_invalid: { abbrev: 'geneve.option.length.invalid', name: 'Invalid length for option', type: FT.NONE },
});
const ei_geneve_ver_unknown: ExpertInfo = { field: hf_geneve_ei.version_unknown, severity: ExpertSeverity.WARN, group: ExpertGroup.PROTOCOL };
const ei_geneve_opt_len_invalid: ExpertInfo = { field: hf_geneve_ei.option_length_invalid, severity: ExpertSeverity.WARN, group: ExpertGroup.PROTOCOL };

const hex = (v: number, digits: number): string => v.toString(16).padStart(digits, '0');

/** format_option_name: "GCP Endpoint ID, Class: Google LLC (0x0132) Type: 0x02". */
function optionName(cls: number, type: number): string {
  return `${OPTION_NAMES[cls * 256 + type] ?? 'Unknown'}, Class: ${className(cls)} (0x${hex(cls, 4)}) Type: 0x${hex(type, 2)}`;
}

/** The bits of a 32-bit word as proto_tree_add_bits_item draws them: `width` bits from the top, the rest dots. */
function bitPattern(word: number, width: number): string {
  let s = '';
  for (let i = 0; i < 32; i++) {
    if (i > 0) s += i % 8 === 0 ? '  ' : i % 4 === 0 ? ' ' : '';
    s += i < width ? String((word >>> (31 - i)) & 1) : '.';
  }
  return s;
}

function dissectOption(ctx: Ctx, tvb: Tvb, optsTree: Item, off: number, cls: number, type: number, len: number): void {
  const { tree } = ctx;
  const critical = (type & 0x80) !== 0 ? 'Critical' : 'Non-critical';
  const opt = tree.add(optsTree, hf_geneve.option, tvb, off, len, tvb.bytesAt(off, len));
  if (tree.full) tree.setText(opt, `${optionName(cls, type)} (${critical})`);
  const ci = tree.add(opt, hf_geneve.option_class, tvb, off, 2, cls);
  if (tree.full) tree.setValueText(ci, `${className(cls)} (0x${hex(cls, 4)})`);
  const ti = tree.add(opt, hf_geneve.option_type, tvb, off + 2, 1, type);
  if (tree.full) tree.appendText(ti, ` (${critical})`);
  tree.add(opt, hf_geneve.option_type_critical, tvb, off + 2, 1, (type & 0x80) !== 0, ItemFlags.HIDDEN);
  const flags = tvb.u8(off + 3) >> 5;
  // The option's flags are hidden unless a reserved bit is set, then marked "(RSVD)".
  const fi = tree.add(opt, hf_geneve.option_flags, tvb, off + 3, 1, flags, flags !== 0 ? ItemFlags.NONE : ItemFlags.HIDDEN);
  tree.add(fi, hf_geneve.option_flags_reserved, tvb, off + 3, 1, flags !== 0);
  if (tree.full && flags !== 0) tree.appendText(fi, ' (RSVD)');
  const li = tree.add(opt, hf_geneve.option_length, tvb, off + 3, 1, len);
  if (tree.full) tree.setValueText(li, `${len} bytes`);
  const data = off + 4;
  switch (cls * 256 + type) {
    case GCP_VNID: {
      const word = tvb.u32(data);
      const vi = tree.add(opt, hf_geneve.gcp_vnid, tvb, data, 4, word >>> 4);
      if (tree.full) tree.setText(vi, `${bitPattern(word, 28)} = GCP Virtual Network ID: ${word >>> 4}`);
      tree.add(opt, hf_geneve.gcp_direction, tvb, data, 4, (word & 0x1) !== 0);
      tree.add(opt, hf_geneve.gcp_reserved, tvb, data, 4, (word & 0xe) !== 0);
      break;
    }
    case GCP_ENDPOINT:
      tree.add(opt, hf_geneve.gcp_endpoint, tvb, data, len - 4, tvb.bytesAt(data, len - 4));
      break;
    case GCP_PROFILE: {
      // FT_UINT64 read over len - 4 bytes, big-endian (8 for a well-formed option).
      let v = 0n;
      for (let i = 0; i < len - 4; i++) v = (v << 8n) | BigInt(tvb.u8(data + i));
      tree.add(opt, hf_geneve.gcp_profile, tvb, data, len - 4, BigInt.asUintN(64, v));
      break;
    }
    default:
      tree.add(opt, hf_geneve.unknown_data, tvb, data, len - 4, tvb.bytesAt(data, len - 4));
  }
}

function dissectOptions(ctx: Ctx, tvb: Tvb, top: Item, off: number, len: number): void {
  const { tree } = ctx;
  const opts = tree.add(top, hf_geneve.options, tvb, off, len, tvb.bytesAt(off, len));
  if (tree.full) tree.setText(opts, `Options: (${len} bytes)`);
  while (len > 0) {
    const cls = tvb.u16(off);
    const type = tvb.u8(off + 2);
    const optLen = 4 + (tvb.u8(off + 3) & 0x1f) * 4;
    if (optLen > len) {
      const msg = `${optionName(cls, type)} (length of ${optLen} is past end of options)`;
      addExpert(ctx, addText(ctx, opts, tvb, off + 3, 1, msg), tvb, off + 3, 0, ei_geneve_opt_len_invalid, msg);
      return;
    }
    dissectOption(ctx, tvb, opts, off, cls, type, optLen);
    off += optLen;
    len -= optLen;
  }
}

export function dissectGeneve(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('geneve', 'Geneve');
  if (pinfo.columns) {
    pinfo.protocol = 'Geneve';
    pinfo.clearInfo();
  }
  const top = tree.add(parent, proto_geneve, tvb, 0, -1, null);
  const verOpt = tvb.u8(0);
  const ver = verOpt >> 6;
  tree.add(top, hf_geneve.version, tvb, 0, 1, ver);
  if (ver !== 0) {
    // proto_tree_add_expert_format: a text item with the message, the expert item under it.
    const msg = `Unknown version ${ver}`;
    addExpert(ctx, addText(ctx, top, tvb, 0, 1, msg), tvb, 0, 0, ei_geneve_ver_unknown, msg);
    if (pinfo.columns) pinfo.setInfo(`Unknown Geneve version ${ver}`);
  }
  // The header's option length is shown with the options' own length field, in bytes.
  const optsLen = (verOpt & 0x3f) * 4;
  const li = tree.add(top, hf_geneve.option_length, tvb, 0, 1, optsLen);
  if (tree.full) tree.setValueText(li, `${optsLen} bytes`);

  const flags = tvb.u8(1);
  const fl = tree.add(top, hf_geneve.flags, tvb, 1, 1, flags);
  // proto_tree_add_bitmask (BMT_NO_INT|BMT_NO_TFS): the names of the set flags follow the value.
  for (const [f, bit] of [[hf_geneve.flags_oam, 0x80], [hf_geneve.flags_critical, 0x40], [hf_geneve.flags_reserved, 0x3f]] as const) {
    tree.add(fl, f, tvb, 1, 1, (flags & bit) !== 0);
    if (tree.full && (flags & bit) !== 0) tree.appendText(fl, `, ${f.name}`);
  }

  const protoType = tvb.u16(2);
  tree.add(top, hf_geneve.proto_type, tvb, 2, 2, protoType);
  if (pinfo.columns) pinfo.setInfo(`Encapsulated ${PROTO_TYPES[protoType] ?? `0x${hex(protoType, 4)} (unknown)`}`);

  const vni = tvb.u24(4);
  tree.add(top, hf_geneve.vni, tvb, 4, 3, vni);
  if (tree.full) tree.appendText(top, `, VNI: 0x${hex(vni, 6)}${(flags & 0x80) !== 0 ? ', OAM' : ''}`);
  const rsvd = tvb.u8(7);
  // Shown only when not zero; -T fields still prints the hidden item.
  tree.add(top, hf_geneve.reserved, tvb, 7, 1, rsvd, rsvd === 0 ? ItemFlags.HIDDEN : ItemFlags.NONE);

  let off = 8;
  if (optsLen > 0) dissectOptions(ctx, tvb, top, off, optsLen);
  off += optsLen;
  tree.setLength(top, off);

  // dissector_try_uint on the ethertype table directly (no ethertype layer, so no trailer), else data.
  const next = tvb.sub(off);
  const d = tables.ethertype.get(protoType);
  if (d !== undefined) d(next, ctx, parent);
  else dissectData(next, ctx, parent);
  return tvb.length;
}

// packet-eth.c registers Ethernet (without FCS) for ETHERTYPE_ETHBRIDGE; eth.ts does not, so the
// registration lives with its first user here, unless someone has already made it.
if (tables.ethertype.get(0x6558) === undefined) tables.ethertype.add(0x6558, dissectEth);
tables.udpPort.add(6081, dissectGeneve);
