// Ethernet II (Wireshark's epan/dissectors/packet-eth.c). The exemplar of how a dissector is written:
// the field table first (names, labels, types exactly as Wireshark's), then one function that reads
// through the Tvb, adds items by field with their byte ranges, sets the columns and hands on.

import { Base, FT, type Field, defineFields, defineProtocol } from '../../fields/registry.js';
import { AddrType, addressAt } from '../packet.js';
import { type Ctx, tables } from '../table.js';
import { FieldGroup, ItemFlags, type Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { ETHERTYPES } from './ethertypes.js';
import { LinkType } from '../../capfile/record.js';
import { formatEther } from '../../fields/addr.js';
import { ExpertGroup, ExpertSeverity, type ExpertInfo, addExpert, proto_expert, showException } from '../frame.js';
import { ReportedBoundsError } from '../tvb.js';

export const proto_eth = defineProtocol('eth', 'Ethernet II', 'Ethernet');
export const proto_ethertype = defineProtocol('ethertype', 'EtherType', 'EtherType');

export const hf_eth = defineFields(proto_eth, {
  dst: { abbrev: 'eth.dst', name: 'Destination', type: FT.ETHER },
  dst_lg: { abbrev: 'eth.dst.lg', name: 'LG bit', type: FT.BOOLEAN, bitmask: 0x020000, bitWidth: 24, tfs: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] },
  dst_ig: { abbrev: 'eth.dst.ig', name: 'IG bit', type: FT.BOOLEAN, bitmask: 0x010000, bitWidth: 24, tfs: ['Group address (multicast/broadcast)', 'Individual address (unicast)'] },
  src: { abbrev: 'eth.src', name: 'Source', type: FT.ETHER },
  src_lg: { abbrev: 'eth.src.lg', name: 'LG bit', type: FT.BOOLEAN, bitmask: 0x020000, bitWidth: 24, tfs: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] },
  src_ig: { abbrev: 'eth.src.ig', name: 'IG bit', type: FT.BOOLEAN, bitmask: 0x010000, bitWidth: 24, tfs: ['Group address (multicast/broadcast)', 'Individual address (unicast)'] },
  addr: { abbrev: 'eth.addr', name: 'Address', type: FT.ETHER },
  lg: { abbrev: 'eth.lg', name: 'LG bit', type: FT.BOOLEAN, bitmask: 0x020000, bitWidth: 24, tfs: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] },
  ig: { abbrev: 'eth.ig', name: 'IG bit', type: FT.BOOLEAN, bitmask: 0x010000, bitWidth: 24, tfs: ['Group address (multicast/broadcast)', 'Individual address (unicast)'] },
  len: { abbrev: 'eth.len', name: 'Length', type: FT.UINT16, base: Base.DEC },
  type: { abbrev: 'eth.type', name: 'Type', type: FT.UINT16, base: Base.HEX, strings: ETHERTYPES },
  padding: { abbrev: 'eth.padding', name: 'Padding', type: FT.BYTES },
  trailer: { abbrev: 'eth.trailer', name: 'Trailer', type: FT.BYTES },
  fcs: { abbrev: 'eth.fcs', name: 'Frame check sequence', type: FT.UINT32, base: Base.HEX },
  fcs_status: { abbrev: 'eth.fcs.status', name: 'FCS Status', type: FT.UINT8, base: Base.NONE, strings: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' } },
});

// Expert items (packet-eth.c ei_eth_*), named by their FT_NONE fields as Wireshark registers them.
const hf_eth_ei = defineFields(proto_eth, {
  src_not_group: { abbrev: 'eth.src_not_group', name: 'Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)', type: FT.NONE },
  padding_bad: { abbrev: 'eth.padding_bad', name: 'Padding identification may be inaccurate and impact trailer dissector', type: FT.NONE },
});
const ei_eth_src_not_group: ExpertInfo = { field: hf_eth_ei.src_not_group, severity: ExpertSeverity.WARN, group: ExpertGroup.PROTOCOL };
const ei_eth_padding_bad: ExpertInfo = { field: hf_eth_ei.padding_bad, severity: ExpertSeverity.NOTE, group: ExpertGroup.PROTOCOL };

/** Wireshark's ETH_MIN_LEN without the FCS: shorter frames are padded to this on the wire. */
const ETH_MIN_LEN = 60;

