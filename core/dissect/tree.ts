// The protocol tree of one packet (Wireshark's proto_tree), stored as parallel arrays that are reused
// from packet to packet: no object per item. Three modes:
//   'none'   summary only: add() does nothing and returns NO_ITEM (fast path for packet lists);
//   'fields' only "interesting" fields are recorded (filters, -T fields); their parent is the nearest
//            recorded ancestor, and a skeleton of every add() (ints only) keeps their place in the tree
//            for -T fields; a pass that only filters asks for no skeleton (reset's `ordered` false): a
//            filter reads occurrences in any order, and the skeleton was ~1 us of a 6 us packet;
//   'full'   every item with its parent, byte range and text (the detail pane, -V).
// Items are numbered in the order they were added, which is what display filters see (Wireshark's
// interesting-field arrays are in addition order too). tshark's -T fields prints in tree order instead
// (print.c walks proto_tree_children_foreach depth-first), and the two differ when a dissector adds to
// an earlier subtree after a later layer ran (the Ethernet trailer's expert item after ARP, TCP's items
// after HTTP): treeOrder() gives that order.
// Labels are not formatted here: format.ts builds them from the field registry when they are shown.

import { type Field, type FieldValue, allFields, fieldCount } from '../fields/registry.js';
import type { DataSource, Tvb } from './tvb.js';

export type TreeMode = 'none' | 'fields' | 'full';

/**
 * An item handle: its index (>= 0) when it was recorded; NO_ITEM when the tree is off; in 'fields'
 * mode, an item that was not wanted gets a handle below -1 that still places its children in the tree.
 * Every setter ignores handles below 0, so a dissector never needs to tell them apart.
 */
export type Item = number;
export const NO_ITEM: Item = -1;
/** Parent of top-level items. */
export const ROOT: Item = -1;

export enum ItemFlags {
  NONE = 0,
  /** Computed by the dissector, not read from the bytes: shown in [brackets]. */
  GENERATED = 1,
  /** Filterable but not shown (Wireshark's PROTO_ITEM_SET_HIDDEN). */
  HIDDEN = 2,
  /** An expert/malformed marker. */
  EXPERT = 4,
}

/**
 * A set of fields a dissector adds together (a subtree, a layer's items), for ProtoTree.wantsAny: the
 * fields themselves and every field of the given protocols (fields registered later included). The
 * answer is kept for the last interest array asked about, so asking costs a compare per packet.
 */
export class FieldGroup {
  private ids: Uint8Array | null = null;
  /** The interest array `any` was worked out for. */
  checked: Uint8Array | null = null;
  any = false;
  constructor(private readonly protocols: readonly Field[], private readonly fields: readonly Field[] = []) {}

  wantedIn(interest: Uint8Array): boolean {
    // Made on first use: by then every dissector module has registered its fields.
    if (this.ids === null || this.ids.length < fieldCount()) {
      const ids = new Uint8Array(fieldCount());
      const protos = new Set(this.protocols.map((p) => p.id));
      for (const f of allFields()) if (protos.has(f.id) || protos.has(f.protocol)) ids[f.id] = 1;
      for (const f of this.fields) ids[f.id] = 1;
      this.ids = ids;
    }
    const ids = this.ids;
    for (let i = 0; i < ids.length && i < interest.length; i++) if (ids[i] === 1 && interest[i] === 1) return true;
    return false;
  }
}

export class ProtoTree {
  mode: TreeMode = 'none';
  /** In 'fields' mode: 1 at the ids of the fields to record. */
  interest: Uint8Array | null = null;
  /**
   * 'fields' mode without the skeleton: an unrecorded item's handle is -3 - (its nearest recorded
   * ancestor), or ROOT, so its children still get their parent; treeOrder() is then addition order.
   */
  private flat = false;

