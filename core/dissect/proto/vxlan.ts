// VXLAN over UDP port 4789 (RFC 7348, with the Group Based Policy extension of
// draft-smith-vxlan-group-policy as Wireshark 4.0's packet-vxlan.c reads it): a 16-bit flags word
// (G, I, D, A bits), the group policy ID, the 24-bit VNI, a reserved byte, then an Ethernet frame.
// Dissected so the TCP conversations inside the tunnel get their stream numbers, as in tshark.

import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import { type Ctx, tables } from '../table.js';
import type { Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectEth } from './eth.js';

export const proto_vxlan = defineProtocol('vxlan', 'Virtual eXtensible Local Area Network', 'VXLAN');

export const hf_vxlan = defineFields(proto_vxlan, {
  flags: { abbrev: 'vxlan.flags', name: 'Flags', type: FT.UINT16, base: Base.HEX },
  flags_reserved: { abbrev: 'vxlan.flags_reserved', name: 'Reserved(R)', type: FT.UINT16, base: Base.HEX, bitmask: 0x77b7 },
  flag_g: { abbrev: 'vxlan.flag_g', name: 'GBP Extension', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x8000, tfs: ['Defined', 'Not defined'] },
  flag_i: { abbrev: 'vxlan.flag_i', name: 'VXLAN Network ID (VNI)', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0800 },
  flag_d: { abbrev: 'vxlan.flag_d', name: "Don't Learn", type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0040 },
  flag_a: { abbrev: 'vxlan.flag_a', name: 'Policy Applied', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x0008 },
  gbp: { abbrev: 'vxlan.gbp', name: 'Group Policy ID', type: FT.UINT16, base: Base.DEC },
  vni: { abbrev: 'vxlan.vni', name: 'VXLAN Network Identifier (VNI)', type: FT.UINT24, base: Base.DEC },
  reserved8: { abbrev: 'vxlan.reserved8', name: 'Reserved', type: FT.UINT8, base: Base.DEC },
});

/** The boolean flags in tree order, with their names for the flags item's summary. */
const FLAG_BITS = [
  [hf_vxlan.flag_g, 0x8000], [hf_vxlan.flag_i, 0x0800], [hf_vxlan.flag_d, 0x0040], [hf_vxlan.flag_a, 0x0008],
] as const;

export function dissectVxlan(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('vxlan', 'VXLAN');
  // packet-vxlan.c sets "VxLAN" (not the protocol's short name) and clears Info; Ethernet overwrites both.
  if (pinfo.columns) {
    pinfo.protocol = 'VxLAN';
    pinfo.clearInfo();
  }
  const top = tree.add(parent, proto_vxlan, tvb, 0, 8, null);
  const flags = tvb.u16(0);
  const fl = tree.add(top, hf_vxlan.flags, tvb, 0, 2, flags);
  // proto_tree_add_bitmask (BMT_NO_INT|BMT_NO_TFS): the names of the set bits follow the value.
  for (const [f, bit] of FLAG_BITS) {
    tree.add(fl, f, tvb, 0, 2, (flags & bit) !== 0);
    if (tree.full && (flags & bit) !== 0) tree.appendText(fl, `, ${f.name}`);
  }
  tree.add(fl, hf_vxlan.flags_reserved, tvb, 0, 2, flags & 0x77b7);
  // Wireshark 4.0 shows the GBP word whether or not the G bit is set.
  tree.add(top, hf_vxlan.gbp, tvb, 2, 2, tvb.u16(2));
  tree.add(top, hf_vxlan.vni, tvb, 4, 3, tvb.u24(4));
  tree.add(top, hf_vxlan.reserved8, tvb, 7, 1, tvb.u8(7));
  // call_dissector(eth_withoutfcs): the inner frame is the rest of the UDP payload.
  dissectEth(tvb.sub(8), ctx, parent);
  return tvb.length;
}

tables.udpPort.add(4789, dissectVxlan);
