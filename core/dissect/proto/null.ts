// BSD loopback link layers (Wireshark's packet-null.c): LINKTYPE_NULL (0), a 4-byte address family in
// the capturing host's byte order (macOS lo0), and LINKTYPE_LOOP (108), the same in network order
// (OpenBSD). AF_INET6 differs between BSDs (24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS): all are IPv6.

import { Base, FT, defineFields, defineProtocol } from '../../fields/registry.js';
import { LinkType } from '../../capfile/record.js';
import { type Ctx, tables } from '../table.js';
import type { Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';

export const proto_null = defineProtocol('null', 'Null/Loopback', 'Null');

const FAMILIES: Readonly<Record<number, string>> = {
  2: 'IP', 7: 'OSI', 16: 'Appletalk', 23: 'Netware IPX/SPX', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6',
};

export const hf_null = defineFields(proto_null, {
  family: { abbrev: 'null.family', name: 'Family', type: FT.UINT32, base: Base.DEC, strings: FAMILIES },
});

const BSD_AF_INET = 2;
const IPV6_FAMILIES = new Set([24, 28, 30]);

function dissect(tvb: Tvb, ctx: Ctx, parent: Item, family: number): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('null', 'Null');
  if (pinfo.columns) pinfo.protocol = 'N/A';
  const top = tree.add(parent, proto_null, tvb, 0, 4, null);
  tree.add(top, hf_null.family, tvb, 0, 4, family);
  const payload = tvb.sub(4);
  // packet-null.c hands AF_INET to "ip" and the three AF_INET6 values to "ipv6" through its own table.
  const key = family === BSD_AF_INET ? 0x0800 : IPV6_FAMILIES.has(family) ? 0x86dd : -1;
  const d = key >= 0 ? tables.ethertype.get(key) : undefined;
  if (d === undefined) return 4 + dissectData(payload, ctx, parent);
  d(payload, ctx, parent);
  return tvb.length;
}

/**
 * LINKTYPE_NULL: the family is in the capturing host's byte order, which the file does not record.
 * Wireshark's rule: a value with its low 16 bits zero was written big-endian (families are small).
 */
export function dissectNull(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const le = tvb.u32le(0);
  return dissect(tvb, ctx, parent, (le & 0xffff) === 0 ? tvb.u32(0) : le);
}

export function dissectLoop(tvb: Tvb, ctx: Ctx, parent: Item): number {
  return dissect(tvb, ctx, parent, tvb.u32(0));
}

tables.linkType.add(LinkType.NULL, dissectNull);
tables.linkType.add(LinkType.LOOP, dissectLoop);