  /** Number of items in this packet. */
  count = 0;
  field = new Int32Array(256);
  parent = new Int32Array(256);
  source = new Int32Array(256);
  start = new Int32Array(256);
  length = new Int32Array(256);
  flags = new Uint8Array(256);
  value: FieldValue[] = [];
  /** Full label override (Wireshark's proto_tree_add_*_format). */
  text: (string | undefined)[] = [];
  /** Value-part override: label becomes "Name: <valueText>" (…_format_value). */
  valueText: (string | undefined)[] = [];
  /** Text appended to the label (proto_item_append_text). */
  suffix: (string | undefined)[] = [];
  /** The packet's data sources; byte ranges point into these. */
  sources: DataSource[] = [];

  // The skeleton: one node per add() in 'fields' and 'full' mode, recorded or not. Node n of an
  // unrecorded item is handed out as the handle -2 - n.
  private nodeCount = 0;
  private nodeParent = new Int32Array(256);
  /** The recorded item of a node, or -1; for an unrecorded node, see nodeReal. */
  private nodeItem = new Int32Array(256);
  /** The nearest recorded item at or above a node (ROOT if none): what its children get as parent. */
  private nodeReal = new Int32Array(256);
  private nodeDepth = new Int32Array(256);
  private itemNode = new Int32Array(256);
  /** path[d]: the last node added at depth d (top-level items are at depth 1, path[0] is the root). */
  private path = new Int32Array(64).fill(-1);
  private lastDepth = 0;
  /** Set when an item went under a subtree that is no longer the last one: tree order != item order. */
  private reordered = false;
  // treeOrder()'s buffers, reused from packet to packet.
  private order = new Int32Array(256);
  private first = new Int32Array(0);
  private next = new Int32Array(0);
  private stack = new Int32Array(0);

  /**
   * `ordered` false: a 'fields' pass whose items are read in no particular order (filters), no skeleton.
   * `first` becomes the packet's data source 0 (the engine's frame) when given.
   */
  reset(mode: TreeMode, interest: Uint8Array | null = null, ordered = true, first?: DataSource): void {
    this.mode = mode;
    this.interest = interest;
    this.flat = mode === 'fields' && !ordered;
    this.count = 0;
    this.nodeCount = 0;
    this.lastDepth = 0;
    this.reordered = false;
    // Emptying the array (length = 0) dropped its storage, and the frame's push grew it again on every
    // packet: with `first`, the array is only cut back to one.
    if (first === undefined) this.sources.length = 0;
    else {
      if (this.sources.length !== 1) this.sources.length = 1;
      this.sources[0] = first;
    }
    // Setting .length is not free (2% of a summary pass); on 'none' passes these stay empty. A flat
    // pass overwrites values item by item and reads none at or past `count`: they are left as they are.
    if (this.value.length !== 0 && !this.flat) this.value.length = 0;
    if (this.text.length !== 0) this.text.length = 0;
    if (this.valueText.length !== 0) this.valueText.length = 0;
    if (this.suffix.length !== 0) this.suffix.length = 0;
  }

  /** True when add(field) would record something; use it to skip costly value formatting. */
  wants(field: Field): boolean {
    return this.mode === 'full' || (this.mode === 'fields' && this.interest !== null && this.interest[field.id] === 1);
  }

  /**
   * True when add() would record an item of one of the group's fields: a dissector asks before it
   * computes values for a subtree (addresses, options) that a filter pass may not read at all.
   */
  wantsAny(group: FieldGroup): boolean {
    if (this.mode !== 'fields') return this.mode === 'full';
    const interest = this.interest;
    if (interest === null) return false;
    if (group.checked !== interest) {
      group.checked = interest;
      group.any = group.wantedIn(interest);
    }
    return group.any;
  }

  /** True when a full tree is being built (labels, subtrees and text matter). */
  get full(): boolean {
    return this.mode === 'full';
  }

  addSource(name: string, bytes: Uint8Array): number {
    return this.sources.push({ name, bytes }) - 1;
  }
  /** Adds a data source object as it is (the engine's reused frame source on fast passes). */
  addSourceObject(src: DataSource): number {
    return this.sources.push(src) - 1;
  }

