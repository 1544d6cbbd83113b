// "data": bytes no dissector claimed (Wireshark's packet-data.c). Shows them and their length.

import { Base, FT, defineFields, defineProtocol } from '../fields/registry.js';
import type { Ctx } from './table.js';
import { ItemFlags, type Item } from './tree.js';
import type { Tvb } from './tvb.js';

export const proto_data = defineProtocol('data', 'Data', 'Data');
export const hf_data = defineFields(proto_data, {
  data: { abbrev: 'data.data', name: 'Data', type: FT.BYTES, base: Base.NONE },
  len: { abbrev: 'data.len', name: 'Length', type: FT.INT32, base: Base.DEC },
});

export function dissectData(tvb: Tvb, ctx: Ctx, parent: Item): number {
  const n = tvb.length;
  if (n === 0 && tvb.reportedLength === 0) return 0;
  ctx.pinfo.enter('data', 'Data');
  const { tree } = ctx;
  const it = tree.add(parent, proto_data, tvb, 0, n, null);
  if (tree.full) tree.setText(it, `Data (${n} byte${n === 1 ? '' : 's'})`);
  // The view is made only for a tree that keeps it (n is the captured length: it cannot fail).
  tree.add(it, hf_data.data, tvb, 0, n, tree.wants(hf_data.data) ? tvb.bytesAt(0, n) : null);
  tree.add(it, hf_data.len, tvb, 0, 0, n, ItemFlags.GENERATED);
  return n;
}
