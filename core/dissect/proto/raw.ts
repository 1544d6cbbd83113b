// Raw IP link layers: LINKTYPE_RAW (101), IPv4 or IPv6 told apart by the version nibble (Wireshark's
// packet-raw.c, which shows a "Raw packet data" item first), and LINKTYPE_IPV4 (228) / IPV6 (229),
// which Wireshark hands straight to ip / ipv6 with no item of their own.

import { defineProtocol } from '../../fields/registry.js';
import { LinkType } from '../../capfile/record.js';
import { type Ctx, type Dissector, tables } from '../table.js';
import type { Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';

export const proto_raw = defineProtocol('raw', 'Raw packet data', 'Raw');

function byEthertype(type: number, tvb: Tvb, ctx: Ctx, parent: Item): number {
  const d: Dissector | undefined = tables.ethertype.get(type);
  if (d === undefined) return dissectData(tvb, ctx, parent);
  d(tvb, ctx, parent);
  return tvb.length;
}

export function dissectRaw(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('raw', 'Raw');
  if (pinfo.columns) {
    pinfo.protocol = 'Raw';
    pinfo.setInfo('Raw packet data');
  }
  tree.add(parent, proto_raw, tvb, 0, -1, null);
  const version = tvb.u8(0) >> 4;
  if (version === 4) return byEthertype(0x0800, tvb, ctx, parent);
  if (version === 6) return byEthertype(0x86dd, tvb, ctx, parent);
  return dissectData(tvb, ctx, parent);
}

tables.linkType.add(LinkType.RAW, dissectRaw);
// Wireshark's "ip" handle (dissect_ip) switches on the version nibble: an IPv6 packet in a raw IPv4
// link goes to ipv6, with "ip" in frame.protocols but no IPv4 item.
tables.linkType.add(LinkType.IPV4, (tvb, ctx, parent) => {
  if (tvb.length > 0 && tvb.u8(0) >> 4 === 6) {
    ctx.pinfo.enter('ip', 'IPv4');
    return byEthertype(0x86dd, tvb, ctx, parent);
  }
  return byEthertype(0x0800, tvb, ctx, parent);
});
tables.linkType.add(LinkType.IPV6, (tvb, ctx, parent) => byEthertype(0x86dd, tvb, ctx, parent));
