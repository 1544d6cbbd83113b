// Ethernet II (Wireshark's epan/dissectors/packet-eth.c). The exemplar of how a dissector is written:
// the field table first (names, labels, types exactly as Wireshark's), then one function that reads
// through the Tvb, adds items by field with their byte ranges, sets the columns and hands on.

import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import { AddrType } from '../packet.js';
import { type Ctx, tables } from '../table.js';
import { ItemFlags, type Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { ETHERTYPES } from './ethertypes.js';
import { LinkType } from '../../capfile/record.js';
import { formatEther } from '../../fields/addr.js';

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
  type: { abbrev: 'eth.type', name: 'Type', type: FT.UINT16, base: Base.HEX, strings: ETHERTYPES },
  padding: { abbrev: 'eth.padding', name: 'Padding', type: FT.BYTES },
  trailer: { abbrev: 'eth.trailer', name: 'Trailer', type: FT.BYTES },
});

/** One MAC address with its sub-items, as Wireshark's dissect_eth_addr does it. */
function addAddr(ctx: Ctx, parent: Item, tvb: Tvb, off: number, isDst: boolean): void {
  const { tree } = ctx;
  const mac = tvb.bytesAt(off, 6);
  const it = tree.add(parent, isDst ? hf_eth.dst : hf_eth.src, tvb, off, 6, mac);
  if (tree.full) tree.setValueText(it, `${formatEther(mac)} (${formatEther(mac)})`);
  const bits = tvb.u24(off);
  tree.add(it, isDst ? hf_eth.dst_lg : hf_eth.src_lg, tvb, off, 3, (bits & 0x020000) !== 0);
  tree.add(it, isDst ? hf_eth.dst_ig : hf_eth.src_ig, tvb, off, 3, (bits & 0x010000) !== 0);
  const hid = tree.add(it, hf_eth.addr, tvb, off, 6, mac, ItemFlags.HIDDEN);
  void hid;
  tree.add(it, hf_eth.lg, tvb, off, 3, (bits & 0x020000) !== 0, ItemFlags.HIDDEN);
  tree.add(it, hf_eth.ig, tvb, off, 3, (bits & 0x010000) !== 0, ItemFlags.HIDDEN);
}

export function dissectEth(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('eth', 'Ethernet');
  const dst = tvb.bytesAt(0, 6);
  const src = tvb.bytesAt(6, 6);
  pinfo.setDl({ type: AddrType.ETHER, bytes: src }, { type: AddrType.ETHER, bytes: dst });
  if (pinfo.columns) pinfo.protocol = 'ETHERNET';
  const top = tree.add(parent, proto_eth, tvb, 0, 14, null);
  if (tree.full) tree.setText(top, `Ethernet II, Src: ${formatEther(src)} (${formatEther(src)}), Dst: ${formatEther(dst)} (${formatEther(dst)})`);
  addAddr(ctx, top, tvb, 0, true);
  addAddr(ctx, top, tvb, 6, false);
  const type = tvb.u16(12);
  return 14 + dissectEthertype(tvb.sub(14), ctx, parent, top, type, hf_eth.type, tvb, 12);
}

/**
 * The "ethertype" layer shared by Ethernet, 802.1Q, SLL: adds the type field to `typeParent`, hands
 * the payload on, and reports the payload bytes left over as a trailer (Ethernet padding).
 */
export function dissectEthertype(payload: Tvb, ctx: Ctx, parent: Item, typeParent: Item, type: number,
  typeField: typeof hf_eth.type, typeTvb: Tvb, typeOff: number): number {
  const { pinfo, tree } = ctx;
  tree.add(typeParent, typeField, typeTvb, typeOff, 2, type);
  pinfo.enter('ethertype', 'EtherType');
  let used = 0;
  const d = tables.ethertype.get(type);
  if (d !== undefined) {
    const r = d(payload, ctx, parent);
    used = typeof r === 'number' ? r : payload.length;
  } else {
    used = dissectData(payload, ctx, parent);
  }
  const rest = payload.length - used;
  if (rest > 0 && used > 0) {
    const trailer = payload.bytesAt(used, rest);
    const allZero = trailer.every((b) => b === 0);
    tree.add(typeParent, allZero ? hf_eth.padding : hf_eth.trailer, payload, used, rest, trailer);
  }
  return payload.length;
}

tables.linkType.add(LinkType.ETHERNET, dissectEth);
