// One packet's output for `netlab read`, shared by the single-engine reader (read.ts) and the
// partitioned one (read-parallel.ts, read-worker.ts): the engine's tree mode for the output asked for,
// the filter, and the text tshark would print for the packet (summary line, -T fields line, -V tree,
// -T json object).

import { closeSync, openSync, readSync } from 'node:fs';
import { Engine, frameMeta } from '../../core/dissect/index.js';
import { formatRelativeTs, summaryLine, precisionDigits } from '../../core/dissect/columns.js';
import { type Field, FT, fieldByName, fieldCount, fieldById } from '../../core/fields/registry.js';
import { itemFieldText, itemLabel } from '../../core/fields/format.js';
import { ItemFlags, ROOT, type ProtoTree, type TreeMode } from '../../core/dissect/tree.js';
import type { CaptureInterface, PacketRecord } from '../../core/capfile/record.js';
import type { CompiledFilter } from './read-filter.js';
import { CliError } from './cli-error.js';
import type { ReadOptions } from './read.js';

/** A capture file's failure as the reader reports it (CaptureFileError's fields; also sent between threads). */
export interface ReadError { code: string; message: string; offset: number; hint: string }

let interfaces: CaptureInterface[] = [];

/** pcapng files have sections and interface ids, which tshark shows in the frame tree; pcap files do not. */
function isPcapng(file: string): boolean {
  try {
    const fd = openSync(file, 'r');
    try {
      const b = Buffer.alloc(4);
      return readSync(fd, b, 0, 4, 0) === 4 && b.readUInt32BE(0) === 0x0a0d0d0a;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false; // the reader reports the missing or unreadable file
  }
}

/** Tells the frame dissector what kind of file `file` is and where its interface names come from. */
export function setFrameMeta(file: string): void {
  frameMeta.classicPcap = !isPcapng(file);
  frameMeta.interfaceName = (id) => interfaces[id]?.name;
  frameMeta.interfaceDescription = (id) => interfaces[id]?.description;
}

export function fieldsHeaderAndPlan(o: ReadOptions): Field[] {
  const bad: string[] = [];
  const out: Field[] = [];
  for (const name of o.fields) {
    const f = fieldByName(name);
    if (f === undefined) bad.push(name);
    else out.push(f);
  }
  if (bad.length > 0) {
    // tshark lists the unknown names sorted, one per line after a tab.
    const uniq = [...new Set(bad)].sort();
    throw new CliError(`Some fields aren't valid:\n${uniq.map((n) => `\t${n}`).join('\n')}`,
      'Field names are Wireshark\'s (ip.src, tcp.srcport, http.request.uri); check the spelling.', 1);
  }
  return out;
}

/** Prints one packet's -T fields line. */
function fieldsLine(tree: ProtoTree, plan: Field[], o: ReadOptions, byField: Int32Array, scratch: number[][]): string {
  // One pass over the tree, bucketing item indexes by the plan's position.
  for (const list of scratch) list.length = 0;
  for (let i = 0; i < tree.count; i++) {
    const k = byField[tree.field[i]];
    if (k >= 0) scratch[k].push(i);
  }
  let line = '';
  for (let p = 0; p < plan.length; p++) {
    if (p > 0) line += o.separator;
    // A field asked for twice is printed only in its last column, the others stay empty (tshark 4.0).
    if (byField[plan[p].id] !== p) continue;
    const items = scratch[p];
    if (items.length === 0) continue;
    let text: string;
    if (o.occurrence === 'f') text = itemFieldText(tree, items[0]);
    else if (o.occurrence === 'l') text = itemFieldText(tree, items[items.length - 1]);
    else {
      text = '';
      for (let j = 0; j < items.length; j++) text += (j > 0 ? o.aggregator : '') + itemFieldText(tree, items[j]);
    }
    line += o.quote === '' ? text : o.quote + text + o.quote;
  }
  return line + '\n';
}

/**
 * The detail tree as `tshark -V` prints it: 4 spaces a level, hidden items left out, a blank line after.
 * Walked as a tree, not in the order items were added: TCP may add to its own subtree after the
 * reassembled PDU above it was dissected (the last segment's "TCP segment data").
 */
function verboseTree(tree: ProtoTree): string {
  const n = tree.count;
  // Children as linked lists (first child, next sibling), in order of addition.
  const first = new Int32Array(n + 1).fill(-1), last = new Int32Array(n + 1).fill(-1), next = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const p = tree.parent[i] + 1;
    if (first[p] < 0) first[p] = i; else next[last[p]] = i;
    last[p] = i;
  }
  let s = '';
  const walk = (p: number, depth: number): void => {
    for (let i = first[p + 1]; i >= 0; i = next[i]) {
      if ((tree.flags[i] & ItemFlags.HIDDEN) !== 0) continue;
      s += '    '.repeat(depth) + itemLabel(tree, i) + '\n';
      walk(i, depth + 1);
    }
  };
  walk(ROOT, 0);
  return s + '\n';
}

/**
 * One packet as tshark -T json prints it: "_source.layers" holds each protocol as an object, fields as
 * "abbrev": "value" (the -T fields text, hidden fields included), subtrees as "abbrev_tree", repeated
 * keys as arrays, label-only items keyed by their label.
 */
