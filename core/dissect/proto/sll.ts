// Linux "cooked" captures, the pseudo link layer of the `any` device (Wireshark's packet-sll.c):
// LINKTYPE_LINUX_SLL (113, v1, 16-byte header) and LINKTYPE_LINUX_SLL2 (276, v2, 20-byte header with
// the interface index). https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and _SLL2.html

import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import { LinkType } from '../../capfile/record.js';
import { AddrType } from '../packet.js';
import { type Ctx, tables } from '../table.js';
import type { Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { dissectEthertype } from './eth.js';
import { ETHERTYPES } from './ethertypes.js';

export const proto_sll = defineProtocol('sll', 'Linux cooked-mode capture', 'SLL');

const PACKET_TYPES: Readonly<Record<number, string>> = {
  0: 'Unicast to us', 1: 'Broadcast', 2: 'Multicast', 3: 'Unicast to another host', 4: 'Sent by us',
};
/** ARPHRD_* values a Linux capture meets (Wireshark's arp_hrd_vals, abridged). */
const HATYPES: Readonly<Record<number, string>> = {
  1: 'Ethernet', 6: 'IEEE 802', 24: 'IEEE 1394.1995', 32: 'InfiniBand', 512: 'PPP', 513: 'Cisco HDLC',
  519: 'Raw IP', 768: 'IPIP tunnel', 769: 'IP6IP6 tunnel', 772: 'Loopback', 776: 'sit0 device - IPv6-in-IPv4',
  778: 'GRE over IP', 801: 'IEEE 802.11', 803: 'IEEE 802.11 + radiotap header', 823: 'GRE over IPv6',
  824: 'Netlink', 825: 'IPv6 over LoWPAN', 65534: 'None', 65535: 'Void',
};
/** Linux's non-EtherType protocol numbers (ETH_P_802_3 and friends), Wireshark's ltype_vals. */
const LTYPES: Readonly<Record<number, string>> = {
  0x1: 'Raw 802.3', 0x3: 'Ethernet', 0x4: '802.2 LLC', 0x7: 'PPP (HDLC)', 0xc: 'CAN', 0xd: 'CAN FD',
  0x17: 'IrDA LAP', 0xf5: 'ISI', 0xf6: 'IEEE 802.15.4',
};

export const hf_sll = defineFields(proto_sll, {
  pkttype: { abbrev: 'sll.pkttype', name: 'Packet type', type: FT.UINT16, base: Base.DEC, strings: PACKET_TYPES },
  hatype: { abbrev: 'sll.hatype', name: 'Link-layer address type', type: FT.UINT16, base: Base.DEC, strings: HATYPES },
  halen: { abbrev: 'sll.halen', name: 'Link-layer address length', type: FT.UINT16, base: Base.DEC },
  src_eth: { abbrev: 'sll.src.eth', name: 'Source', type: FT.ETHER },
  src_ipv4: { abbrev: 'sll.src.ipv4', name: 'Source', type: FT.IPv4 },
  src_other: { abbrev: 'sll.src.other', name: 'Source', type: FT.BYTES },
  unused: { abbrev: 'sll.unused', name: 'Unused', type: FT.BYTES },
  ltype: { abbrev: 'sll.ltype', name: 'Protocol', type: FT.UINT16, base: Base.HEX, strings: LTYPES },
  etype: { abbrev: 'sll.etype', name: 'Protocol', type: FT.UINT16, base: Base.HEX, strings: ETHERTYPES },
  gretype: { abbrev: 'sll.gretype', name: 'Protocol', type: FT.UINT16, base: Base.HEX, strings: ETHERTYPES },
  trailer: { abbrev: 'sll.trailer', name: 'Trailer', type: FT.BYTES },
  ifindex: { abbrev: 'sll.ifindex', name: 'Interface index', type: FT.UINT32, base: Base.DEC },
});

const ARPHRD_ETHER = 1, ARPHRD_LOOPBACK = 772, ARPHRD_IPGRE = 778, ARPHRD_NETLINK = 824;

/**
 * The shared tail of v1 and v2: the link-layer address (Ethernet-like types as sll.src.eth, GRE
 * tunnels as sll.src.ipv4, others as bytes, then the unused rest of the 8-byte field) and the source
 * address column, which is all a cooked header knows.
 */
function addAddress(ctx: Ctx, top: Item, tvb: Tvb, off: number, hatype: number, halen: number): void {
  const { tree, pinfo } = ctx;
  const n = Math.min(halen, 8);
  if ((hatype === ARPHRD_ETHER || hatype === ARPHRD_LOOPBACK) && halen === 6) {
    const mac = tvb.bytesAt(off, 6);
    tree.add(top, hf_sll.src_eth, tvb, off, 6, mac);
    pinfo.setDl({ type: AddrType.ETHER, bytes: mac }, pinfo.dlDst);
  } else if (hatype === ARPHRD_IPGRE && halen === 4) {
    tree.add(top, hf_sll.src_ipv4, tvb, off, 4, tvb.u32(off));
    pinfo.setDl({ type: AddrType.IPv4, bytes: tvb.bytesAt(off, 4) }, pinfo.dlDst);
  } else if (n > 0) {
    tree.add(top, hf_sll.src_other, tvb, off, n, tvb.bytesAt(off, n));
  }
  if (n < 8) tree.add(top, hf_sll.unused, tvb, off + n, 8 - n, tvb.bytesAt(off + n, 8 - n));
}

/** What follows the header, by protocol number: an EtherType, or one of Linux's own numbers. */
function dissectPayload(ctx: Ctx, parent: Item, top: Item, tvb: Tvb, hdrLen: number, protoOff: number, hatype: number): number {
  const proto = tvb.u16(protoOff);
  const payload = tvb.sub(hdrLen);
  if (hatype === ARPHRD_NETLINK || proto <= 1536) {
    // Linux protocol numbers below the EtherType range (802.2, raw 802.3, CAN...): not dissected here.
    ctx.tree.add(top, hf_sll.ltype, tvb, protoOff, 2, proto);
    return hdrLen + dissectData(payload, ctx, parent);
  }
  if (hatype === ARPHRD_IPGRE) {
    // packet-sll.c: a GRE tunnel device's protocol goes through the GRE protocol-type table (no
    // "ethertype" layer, no trailer); its values are EtherTypes.
    ctx.tree.add(top, hf_sll.gretype, tvb, protoOff, 2, proto);
    const d = tables.ethertype.get(proto);
    if (d === undefined) return hdrLen + dissectData(payload, ctx, parent);
    d(payload, ctx, parent);
    return tvb.length;
  }
  return hdrLen + dissectEthertype(payload, ctx, parent, top, proto, hf_sll.etype, tvb, protoOff, hf_sll.trailer, false);
}

export function dissectSll(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('sll', 'SLL');
  if (pinfo.columns) pinfo.protocol = 'SLL';
  const pkttype = tvb.u16(0), hatype = tvb.u16(2), halen = tvb.u16(4);
  const top = tree.add(parent, proto_sll, tvb, 0, 16, null);
  if (tree.full) tree.setText(top, 'Linux cooked capture v1');
  tree.add(top, hf_sll.pkttype, tvb, 0, 2, pkttype);
  tree.add(top, hf_sll.hatype, tvb, 2, 2, hatype);
  tree.add(top, hf_sll.halen, tvb, 4, 2, halen);
  addAddress(ctx, top, tvb, 6, hatype, halen);
  return dissectPayload(ctx, parent, top, tvb, 16, 14, hatype);
}

export function dissectSll2(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('sll', 'SLL');
  if (pinfo.columns) pinfo.protocol = 'SLL';
  const hatype = tvb.u16(8), pkttype = tvb.u8(10), halen = tvb.u8(11);
  const top = tree.add(parent, proto_sll, tvb, 0, 20, null);
  if (tree.full) tree.setText(top, 'Linux cooked capture v2');
  // v2 puts the protocol first; Wireshark still lists it first and adds no item for the reserved bytes.
  const proto = tvb.u16(0);
  const isEther = !(hatype === ARPHRD_NETLINK || proto <= 1536);
  tree.add(top, isEther ? hf_sll.etype : hf_sll.ltype, tvb, 0, 2, proto);
  tree.add(top, hf_sll.ifindex, tvb, 4, 4, tvb.u32(4));
  tree.add(top, hf_sll.hatype, tvb, 8, 2, hatype);
  tree.add(top, hf_sll.pkttype, tvb, 10, 1, pkttype);
  tree.add(top, hf_sll.halen, tvb, 11, 1, halen);
  addAddress(ctx, top, tvb, 12, hatype, halen);
  if (!isEther) return 20 + dissectData(tvb.sub(20), ctx, parent);
  return 20 + dissectEthertype(tvb.sub(20), ctx, parent, top, proto, null, tvb, 0, hf_sll.trailer, false);
}

tables.linkType.add(LinkType.LINUX_SLL, dissectSll);
tables.linkType.add(LinkType.LINUX_SLL2, dissectSll2);
