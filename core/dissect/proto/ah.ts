// IPsec AH over IPv4 (RFC 4302; Wireshark 4.0's packet-ipsec.c dissect_ah): next header, length in
// 32-bit words minus 2, reserved bytes, SPI, sequence number and the ICV, then the next protocol by
// the "ip.proto" table. IPv6 reads AH as one of its extension headers (ipv6.ts), with the same fields.

import { type Ctx, tables } from '../table.js';
import type { Item } from '../tree.js';
import type { Tvb } from '../tvb.js';
import { dissectData } from '../data.js';
import { hf_ah, proto_ah } from './ipv6.js';

export function dissectAh(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const { pinfo, tree } = ctx;
  pinfo.enter('ah', 'AH');
  const next = tvb.u8(0), lenWords = tvb.u8(1);
  const len = (lenWords + 2) * 4;
  const spi = tvb.u32(4);
  if (pinfo.columns) {
    pinfo.protocol = 'AH';
    pinfo.setInfo(`AH (SPI=0x${spi.toString(16).padStart(8, '0')})`);
  }
  // proto_item_set_len clamps the item to the captured bytes.
  const it = tree.add(parent, proto_ah, tvb, 0, Math.min(len, tvb.length), null);
  tree.add(it, hf_ah.next_header, tvb, 0, 1, next);
  const l = tree.add(it, hf_ah.length, tvb, 1, 1, lenWords);
  if (tree.full) tree.appendText(l, ` (${len} bytes)`);
  tree.add(it, hf_ah.reserved, tvb, 2, 2, tvb.bytesAt(2, 2));
  tree.add(it, hf_ah.spi, tvb, 4, 4, spi);
  tree.add(it, hf_ah.sequence, tvb, 8, 4, tvb.u32(8));
  if (len > 12) tree.add(it, hf_ah.icv, tvb, 12, len - 12, tvb.bytesAt(12, len - 12));
  const payload = tvb.sub(len);
  if (!tables.ipProto.tryDissect(next, payload, ctx, parent)) dissectData(payload, ctx, parent);
  return tvb.length;
}

tables.ipProto.add(51, dissectAh);