/** What addAddr adds: a pass that records none of it (a filter on other fields) skips it. */
const ADDR_ITEMS = new FieldGroup([proto_expert], [hf_eth.dst, hf_eth.src, hf_eth.addr, hf_eth.dst_lg, hf_eth.src_lg, hf_eth.lg,
  hf_eth.dst_ig, hf_eth.src_ig, hf_eth.ig, hf_eth_ei.src_not_group]);

/** One MAC address with its sub-items, as Wireshark's dissect_eth_addr does it. */
function addAddr(ctx: Ctx, parent: Item, tvb: Tvb, off: number, isDst: boolean): void {
  const { tree } = ctx;
  const mac = tvb.bytesAt(off, 6);
  const it = tree.add(parent, isDst ? hf_eth.dst : hf_eth.src, tvb, off, 6, mac);
  const bits = tvb.u24(off);
  // Wireshark 4.0's order: the visible eth.addr first, then each bit with its hidden duplicate.
  // dissect_eth_common: a multicast source is invalid (IEEE 802.3 3.2.3(b)); the note hangs on eth.src,
  // before its sub-items.
  if (!isDst && (bits & 0x010000) !== 0) addExpert(ctx, it, tvb, off, 6, ei_eth_src_not_group);
  tree.add(it, hf_eth.addr, tvb, off, 6, mac);
  tree.add(it, isDst ? hf_eth.dst_lg : hf_eth.src_lg, tvb, off, 3, (bits & 0x020000) !== 0);
  tree.add(it, hf_eth.lg, tvb, off, 3, (bits & 0x020000) !== 0, ItemFlags.HIDDEN);
  tree.add(it, isDst ? hf_eth.dst_ig : hf_eth.src_ig, tvb, off, 3, (bits & 0x010000) !== 0);
  tree.add(it, hf_eth.ig, tvb, off, 3, (bits & 0x010000) !== 0, ItemFlags.HIDDEN);
}

/**
 * Reported lengths that a layer cut down to what its header says (Wireshark's set_actual_length on
 * the tvb it was given): the ethertype layer reads it back to find the trailer when the layer above
 * failed before returning how much it used. Keyed by the Tvb object, so nested ethertypes do not mix.
 */
const actualLengths = new WeakMap<Tvb, number>();
export function setActualLength(tvb: Tvb, len: number): void {
  actualLengths.set(tvb, len);
}

export function dissectEth(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('eth', 'Ethernet');
  // Both checked before either reused address is overwritten: a frame cut inside its source address
  // leaves the addresses of the layer around it (VXLAN's) as they were.
  tvb.ensure(0, 6);
  tvb.ensure(6, 6);
  const dst = addressAt(tvb, AddrType.ETHER, 0, 6, pinfo.dlDstAt);
  const src = addressAt(tvb, AddrType.ETHER, 6, 6, pinfo.dlSrcAt);
  pinfo.setDl(src, dst);
  if (pinfo.columns) pinfo.protocol = 'ETHERNET';
  const type = tvb.u16(12);
  const top = tree.add(parent, proto_eth, tvb, 0, 14, null);
  // The address items read nothing that could fail once the type was read: a summary pass skips them,
  // and so does a filter pass that reads none of them.
  const items = tree.wantsAny(ADDR_ITEMS);
  if (type <= 1500) {
    // IEEE 802.3: a length, not a type (packet-eth.c, dissect_eth_common). The LLC header and what it
    // carries are not dissected here: the payload is shown as data, bytes past the length as trailer.
    if (tree.full) tree.setText(top, 'IEEE 802.3 Ethernet ');
    if (items) {
      addAddr(ctx, top, tvb, 0, true);
      addAddr(ctx, top, tvb, 6, false);
    }
    tree.add(top, hf_eth.len, tvb, 12, 2, type);
    const payload = tvb.sub(14, Math.min(type, tvb.remaining(14)), type);
    dissectData(payload, ctx, parent);
    addTrailer(ctx, top, tvb.sub(14), payload.length, hf_eth.trailer, tvb);
    return tvb.length;
  }
  if (tree.full) tree.setText(top, `Ethernet II, Src: ${formatEther(src.bytes)}, Dst: ${formatEther(dst.bytes)}`);
  if (items) {
    addAddr(ctx, top, tvb, 0, true);
    addAddr(ctx, top, tvb, 6, false);
  }
  return 14 + dissectEthertype(tvb.sub(14), ctx, parent, top, type, hf_eth.type, tvb, 12);
}

