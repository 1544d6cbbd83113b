// The protocol tree of one packet (Wireshark's proto_tree), stored as parallel arrays that are reused
// from packet to packet: no object per item. Three modes:
//   'none'   summary only: add() does nothing and returns NO_ITEM (fast path for packet lists);
//   'fields' only "interesting" fields are recorded (filters, -T fields), parents are not kept;
//   'full'   every item with its parent, byte range and text (the detail pane, -V).
// Labels are not formatted here: format.ts builds them from the field registry when they are shown.

import type { Field, FieldValue } from '../fields/registry.js';
import type { DataSource, Tvb } from './tvb.js';

export type TreeMode = 'none' | 'fields' | 'full';

/** An item handle; NO_ITEM when nothing was created (the tree is off or the field is not wanted). */
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

export class ProtoTree {
  mode: TreeMode = 'none';
  /** In 'fields' mode: 1 at the ids of the fields to record. */
  interest: Uint8Array | null = null;

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

  reset(mode: TreeMode, interest: Uint8Array | null = null): void {
    this.mode = mode;
    this.interest = interest;
    this.count = 0;
    this.sources.length = 0;
    // Setting .length is not free (2% of a summary pass); on 'none' passes these stay empty.
    if (this.value.length !== 0) this.value.length = 0;
    if (this.text.length !== 0) this.text.length = 0;
    if (this.valueText.length !== 0) this.valueText.length = 0;
    if (this.suffix.length !== 0) this.suffix.length = 0;
  }

  /** True when add(field) would record something; use it to skip costly value formatting. */
  wants(field: Field): boolean {
    return this.mode === 'full' || (this.mode === 'fields' && this.interest !== null && this.interest[field.id] === 1);
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
    if (this.mode === 'none') return NO_ITEM;
    if (this.mode === 'fields' && (this.interest === null || this.interest[field.id] !== 1)) return NO_ITEM;
    const i = this.count++;
    if (i >= this.field.length) this.grow();
    this.field[i] = field.id;
    this.parent[i] = parent;
    this.source[i] = tvb.source;
    this.start[i] = tvb.base + off;
    this.length[i] = len < 0 ? Math.max(0, tvb.length - off) : len;
    this.flags[i] = flags;
    this.value[i] = value;
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
    if (count < this.count) this.count = count;
  }

  /** Values of every occurrence of a field, in tree order. */
  valuesOf(field: Field, out: FieldValue[] = []): FieldValue[] {
    out.length = 0;
    const id = field.id;
    for (let i = 0; i < this.count; i++) if (this.field[i] === id) out.push(this.value[i]);
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

  private grow(): void {
    const n = this.field.length * 2;
    const g32 = (a: Int32Array) => { const b = new Int32Array(n); b.set(a); return b; };
    this.field = g32(this.field);
    this.parent = g32(this.parent);
    this.source = g32(this.source);
    this.start = g32(this.start);
    this.length = g32(this.length);
    const f = new Uint8Array(n);
    f.set(this.flags);
    this.flags = f;
  }
}
