// IEEE 802.1Q VLAN tags (Wireshark's packet-vlan.c) and the 802.1ad S-tag (EtherType 0x88a8), which
// Wireshark 4.0 hands to packet-ieee8021ah.c's "ieee8021ad" dissector rather than to vlan.

import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import { type Ctx, tables } from '../table.js';
import type { Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { dissectEthertype } from './eth.js';
import { ETHERTYPES } from './ethertypes.js';

export const proto_vlan = defineProtocol('vlan', '802.1Q Virtual LAN', 'VLAN');
export const proto_ieee8021ad = defineProtocol('ieee8021ad', 'IEEE 802.1ad', 'IEEE 802.1AD');
export const proto_ieee8021ah = defineProtocol('ieee8021ah', 'IEEE 802.1ah', 'IEEE 802.1AH');

/** 802.1D-2004 priority names: Wireshark's default "priority_tags_8021D_2004" table. */
const PRIORITIES: Readonly<Record<number, string>> = {
  0: 'Best Effort (default)', 1: 'Background', 2: 'Spare', 3: 'Excellent Effort', 4: 'Controlled Load',
  5: 'Video, < 100ms latency and jitter', 6: 'Voice, < 10ms latency and jitter', 7: 'Network Control',
};

export const hf_vlan = defineFields(proto_vlan, {
  priority: { abbrev: 'vlan.priority', name: 'Priority', type: FT.UINT16, base: Base.DEC, strings: PRIORITIES, bitmask: 0xe000 },
  dei: { abbrev: 'vlan.dei', name: 'DEI', type: FT.BOOLEAN, bitWidth: 16, bitmask: 0x1000, tfs: ['Eligible', 'Ineligible'] },
  id: { abbrev: 'vlan.id', name: 'ID', type: FT.UINT16, base: Base.DEC, bitmask: 0x0fff },
  etype: { abbrev: 'vlan.etype', name: 'Type', type: FT.UINT16, base: Base.HEX, strings: ETHERTYPES },
  len: { abbrev: 'vlan.len', name: 'Length', type: FT.UINT16, base: Base.DEC },
  trailer: { abbrev: 'vlan.trailer', name: 'Trailer', type: FT.BYTES },
});

export const hf_ieee8021ad = defineFields(proto_ieee8021ad, {
  priority: { abbrev: 'ieee8021ad.priority', name: 'Priority', type: FT.UINT16, base: Base.DEC, bitmask: 0xe000 },
  dei: { abbrev: 'ieee8021ad.dei', name: 'DEI', type: FT.UINT16, base: Base.DEC, bitmask: 0x1000 },
  id: { abbrev: 'ieee8021ad.id', name: 'ID', type: FT.UINT16, base: Base.DEC, bitmask: 0x0fff },
});
export const hf_ieee8021ah = defineFields(proto_ieee8021ah, {
  etype: { abbrev: 'ieee8021ah.etype', name: 'Type', type: FT.UINT16, base: Base.HEX, strings: ETHERTYPES },
  trailer: { abbrev: 'ieee8021ah.trailer', name: 'Trailer', type: FT.BYTES },
});

export function dissectVlan(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('vlan', 'VLAN');
  const tci = tvb.u16(0);
  const pri = tci >> 13, dei = (tci >> 12) & 1, id = tci & 0x0fff;
  if (pinfo.columns) {
    pinfo.protocol = 'VLAN';
    pinfo.setInfo(`PRI: ${pri}  DEI: ${dei}  ID: ${id}`);
  }
  const top = tree.add(parent, proto_vlan, tvb, 0, 4, null);
  if (tree.full) tree.setText(top, `802.1Q Virtual LAN, PRI: ${pri}, DEI: ${dei}, ID: ${id}`);
  tree.add(top, hf_vlan.priority, tvb, 0, 2, pri);
  tree.add(top, hf_vlan.dei, tvb, 0, 2, dei === 1);
  tree.add(top, hf_vlan.id, tvb, 0, 2, id);
  const type = tvb.u16(2);
  if (type <= 1500) {
    // A length: 802.3 with LLC inside the tag. LLC is not dissected here; its bytes are data.
    tree.add(top, hf_vlan.len, tvb, 2, 2, type);
    return 4 + dissectData(tvb.sub(4, Math.min(type, tvb.remaining(4)), type), ctx, parent);
  }
  // packet-vlan.c and packet-ieee8021ah.c hand dissect_ethertype fcs_len 0: a tag never guesses an FCS.
  return 4 + dissectEthertype(tvb.sub(4), ctx, parent, top, type, hf_vlan.etype, tvb, 2, hf_vlan.trailer, false);
}

/** 802.1ad service tag (packet-ieee8021ah.c, dissect_ieee8021ad), as Wireshark 4.0 shows it. */
export function dissectIeee8021ad(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('ieee8021ad', 'IEEE 802.1AD');
  const tci = tvb.u16(0);
  const id = tci & 0x0fff;
  if (pinfo.columns) {
    pinfo.protocol = 'IEEE 802.1ad';
    pinfo.setInfo(`PRI: ${tci >> 13}  DROP: ${(tci >> 12) & 1} ID: ${id}`);
  }
  const top = tree.add(parent, proto_ieee8021ad, tvb, 0, 4, null);
  if (tree.full) tree.setText(top, `IEEE 802.1ad, ID: ${id}`);
  // Wireshark adds priority and DEI with a length of one byte (their mask lies in the first byte).
  tree.add(top, hf_ieee8021ad.priority, tvb, 0, 1, tci >> 13);
  tree.add(top, hf_ieee8021ad.dei, tvb, 0, 1, (tci >> 12) & 1);
  tree.add(top, hf_ieee8021ad.id, tvb, 0, 2, id);
  const type = tvb.u16(2);
  return 4 + dissectEthertype(tvb.sub(4), ctx, parent, top, type, hf_ieee8021ah.etype, tvb, 2, hf_ieee8021ah.trailer, false);
}

tables.ethertype.add(0x8100, dissectVlan);
tables.ethertype.add(0x88a8, dissectIeee8021ad);
