// ERSPAN over GRE (Cisco's Encapsulated Remote Switch Port ANalyzer; Wireshark 4.0's
// packet-erspan.c): Type I (GRE protocol 0x88be without a sequence number: no header at all), Type II
// (0x88be, an 8-byte header) and Type III (0x22eb, a 12-byte header and an optional 8-byte platform
// sub-header), then the mirrored Ethernet frame. Dissected so the conversations inside the mirrored
// frames get their stream numbers, as in tshark.

import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import type { Ctx } from '../table.js';
import type { Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { ExpertGroup, ExpertSeverity, type ExpertInfo, addExpert } from '../frame.js';
import { dissectEth } from './eth.js';
import { greFlags, greProto } from './gre.js';

export const proto_erspan = defineProtocol('erspan', 'Encapsulated Remote Switch Packet ANalysis', 'ERSPAN');

export const hf_erspan = defineFields(proto_erspan, {
  version: { abbrev: 'erspan.version', name: 'Version', type: FT.UINT16, base: Base.DEC, bitmask: 0xf000, strings: { 1: 'Type II', 2: 'Type III' } },
  vlan: { abbrev: 'erspan.vlan', name: 'Vlan', type: FT.UINT16, base: Base.DEC, bitmask: 0x0fff },
  cos: { abbrev: 'erspan.cos', name: 'COS', type: FT.UINT16, base: Base.DEC, bitmask: 0xe000 },
  encap: {
    abbrev: 'erspan.encap', name: 'Encap', type: FT.UINT16, base: Base.DEC, bitmask: 0x1800,
    strings: { 0: 'Originally without VLAN tag', 1: 'Originally ISL encapsulated', 2: 'Originally 802.1Q encapsulated', 3: 'VLAN tag preserved in frame' },
  },
  bso: {
    abbrev: 'erspan.bso', name: 'Bad/Short/Oversized', type: FT.UINT16, base: Base.DEC, bitmask: 0x1800,
    strings: { 0: 'Good or unknown integrity', 1: 'Short frame', 2: 'Oversized frame', 3: 'CRC or alignment error' },
  },
  truncated: { abbrev: 'erspan.truncated', name: 'Truncated', type: FT.UINT16, base: Base.DEC, bitmask: 0x0400, strings: { 0: 'Not truncated', 1: 'Truncated' } },
  spanid: { abbrev: 'erspan.spanid', name: 'SpanID', type: FT.UINT16, base: Base.DEC, bitmask: 0x03ff },
  reserved: { abbrev: 'erspan.reserved', name: 'Reserved', type: FT.UINT32, base: Base.DEC, bitmask: 0xfff00000 },
  index: { abbrev: 'erspan.index', name: 'Index', type: FT.UINT32, base: Base.DEC, bitmask: 0x000fffff },
  timestamp: { abbrev: 'erspan.timestamp', name: 'Timestamp', type: FT.UINT32, base: Base.DEC, bitmask: 0xffffffff },
  sgt: { abbrev: 'erspan.sgt', name: 'Security Group Tag', type: FT.UINT16, base: Base.DEC, bitmask: 0xffff },
  p: { abbrev: 'erspan.p', name: 'Has Ethernet PDU', type: FT.UINT16, base: Base.DEC, bitmask: 0x8000 },
  ft: { abbrev: 'erspan.ft', name: 'Frame Type', type: FT.UINT16, base: Base.DEC, bitmask: 0x7c00, strings: { 0: 'Ethernet', 2: 'IP' } },
  hw: { abbrev: 'erspan.hw', name: 'Hardware ID', type: FT.UINT16, base: Base.DEC, bitmask: 0x03f0 },
  direction: { abbrev: 'erspan.direction', name: 'Direction', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0008, tfs: ['Egress', 'Ingress'] },
  gra: {
    abbrev: 'erspan.gra', name: 'Timestamp granularity', type: FT.UINT16, base: Base.DEC, bitmask: 0x0006,
    strings: { 0: '100 microseconds', 1: '100 nanoseconds', 2: 'IEEE 1588', 3: 'Custom granularity' },
  },
  o: { abbrev: 'erspan.o', name: 'Optional Sub headers', type: FT.UINT16, base: Base.DEC, bitmask: 0x0001 },
  platid: { abbrev: 'erspan.platid', name: 'Platform ID', type: FT.UINT32, base: Base.DEC, bitmask: 0xfc000000 },
  pid1_rsvd1: { abbrev: 'erspan.pid1.rsvd1', name: 'Reserved', type: FT.UINT32, base: Base.DEC, bitmask: 0x03fff000 },
  pid1_vsmid: { abbrev: 'erspan.pid1.vsmid', name: 'VSM Domain ID', type: FT.UINT32, base: Base.DEC, bitmask: 0x00000fff },
  pid1_port_index: { abbrev: 'erspan.pid1.port_index', name: 'Port ID/Index', type: FT.UINT32, base: Base.DEC, bitmask: 0xffffffff },
  pid3_rsvd1: { abbrev: 'erspan.pid3.rsvd1', name: 'Reserved', type: FT.UINT32, base: Base.DEC, bitmask: 0x03ffc000 },
  pid3_port_index: { abbrev: 'erspan.pid3.port_index', name: 'Port ID/Index', type: FT.UINT32, base: Base.DEC, bitmask: 0x00003fff },
  pid3_timestamp: { abbrev: 'erspan.pid3.timestamp', name: 'Upper 32-bit Timestamp', type: FT.UINT32, base: Base.DEC, bitmask: 0xffffffff },
  pid4_rsvd1: { abbrev: 'erspan.pid4.rsvd1', name: 'Reserved', type: FT.UINT32, base: Base.DEC, bitmask: 0x03ffc000 },
  pid4_rsvd2: { abbrev: 'erspan.pid4.rsvd2', name: 'Reserved', type: FT.UINT32, base: Base.DEC, bitmask: 0x00003fff },
  pid4_rsvd3: { abbrev: 'erspan.pid4.rsvd3', name: 'Reserved', type: FT.UINT32, base: Base.DEC, bitmask: 0xffffffff },
  pid5_switchid: { abbrev: 'erspan.pid5.switchid', name: 'Switch ID', type: FT.UINT32, base: Base.DEC, bitmask: 0x03ff0000 },
  pid5_port_index: { abbrev: 'erspan.pid5.port_index', name: 'Port ID/Index', type: FT.UINT32, base: Base.DEC, bitmask: 0x0000ffff },
  pid5_timestamp: { abbrev: 'erspan.pid5.timestamp', name: 'Timestamp (seconds)', type: FT.UINT32, base: Base.DEC, bitmask: 0xffffffff },
  pid7_rsvd1: { abbrev: 'erspan.pid7.rsvd1', name: 'Reserved', type: FT.UINT32, base: Base.DEC, bitmask: 0x03f00000 },
  pid7_source_index: { abbrev: 'erspan.pid7.source_index', name: 'Source Index', type: FT.UINT32, base: Base.DEC, bitmask: 0x000fffff },
  pid7_timestamp: { abbrev: 'erspan.pid7.timestamp', name: 'Upper 32-bit Timestamp', type: FT.UINT32, base: Base.DEC, bitmask: 0xffffffff },
});

const hf_erspan_ei = defineFields(proto_erspan, {
  version_unknown: { abbrev: 'erspan.version.unknown', name: 'Unknown version, please report or test to use fake ERSPAN preference', type: FT.NONE },
});
const ei_erspan_version_unknown: ExpertInfo = { field: hf_erspan_ei.version_unknown, severity: ExpertSeverity.WARN, group: ExpertGroup.UNDECODED };

const GRE_SEQUENCE = 0x1000;

/** GRE protocol 0x88be: Type I or II (told apart by GRE's S bit); 0x22eb is always Type III. */
function dissectErspan88be(tvb: Tvb, ctx: Ctx, parent: Item): number {
  return dissectErspan(tvb, ctx, parent, greFlags.value >= 0 && (greFlags.value & GRE_SEQUENCE) === 0);
}
function dissectErspan22eb(tvb: Tvb, ctx: Ctx, parent: Item): number {
  return dissectErspan(tvb, ctx, parent, false);
}

export function dissectErspan(tvb: Tvb, ctx: Ctx, parent: Item, typeI: boolean): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('erspan', 'ERSPAN');
  if (pinfo.columns) {
    pinfo.protocol = 'ERSPAN';
    pinfo.setInfo('ERSPAN:');
  }
  // Type I: GRE without a sequence number carries the mirrored frame right after its header.
  if (typeI) {
    const it = tree.add(parent, proto_erspan, tvb, 0, 0, null);
    if (tree.full) tree.setText(it, 'Encapsulated Remote Switch Packet ANalysis Type I');
    dissectEth(tvb, ctx, parent);
    return tvb.length;
  }
  const w0 = tvb.u16(0);
  const version = w0 >> 12;
  // The item spans the rest of the packet, mirrored frame included (packet-erspan.c adds it with -1).
  const top = tree.add(parent, proto_erspan, tvb, 0, -1, null);
  if (tree.full) tree.setText(top, `Encapsulated Remote Switch Packet ANalysis ${version === 1 ? 'Type II' : version === 2 ? 'Type III' : 'Unknown'}`);
  const vi = tree.add(top, hf_erspan.version, tvb, 0, 2, version);
  if (version !== 1 && version !== 2) {
    addExpert(ctx, vi, tvb, 0, 2, ei_erspan_version_unknown);
    dissectData(tvb.sub(2), ctx, parent);
    return tvb.length;
  }
  tree.add(top, hf_erspan.vlan, tvb, 0, 2, w0 & 0x0fff);
  const w1 = tvb.u16(2);
  tree.add(top, hf_erspan.cos, tvb, 2, 2, w1 >> 13);
  tree.add(top, version === 1 ? hf_erspan.encap : hf_erspan.bso, tvb, 2, 2, (w1 >> 11) & 3);
  tree.add(top, hf_erspan.truncated, tvb, 2, 2, (w1 >> 10) & 1);
  tree.add(top, hf_erspan.spanid, tvb, 2, 2, w1 & 0x03ff);
  if (version === 1) {
    const w = tvb.u32(4);
    tree.add(top, hf_erspan.reserved, tvb, 4, 4, w >>> 20);
    tree.add(top, hf_erspan.index, tvb, 4, 4, w & 0xfffff);
    dissectEth(tvb.sub(8), ctx, parent);
    return tvb.length;
  }
  tree.add(top, hf_erspan.timestamp, tvb, 4, 4, tvb.u32(4));
  tree.add(top, hf_erspan.sgt, tvb, 8, 2, tvb.u16(8));
  const w5 = tvb.u16(10);
  tree.add(top, hf_erspan.p, tvb, 10, 2, w5 >> 15);
  const ft = (w5 >> 10) & 0x1f;
  tree.add(top, hf_erspan.ft, tvb, 10, 2, ft);
  tree.add(top, hf_erspan.hw, tvb, 10, 2, (w5 >> 4) & 0x3f);
  tree.add(top, hf_erspan.direction, tvb, 10, 2, (w5 & 0x08) !== 0);
  tree.add(top, hf_erspan.gra, tvb, 10, 2, (w5 >> 1) & 3);
  tree.add(top, hf_erspan.o, tvb, 10, 2, w5 & 1);
  let off = 12;
  if ((w5 & 1) !== 0) {
    const a = tvb.u32(off), b = tvb.u32(off + 4);
    const platid = a >>> 26;
    tree.add(top, hf_erspan.platid, tvb, off, 4, platid);
    switch (platid) {
      case 1:
        tree.add(top, hf_erspan.pid1_rsvd1, tvb, off, 4, (a >>> 12) & 0x3fff);
        tree.add(top, hf_erspan.pid1_vsmid, tvb, off, 4, a & 0xfff);
        tree.add(top, hf_erspan.pid1_port_index, tvb, off + 4, 4, b);
        break;
      case 3:
        tree.add(top, hf_erspan.pid3_rsvd1, tvb, off, 4, (a >>> 14) & 0xfff);
        tree.add(top, hf_erspan.pid3_port_index, tvb, off, 4, a & 0x3fff);
        tree.add(top, hf_erspan.pid3_timestamp, tvb, off + 4, 4, b);
        break;
      case 4:
        tree.add(top, hf_erspan.pid4_rsvd1, tvb, off, 4, (a >>> 14) & 0xfff);
        tree.add(top, hf_erspan.pid4_rsvd2, tvb, off, 4, a & 0x3fff);
        tree.add(top, hf_erspan.pid4_rsvd3, tvb, off + 4, 4, b);
        break;
      case 5: case 6:
        tree.add(top, hf_erspan.pid5_switchid, tvb, off, 4, (a >>> 16) & 0x3ff);
        tree.add(top, hf_erspan.pid5_port_index, tvb, off, 4, a & 0xffff);
        tree.add(top, hf_erspan.pid5_timestamp, tvb, off + 4, 4, b);
        break;
      case 7:
        tree.add(top, hf_erspan.pid7_rsvd1, tvb, off, 4, (a >>> 20) & 0x3f);
        tree.add(top, hf_erspan.pid7_source_index, tvb, off, 4, a & 0xfffff);
        tree.add(top, hf_erspan.pid7_timestamp, tvb, off + 4, 4, b);
        break;
      default:
        break;
    }
    off += 8;
  }
  // Frame type 0 is an Ethernet frame; anything else is shown as data.
  if (ft === 0) dissectEth(tvb.sub(off), ctx, parent);
  else dissectData(tvb.sub(off), ctx, parent);
  return tvb.length;
}

greProto.add(0x88be, dissectErspan88be);
greProto.add(0x22eb, dissectErspan22eb);