/**
 * Bytes after the payload, as Wireshark's add_ethernet_trailer splits them: padding up to the 60-byte
 * minimum frame (eth.padding, whoever carries the type), then a trailer; a trailer of 4 bytes or more
 * in a frame of 64 bytes or more counted from `owner` is taken as the FCS (pcap files say nothing
 * about the FCS, so Wireshark guesses), shown unverified as Wireshark does by default. Lengths are the
 * reported ones, bytes are read through the Tvb: a trailer the snaplen cut ends the packet with
 * "[Packet size limited during capture: Ethertype truncated]", as it does in Wireshark.
 */
function addTrailer(ctx: Ctx, typeParent: Item, payload: Tvb, used: number, trailerField: Field, owner: Tvb, maybeFcs = true): void {
  // add_dix_trailer: no trailer unless some of it was captured.
  if (payload.length - used <= 0) return;
  const { tree, pinfo } = ctx;
  const restReported = payload.reportedLength - used;
  let captured = payload.length - used;
  let reported = restReported;
  let padding = 0;
  const maybePadded = pinfo.origLen >= ETH_MIN_LEN && pinfo.origLen - restReported < ETH_MIN_LEN;
  if (maybePadded) {
    padding = ETH_MIN_LEN - (pinfo.origLen - restReported);
    // Wireshark's default "padding" preference (Zeros): padding must be all zero bytes, otherwise
    // none is assumed and the whole rest is trailer.
    for (let i = 0; i < padding; i++) {
      if (payload.u8(used + i) !== 0) { padding = 0; break; }
    }
    if (padding > 0) {
      tree.add(typeParent, hf_eth.padding, payload, used, padding, payload.bytesAt(used, padding));
      captured -= padding;
      reported -= padding;
    }
  }
  let hasFcs = false;
  if (maybeFcs && owner.reportedLength >= 64 && reported >= 4) {
    hasFcs = true;
    if (captured < reported) {
      // The FCS lies beyond what was captured (or partly): cut it from the reported length only.
      reported -= 4;
      captured = Math.min(captured, reported);
    } else {
      captured -= 4;
      reported -= 4;
    }
  }
  if (captured > 0 && restReported - padding > 0) {
    const ti = tree.add(typeParent, trailerField, payload, used + padding, captured, payload.bytesAt(used + padding, captured));
    if (maybePadded && padding === 0) {
      addExpert(ctx, ti, payload, used, captured, ei_eth_padding_bad, "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.");
    }
  }
  if (hasFcs) {
    const at = used + padding + Math.max(0, captured);
    const fcs = payload.u32(at);
    tree.add(typeParent, hf_eth.fcs, payload, at, 4, fcs);
    tree.add(typeParent, hf_eth.fcs_status, payload, at, 0, 2, ItemFlags.GENERATED);
  }
}

/**
 * The "ethertype" layer shared by Ethernet, 802.1Q, SLL: adds the type field to `typeParent`, hands
 * the payload on, and reports the payload bytes left over as padding / trailer / FCS (`maybeFcs`:
 * whether the link can carry an FCS at all; a cooked capture cannot).
 */
export function dissectEthertype(payload: Tvb, ctx: Ctx, parent: Item, typeParent: Item, type: number,
  typeField: Field | null, typeTvb: Tvb, typeOff: number, trailerField: Field = hf_eth.trailer, maybeFcs = true): number {
  const { pinfo, tree } = ctx;
  // null: the caller has already shown the type (SLL v2 puts it first in its header).
  if (typeField !== null) tree.add(typeParent, typeField, typeTvb, typeOff, 2, type);
  pinfo.enter('ethertype', 'Ethertype');
  let used = 0;
  // packet-ethertype.c catches what the payload's dissector throws (but a snaplen cut, which ends the
  // packet): the exception is shown, and the trailer still follows, where the payload's layer said
  // its bytes end.
  try {
    const d = tables.ethertype.get(type);
    if (d !== undefined) {
      const r = d(payload, ctx, parent);
      used = typeof r === 'number' ? r : payload.length;
    } else {
      used = dissectData(payload, ctx, parent);
    }
  } catch (e) {
    if (!(e instanceof ReportedBoundsError)) throw e;
    showException(ctx, payload, e);
    used = actualLengths.get(payload) ?? payload.reportedLength;
  }
  // call_dissector restores the caller's protocol: a trailer cut short is the ethertype layer's.
  pinfo.currentProtocol = 'Ethertype';
  if (used > 0) addTrailer(ctx, typeParent, payload, used, trailerField, typeTvb, maybeFcs);
  return payload.length;
}

tables.linkType.add(LinkType.ETHERNET, dissectEth);
