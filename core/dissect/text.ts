// Text-only tree items (Wireshark's hf_text_only, "Text item", filter name "text"): labels that belong
// to no field, such as TCP's "[Timestamps]" subtree, HTTP's first line and blank line, or the lines of
// "Line-based text data". Filters and -T fields never see them (PDML prints their name as "").

import { defineProtocol } from '../fields/registry.js';
import type { Ctx } from './table.js';
import { ItemFlags, type Item } from './tree.js';
import type { Tvb } from './tvb.js';

export const hf_text = defineProtocol('text', 'Text item', 'Text');

/** Adds a text item covering `len` bytes at `off` with the whole label `text` (proto_tree_add_subtree). */
export function addText(ctx: Ctx, parent: Item, tvb: Tvb, off: number, len: number, text: string, flags = ItemFlags.NONE): Item {
  const { tree } = ctx;
  // In 'fields' mode the item is not kept, but its handle still puts the items added under it in their
  // place in the tree, which -T fields prints in (tree.ts).
  const it = tree.add(parent, hf_text, tvb, off, len, null, flags);
  if (tree.full) tree.setText(it, text);
  return it;
}