function jsonPacket(tree: ProtoTree, tsSec: number, first: boolean): string {
  const kids: number[][] = Array.from({ length: tree.count + 1 }, () => []);
  for (let i = 0; i < tree.count; i++) kids[tree.parent[i] + 1].push(i);
  const ind = (n: number) => '  '.repeat(n);
  const add = (groups: Map<string, string[]>, k: string, v: string) => {
    const g = groups.get(k);
    if (g) g.push(v); else groups.set(k, [v]);
  };
  const obj = (list: number[], level: number): string => {
    const groups = new Map<string, string[]>();
    for (const i of list) {
      const f = fieldById(tree.field[i]);
      const sub = kids[i + 1];
      if (f.type === FT.PROTOCOL && f.abbrev !== 'text') {
        add(groups, f.abbrev, sub.length > 0 ? obj(sub, level + 1) : JSON.stringify(itemFieldText(tree, i)));
      } else if (f.abbrev === 'text') {
        // Label-only items (hf_text_only) are keyed by their label; other FT_NONE fields by name, "".
        add(groups, tree.text[i] ?? f.abbrev, sub.length > 0 ? obj(sub, level + 1) : '""');
      } else if (f.type === FT.NONE) {
        // ek/json output: an FT_NONE field's subtree is its value ("tcp.segments": {…}).
        add(groups, f.abbrev, sub.length > 0 ? obj(sub, level + 1) : '""');
      } else {
        add(groups, f.abbrev, JSON.stringify(itemFieldText(tree, i)));
        if (sub.length > 0) add(groups, `${f.abbrev}_tree`, obj(sub, level + 1));
      }
    }
    if (groups.size === 0) return '{}';
    const parts: string[] = [];
    for (const [k, vals] of groups) {
      const v = vals.length === 1 ? vals[0] : `[\n${vals.map((x) => ind(level + 1) + x).join(',\n')}\n${ind(level)}]`;
      parts.push(`${ind(level)}${JSON.stringify(k)}: ${v}`);
    }
    return `{\n${parts.join(',\n')}\n${ind(level - 1)}}`;
  };
  // tshark names the index after the packet's local date ("packets-2026-11-25").
  const d = new Date(tsSec * 1000);
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const layers = obj(kids[0], 4);
  return `${first ? '' : ',\n'}  {\n    "_index": "packets-${day}",\n    "_type": "doc",\n    "_score": null,\n    "_source": {\n      "layers": ${layers}\n    }\n  }`;
}

/**
 * Dissects packets for one output format and prints the ones the filter lets through. Frames must be
 * given in order (they may skip frames another engine prints: see read-parallel.ts).
 */
export class PacketPrinter {
  readonly engine = new Engine();
  readonly plan: Field[];
  /** Packets printed so far. */
  shown = 0;
  private digitsOf: number[] = [];
  private readonly byField: Int32Array;
  private readonly scratch: number[][];
  private readonly dissectOpts: { tree: TreeMode; interest: Uint8Array | null; columns: boolean };
  private readonly skimOpts = { tree: 'none' as const, columns: false };

  constructor(private readonly o: ReadOptions, private readonly filter: CompiledFilter | null) {
    this.plan = o.format === 'fields' ? fieldsHeaderAndPlan(o) : [];
    for (const [k, v] of o.prefs) this.engine.capture.prefs.set(k, v);
    let interest: Uint8Array | null = null;
    let mode: TreeMode = 'none';
    if (o.verbose || o.format === 'json') mode = 'full';
    else if (o.format === 'fields' || filter !== null) {
      // A protocol's -T fields text is its label, which only a full tree carries.
      mode = this.plan.some((f) => f.type === FT.PROTOCOL) ? 'full' : 'fields';
      interest = new Uint8Array(fieldCount());
      for (const f of this.plan) interest[f.id] = 1;
      if (filter !== null) for (let i = 0; i < filter.interest.length && i < interest.length; i++) if (filter.interest[i]) interest[i] = 1;
    }
    if (mode === 'full' && filter !== null) interest = null;
    this.byField = new Int32Array(fieldCount()).fill(-1);
    this.plan.forEach((f, i) => { this.byField[f.id] = i; });
    this.scratch = this.plan.map(() => []);
    // The engine's options, made once (an object literal per packet is garbage on the fast path).
    this.dissectOpts = { tree: mode, interest, columns: o.format === 'text' && !o.verbose };
  }

  /** The file's interfaces: the Time column's precision is each one's timestamp resolution. */
  setInterfaces(list: CaptureInterface[]): void {
    interfaces = list;
    this.digitsOf = list.map((itf) => precisionDigits(itf.tsUnitsPerSec));
  }

  /**
   * Dissects frame `num` only for the state later frames need (conversations, reassembly), printing
   * nothing: cheaper than print() and leaves the same state behind.
   */
  skim(rec: PacketRecord, num: number): void {
    this.engine.dissect(rec, num, this.skimOpts);
  }

  /** Dissects frame `num` and returns what to print for it ('' when the filter hides it). */
  print(rec: PacketRecord, num: number): string {
    const { engine, filter, o } = this;
    // A filter answerable from the bytes alone (frame contains "IHDR") rejects most frames before any
    // tree is built; they are still dissected, cheaply, so conversation state stays as tshark's.
    if (filter !== null && filter.matchesRaw !== null && !filter.matchesRaw(rec.data)) {
      this.skim(rec, num);
      return '';
    }
    engine.dissect(rec, num, this.dissectOpts);
    if (filter !== null && !filter.matches(engine.tree)) return '';
    this.shown++;
    if (o.verbose) return verboseTree(engine.tree);
    if (o.format === 'fields') return fieldsLine(engine.tree, this.plan, o, this.byField, this.scratch);
    // tshark opens the array with the first packet: no packets print "[]".
    if (o.format === 'json') return (this.shown === 1 ? '[\n' : '') + jsonPacket(engine.tree, rec.tsSec, this.shown === 1);
    const digits = this.digitsOf[rec.interfaceId] ?? 6;
    const cap = engine.capture;
    return summaryLine(engine.pinfo, formatRelativeTs(rec.tsSec, rec.tsNsec, cap.firstTsSec, cap.firstTsNsec, digits)) + '\n';
  }
}
