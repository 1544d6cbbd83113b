// One packet's output for `netlab read`, shared by the single-engine reader (read.ts) and the
// partitioned one (read-parallel.ts, read-worker.ts): the engine's tree mode for the output asked for,
// the filter, and the text tshark would print for the packet (summary line, -T fields line, -V tree,
// -T json object).

import { closeSync, openSync, readSync } from 'node:fs';
import { Engine, frameMeta } from '../../core/dissect/index.js';
import { grow } from '../../core/dissect/grow.js';
import { PART_INELIGIBLE, Partitioner } from '../../core/dissect/partition.js';
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

/**
 * Tells the frame dissector what kind of file `file` is and where its interface names come from;
 * returns whether it is pcapng.
 */
export function setFrameMeta(file: string): boolean {
  const pcapng = isPcapng(file);
  frameMeta.classicPcap = !pcapng;
  frameMeta.interfaceName = (id) => interfaces[id]?.name;
  frameMeta.interfaceDescription = (id) => interfaces[id]?.description;
  return pcapng;
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
  let repeated = false;
  for (let i = 0; i < tree.count; i++) {
    const k = byField[tree.field[i]];
    if (k >= 0 && scratch[k].push(i) > 1) repeated = true;
  }
  // tshark prints a field's occurrences in tree order (print.c walks the tree depth first), not in the
  // order they were added: the Ethernet trailer's expert item comes before ARP's, though added after.
  const order = repeated ? tree.treeOrder() : null;
  if (order !== null) {
    for (const list of scratch) list.length = 0;
    for (let j = 0; j < order.length; j++) {
      const i = order[j];
      const k = byField[tree.field[i]];
      if (k >= 0) scratch[k].push(i);
    }
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
  private readonly dissectOpts: { tree: TreeMode; interest: Uint8Array | null; columns: boolean; ordered: boolean };
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
    // Only -T fields prints items in tree order; a filter alone reads them in any order (no skeleton).
    this.dissectOpts = { tree: mode, interest, columns: o.format === 'text' && !o.verbose, ordered: o.format === 'fields' };
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

/**
 * A filter the bytes can answer first (frame contains "IHDR", frame[0:2] == …) rejects most frames
 * before any dissection; tshark still dissects all of them, because a later frame's line may depend on
 * them. Here a rejected frame is only classified (core/dissect/partition.ts) and remembered by its place
 * in the file. When a frame of the same partition (its TCP stream, or the rest) passes the byte test,
 * the partition's remembered frames are first dissected in order for their state, read back from the
 * file, and then the frame itself: the lines are the ones a full pass prints, and frames of partitions
 * where nothing matches are never dissected. A frame that cannot be split, or matches common enough that
 * the re-reading costs more than it saves, ends this: every remembered frame is dissected in frame order
 * and the rest of the file goes the ordinary way.
 */
export class LazyFilterReader {
  private readonly partitioner: Partitioner;
  private eager = false;
  private fd = -1;
  private buf = Buffer.alloc(65536 + 64);
  private readonly rec: PacketRecord = { tsSec: 0, tsNsec: 0, capLen: 0, origLen: 0, interfaceId: 0, linkType: 0, data: new Uint8Array(0), fileOffset: 0 };
  // The remembered frames, by frame number: what the record said, and the next one of its partition.
  private tsSec = new Float64Array(1024);
  private tsNsec = new Int32Array(1024);
  private capLen = new Int32Array(1024);
  private origLen = new Int32Array(1024);
  private linkType = new Int32Array(1024);
  private ifId = new Int32Array(1024);
  private offset = new Float64Array(1024);
  private next = new Int32Array(1024);
  private pending = new Uint8Array(1024);
  /** First and last remembered frame of each partition (index: partition + 1; 0 = not TCP), 0 = none. */
  private head = new Int32Array(64);
  private tail = new Int32Array(64);
  private firstPending = 0;
  private caughtUp = 0;

  constructor(private readonly printer: PacketPrinter, private readonly matchesRaw: (frame: Uint8Array) => boolean,
    private readonly file: string, private readonly pcapng: boolean) {
    this.partitioner = new Partitioner(printer.engine);
  }

  /** Frames dissected so far (the rest were only classified). */
  dissected = 0;

  /** What to print for frame `num` ('' if nothing), as PacketPrinter.print. */
  print(rec: PacketRecord, num: number): string {
    if (this.eager) {
      this.dissected++;
      return this.printer.print(rec, num);
    }
    const part = this.partitioner.classify(rec, num);
    if (part === PART_INELIGIBLE) {
      this.becomeEager(num);
      this.dissected++;
      return this.printer.print(rec, num);
    }
    this.printer.engine.capture.noteTime(num, rec.tsSec, rec.tsNsec);
    if (!this.matchesRaw(rec.data)) {
      this.remember(rec, num, part + 1);
      return '';
    }
    this.catchUp(part + 1);
    // Matches common enough that re-reading costs more than skipping saves: back to one ordinary pass.
    if (this.caughtUp > 4096 && this.caughtUp * 4 > num) this.becomeEager(num);
    this.dissected++;
    return this.printer.print(rec, num);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private remember(rec: PacketRecord, num: number, p: number): void {
    if (num >= this.next.length) {
      this.tsSec = grow(this.tsSec, num); this.tsNsec = grow(this.tsNsec, num);
      this.capLen = grow(this.capLen, num); this.origLen = grow(this.origLen, num);
      this.linkType = grow(this.linkType, num); this.ifId = grow(this.ifId, num);
      this.offset = grow(this.offset, num); this.next = grow(this.next, num); this.pending = grow(this.pending, num);
    }
    if (p >= this.head.length) { this.head = grow(this.head, p); this.tail = grow(this.tail, p); }
    this.tsSec[num] = rec.tsSec; this.tsNsec[num] = rec.tsNsec;
    this.capLen[num] = rec.capLen; this.origLen[num] = rec.origLen;
    this.linkType[num] = rec.linkType; this.ifId[num] = rec.interfaceId;
    this.offset[num] = rec.fileOffset;
    this.next[num] = 0;
    this.pending[num] = 1;
    if (this.head[p] === 0) this.head[p] = num; else this.next[this.tail[p]] = num;
    this.tail[p] = num;
    if (this.firstPending === 0) this.firstPending = num;
  }

  /** Dissects partition `p`'s remembered frames, in order, for their state. */
  private catchUp(p: number): void {
    if (p >= this.head.length) return;
    for (let f = this.head[p]; f !== 0; f = this.next[f]) this.skim(f);
    this.head[p] = this.tail[p] = 0;
  }

  /** Dissects every remembered frame in frame order; from now on every frame goes the ordinary way. */
  private becomeEager(upTo: number): void {
    for (let f = this.firstPending; f > 0 && f < upTo; f++) if (this.pending[f] === 1) this.skim(f);
    this.eager = true;
    this.close();
  }

  private skim(f: number): void {
    this.pending[f] = 0;
    this.caughtUp++;
    this.dissected++;
    const n = this.capLen[f];
    // pcap: a 16-byte record header; pcapng: EPB and PB have 28 bytes before the data, SPB 12.
    if (this.buf.length < n + 28) this.buf = Buffer.alloc(n + 28);
    if (this.fd < 0) this.fd = openSync(this.file, 'r');
    readSync(this.fd, this.buf, 0, n + 28, this.offset[f]);
    const b = this.buf;
    const dataAt = !this.pcapng ? 16 : (b[0] | b[3]) === 3 ? 12 : 28;
    const r = this.rec;
    r.tsSec = this.tsSec[f]; r.tsNsec = this.tsNsec[f]; r.capLen = n; r.origLen = this.origLen[f];
    r.linkType = this.linkType[f]; r.interfaceId = this.ifId[f]; r.fileOffset = this.offset[f];
    r.data = b.subarray(dataAt, dataAt + n);
    this.printer.skim(r, f);
  }
}