  /**
   * Adds an item for `field` covering `len` bytes at `off` of `tvb`, under `parent`.
   * `value` is the field's value (null for FT_NONE / PROTOCOL).
   */
  add(parent: Item, field: Field, tvb: Tvb, off: number, len: number, value: FieldValue, flags = ItemFlags.NONE): Item {
    // Small enough to be inlined into the dissectors: most adds of a filter pass end here.
    if (this.mode === 'none') return NO_ITEM;
    if (this.flat) {
      if (this.interest === null || this.interest[field.id] !== 1) return parent >= 0 ? -3 - parent : parent;
      return this.record(parent >= ROOT ? parent : -3 - parent, field, tvb, off, len, value, flags);
    }
    return this.addNode(parent, field, tvb, off, len, value, flags);
  }

  /** add() with the skeleton ('fields' for -T fields, and 'full'). */
  private addNode(parent: Item, field: Field, tvb: Tvb, off: number, len: number, value: FieldValue, flags: ItemFlags): Item {
    let pn: number, pItem: Item;
    if (parent >= 0) { pn = this.itemNode[parent]; pItem = parent; }
    else if (parent === ROOT) { pn = -1; pItem = ROOT; }
    else { pn = -2 - parent; pItem = this.nodeReal[pn]; }
    const n = this.nodeCount++;
    if (n >= this.nodeParent.length) this.growNodes();
    const d = pn < 0 ? 1 : this.nodeDepth[pn] + 1;
    // Added in tree order as long as every parent is on the path to the last item added; the one check
    // that keeps treeOrder() free on most packets.
    if (!this.reordered) {
      if (d - 1 > this.lastDepth || this.path[d - 1] !== pn) this.reordered = true;
      else {
        if (d >= this.path.length) this.growPath();
        this.path[d] = n;
        this.lastDepth = d;
      }
    }
    this.nodeParent[n] = pn;
    this.nodeDepth[n] = d;
    if (this.mode === 'fields' && (this.interest === null || this.interest[field.id] !== 1)) {
      this.nodeItem[n] = -1;
      this.nodeReal[n] = pItem;
      return -2 - n;
    }
    const i = this.record(pItem, field, tvb, off, len, value, flags);
    this.nodeItem[n] = i;
    this.nodeReal[n] = i;
    this.itemNode[i] = n;
    return i;
  }

  private record(pItem: Item, field: Field, tvb: Tvb, off: number, len: number, value: FieldValue, flags: ItemFlags): Item {
    const i = this.count++;
    if (i >= this.field.length) this.grow();
    this.field[i] = field.id;
    this.parent[i] = pItem;
    this.source[i] = tvb.source;
    this.start[i] = tvb.base + off;
    this.length[i] = len < 0 ? Math.max(0, tvb.length - off) : len;
    this.flags[i] = flags;
    this.value[i] = value;
    // A flat pass (a filter) reads no label; the setters fill these for the items they are given.
    if (this.flat) return i;
    this.text[i] = undefined;
    this.valueText[i] = undefined;
    this.suffix[i] = undefined;
    return i;
  }

  /** A generated item ([Stream index: 0]) that points at no bytes. */
  addGenerated(parent: Item, field: Field, tvb: Tvb, value: FieldValue): Item {
    return this.add(parent, field, tvb, 0, 0, value, ItemFlags.GENERATED);
  }

  /** Sets the whole label of an item. */
  setText(item: Item, text: string): void {
    if (item >= 0) this.text[item] = text;
  }
  /** Sets the value part of the label: "Name: <text>". */
  setValueText(item: Item, text: string): void {
    if (item >= 0) this.valueText[item] = text;
  }
  appendText(item: Item, text: string): void {
    if (item >= 0) this.suffix[item] = (this.suffix[item] ?? '') + text;
  }
  /** Sets an item's length once its end is known (proto_item_set_len / set_end). */
  setLength(item: Item, len: number): void {
    if (item >= 0) this.length[item] = len;
  }
  setFlags(item: Item, flags: ItemFlags): void {
    if (item >= 0) this.flags[item] |= flags;
  }

