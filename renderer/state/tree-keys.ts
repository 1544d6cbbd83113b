import type { Detail } from '../engine/protocol.js';

/** Stable key of a tree item across packets: its field-name path, so open subtrees stay open. */
export function treeKey(d: Detail, i: number): string {
  const parts: string[] = [];
  for (let k = i; k >= 0; k = d.items[k].parent) parts.push(d.items[k].abbrev);
  return parts.reverse().join('/');
}