  /** Drops the items added after `count` (a dissector's attempt that TCP reassembly undoes). */
  truncate(count: number): void {
    if (count >= this.count) return;
    if (this.flat) {
      this.count = count;
      return;
    }
    // The skeleton goes back to the first dropped item's node; unrecorded nodes added before it in the
    // undone attempt stay, childless, which changes no order.
    this.nodeCount = this.itemNode[count];
    this.count = count;
    if (this.reordered) return;
    const last = this.nodeCount - 1;
    this.lastDepth = last < 0 ? 0 : this.nodeDepth[last];
    for (let k = last; k >= 0; k = this.nodeParent[k]) this.path[this.nodeDepth[k]] = k;
  }

  /**
   * The recorded items in tree order (depth first, children in the order they were added: tshark's
   * proto_tree_children_foreach), as indexes into the item arrays; null when that is the order they
   * were added in (0 .. count-1), which is most packets. Valid until the next add() or reset().
   */
  treeOrder(): Int32Array | null {
    if (!this.reordered) return null;
    const nn = this.nodeCount;
    if (this.next.length < nn + 1) {
      this.first = new Int32Array(this.nodeParent.length + 1);
      this.next = new Int32Array(this.nodeParent.length + 1);
      this.stack = new Int32Array(this.nodeParent.length + 1);
    }
    if (this.order.length < this.count) this.order = new Int32Array(this.field.length);
    const { first, next, stack, order } = this;
    // Children as linked lists over the skeleton (first child, next sibling), built back to front so
    // that each list comes out in order of addition; index 0 of `first` is the root.
    first.fill(-1, 0, nn + 1);
    for (let k = nn - 1; k >= 0; k--) {
      const p = this.nodeParent[k] + 1;
      next[k] = first[p];
      first[p] = k;
    }
    // Depth first without recursion: `stack` holds the sibling to resume with at each level.
    let m = 0, sp = 0, k = first[0];
    for (;;) {
      if (k < 0) {
        if (sp === 0) break;
        k = stack[--sp];
        continue;
      }
      const it = this.nodeItem[k];
      if (it >= 0) order[m++] = it;
      if (first[k + 1] >= 0) {
        stack[sp++] = next[k];
        k = first[k + 1];
      } else k = next[k];
    }
    return order.subarray(0, m);
  }

  /** Values of every occurrence of a field, in tree order (as -T fields prints them). */
  valuesOf(field: Field, out: FieldValue[] = []): FieldValue[] {
    out.length = 0;
    const id = field.id;
    const order = this.treeOrder();
    for (let j = 0; j < this.count; j++) {
      const i = order === null ? j : order[j];
      if (this.field[i] === id) out.push(this.value[i]);
    }
    return out;
  }

  /** First item of a field, or NO_ITEM. */
  find(field: Field): Item {
    for (let i = 0; i < this.count; i++) if (this.field[i] === field.id) return i;
    return NO_ITEM;
  }

  /** Children of an item in order (full mode). ROOT lists the top-level items. */
  children(item: Item): Item[] {
    const out: Item[] = [];
    for (let i = item + 1; i < this.count; i++) if (this.parent[i] === item) out.push(i);
    return out;
  }

  private growNodes(): void {
    const n = this.nodeParent.length * 2;
    const g32 = (a: Int32Array) => { const b = new Int32Array(n); b.set(a); return b; };
    this.nodeParent = g32(this.nodeParent);
    this.nodeItem = g32(this.nodeItem);
    this.nodeReal = g32(this.nodeReal);
    this.nodeDepth = g32(this.nodeDepth);
  }

  private growPath(): void {
    const b = new Int32Array(this.path.length * 2).fill(-1);
    b.set(this.path);
    this.path = b;
  }

  private grow(): void {
    const n = this.field.length * 2;
    const g32 = (a: Int32Array) => { const b = new Int32Array(n); b.set(a); return b; };
    this.field = g32(this.field);
    this.parent = g32(this.parent);
    this.source = g32(this.source);
    this.start = g32(this.start);
    this.length = g32(this.length);
    this.itemNode = g32(this.itemNode);
    const f = new Uint8Array(n);
    f.set(this.flags);
    this.flags = f;
  }
}
