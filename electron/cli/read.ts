// `netlab read`: tshark's reading mode. Same flags, same output, byte for byte where tshark 4.0.17 -n
// prints the same thing: summary lines (-T text), the detail tree (-V), field values (-T fields -e),
// and a JSON document close to tshark's -T json.
//
// Speed (issue 3: >= 3x tshark's packets/s for summary lines, lower peak memory): the engine runs in
// 'none' tree mode when only summaries are wanted, 'fields' mode with an interest set for -e/-Y, and
// 'full' only for -V/-T json; output is built into one string and written in ~64 KiB pieces.

import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { Engine, frameMeta } from '../../core/dissect/index.js';
import { formatRelativeTs, summaryLine, precisionDigits } from '../../core/dissect/columns.js';
import { type Field, FT, fieldByName, fieldCount, fieldById } from '../../core/fields/registry.js';
import { itemFieldText, itemLabel, setZoneNameProvider } from '../../core/fields/format.js';
import { systemZoneNames } from './zone-names.js';
import { ItemFlags, ROOT, type ProtoTree } from '../../core/dissect/tree.js';
import type { CaptureInterface, PacketRecord } from '../../core/capfile/record.js';
import { readCaptureFile } from '../services/capture-file.js';
import { loadFilter, type CompiledFilter } from './read-filter.js';
import { CliError } from './cli-error.js';
import { runFollow, wantsFollow } from './follow.js';

const PROG = 'netlab';

export interface ReadOptions {
  file: string;
  filter?: string;
  format: 'text' | 'fields' | 'json';
  fields: string[];
  header: boolean;
  separator: string;
  quote: '' | '"' | "'";
  occurrence: 'f' | 'l' | 'a';
  aggregator: string;
  count: number;
  verbose: boolean;
  /** -o name:value, Wireshark's preference names (tcp.desegment_tcp_streams:FALSE). */
  prefs: Map<string, boolean | number | string>;
}

const USAGE = `Usage: netlab read -r FILE [options]   (tshark's flags, tshark's output)
  -r FILE              the capture to read (pcap or pcapng)
  -Y FILTER            display filter (Wireshark syntax)
  -T text|fields|json  output format (default: text, the summary lines)
  -e FIELD             a field to print with -T fields (repeat for more), e.g. -e ip.src -e tcp.seq
  -E header=y|n        -T fields: print the field names first
  -E separator=/t|/s|C -T fields: between fields (tab, space, or the character C)
  -E quote=d|s|n       -T fields: quote each value with " or ' (or not)
  -E occurrence=f|l|a  -T fields: first, last or all occurrences of a field in a packet
  -E aggregator=,|/s|C -T fields: between occurrences
  -c COUNT             stop after reading COUNT packets (before the filter, as tshark)
  -V                   print the detail tree of each packet
  -o NAME:VALUE        a Wireshark preference, e.g. -o tcp.desegment_tcp_streams:FALSE
  -n                   no name resolution (always the case here; accepted for tshark compatibility)`;

function sepChar(v: string): string {
  if (v === '/t') return '\t';
  if (v === '/s') return ' ';
  return v;
}

export function parseArgs(argv: string[]): ReadOptions {
  const o: ReadOptions = {
    file: '', format: 'text', fields: [], header: false, separator: '\t', quote: '', occurrence: 'a',
    aggregator: ',', count: 0, verbose: false, prefs: new Map(),
  };
  let formatGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    // tshark (getopt) accepts both "-r FILE" and "-rFILE".
    const flag = a.length >= 2 && a[0] === '-' && a[1] !== '-' ? a.slice(0, 2) : a;
    const inline = flag !== a ? a.slice(2) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new CliError(`option requires an argument -- '${flag.slice(1)}'`, `See: ${PROG} read --help`);
      return v;
    };
    switch (flag) {
      case '-h': case '--help': throw new CliError('help', '', 0);
      case '-r': o.file = value(); break;
      case '-Y': o.filter = value(); break;
      case '-T': {
        const t = value();
        if (t !== 'text' && t !== 'fields' && t !== 'json') {
          throw new CliError(`Invalid -T parameter "${t}"`, 'Use -T text, -T fields or -T json.');
        }
        o.format = t;
        formatGiven = true;
        break;
      }
      case '-e': o.fields.push(value()); break;
      case '-E': {
        const kv = value();
        const eq = kv.indexOf('=');
        const k = eq < 0 ? kv : kv.slice(0, eq), v = eq < 0 ? '' : kv.slice(eq + 1);
        const bad = () => new CliError(`Invalid -E parameter "${kv}"`, 'Use header=y|n, separator=/t|/s|C, quote=d|s|n, occurrence=f|l|a or aggregator=,|/s|C.');
        if (k === 'header') { if (v !== 'y' && v !== 'n') throw bad(); o.header = v === 'y'; }
        else if (k === 'separator') { if (v === '') throw bad(); o.separator = sepChar(v); }
        else if (k === 'quote') { if (v !== 'd' && v !== 's' && v !== 'n') throw bad(); o.quote = v === 'd' ? '"' : v === 's' ? "'" : ''; }
        else if (k === 'occurrence') { if (v !== 'f' && v !== 'l' && v !== 'a') throw bad(); o.occurrence = v; }
        else if (k === 'aggregator') { if (v === '') throw bad(); o.aggregator = sepChar(v); }
        else throw bad();
        break;
      }
      case '-c': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n <= 0) throw new CliError(`The specified packet count "${v}" isn't a valid number`, 'Give -c a whole number above 0, e.g. -c 10.');
        o.count = n;
        break;
      }
      case '-V': o.verbose = true; break;
      case '-o': {
        const kv = value();
        const colon = kv.indexOf(':');
        if (colon <= 0) throw new CliError(`Invalid -o flag "${kv}"`, 'Give a preference as name:value, e.g. -o tcp.desegment_tcp_streams:FALSE.');
        const name = kv.slice(0, colon), v = kv.slice(colon + 1);
        // Preferences belong to a protocol ("tcp.…"); one we do not dissect cannot have any.
        const owner = fieldByName(name.slice(0, Math.max(0, name.lastIndexOf('.'))));
        if (owner === undefined || owner.type !== FT.PROTOCOL) {
          throw new CliError(`-o flag "${kv}" specifies unknown preference`, 'Preference names are Wireshark\'s, e.g. tcp.desegment_tcp_streams or tcp.analyze_sequence_numbers.');
        }
        o.prefs.set(name, /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : /^-?\d+$/.test(v) ? Number(v) : v);
        break;
      }
      case '-n': break;
      default:
        throw new CliError(`unknown option "${a}"`, `See: ${PROG} read --help`);
    }
  }
  if (o.file === '') throw new CliError('no capture file given', `Say which file to read: ${PROG} read -r capture.pcapng`);
  if (o.fields.length > 0 && o.format !== 'fields') {
    throw new CliError('Output fields were specified with "-e", but "-Tfields" was not specified.', 'Add -T fields.');
  }
  if (o.format === 'fields' && o.fields.length === 0) {
    throw new CliError('"-Tfields" was specified, but no fields were specified with "-e".', 'Add at least one -e FIELD, e.g. -e frame.number.');
  }
  void formatGiven;
  return o;
}

/**
 * Output buffered into ~64 KiB writes (one console.log per packet costs more than dissecting it).
 * Text is encoded straight into one reused buffer: no Buffer per write, nothing for the GC.
 */
class Out {
  private readonly buf = Buffer.allocUnsafe(1 << 20);
  private len = 0;
  private closed = false;
  write(s: string): void {
    // Worst case 3 bytes per UTF-16 unit; flush first if that might not fit.
    if (this.len + s.length * 3 > this.buf.length) {
      this.flush();
      if (s.length * 3 > this.buf.length) { this.writeAll(Buffer.from(s, 'utf8')); return; }
    }
    this.len += this.buf.write(s, this.len, 'utf8');
    if (this.len >= 65536) this.flush();
  }
  flush(): void {
    if (this.len > 0) this.writeAll(this.buf.subarray(0, this.len));
    this.len = 0;
  }
  private writeAll(data: Uint8Array): void {
    let off = 0;
    while (off < data.length && !this.closed) {
      try {
        off += writeSync(1, data, off, data.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2); continue; }
        if (code === 'EPIPE') { this.closed = true; return; } // `| head`: the reader left; stop quietly.
        throw e;
      }
    }
  }
  get isClosed(): boolean {
    return this.closed;
  }
}

function fieldsHeaderAndPlan(o: ReadOptions): Field[] {
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

export async function read(o: ReadOptions): Promise<number> {
  let filter: CompiledFilter | null = null;
  if (o.filter !== undefined) filter = loadFilter(o.filter);
  const plan = o.format === 'fields' ? fieldsHeaderAndPlan(o) : [];

  const out = new Out();
  setZoneNameProvider(systemZoneNames());
  const engine = new Engine();
  for (const [k, v] of o.prefs) engine.capture.prefs.set(k, v);
  let interest: Uint8Array | null = null;
  let mode: 'none' | 'fields' | 'full' = 'none';
  if (o.verbose || o.format === 'json') mode = 'full';
  else if (o.format === 'fields' || filter !== null) {
    // A protocol's -T fields text is its label, which only a full tree carries.
    mode = plan.some((f) => f.type === FT.PROTOCOL) ? 'full' : 'fields';
    interest = new Uint8Array(fieldCount());
    for (const f of plan) interest[f.id] = 1;
    if (filter !== null) for (let i = 0; i < filter.interest.length && i < interest.length; i++) if (filter.interest[i]) interest[i] = 1;
  }
  if (mode === 'full' && filter !== null) interest = null;
  const byField = new Int32Array(fieldCount()).fill(-1);
  plan.forEach((f, i) => { byField[f.id] = i; });
  const scratch: number[][] = plan.map(() => []);

  if (o.format === 'fields' && o.header) out.write(plan.map((f) => f.abbrev).join(o.separator) + '\n');

  let interfaces: CaptureInterface[] = [];
  // Time column precision per interface (the file's timestamp resolution), computed once.
  let digitsOf: number[] = [];
  frameMeta.classicPcap = !isPcapng(o.file);
  frameMeta.interfaceName = (id) => interfaces[id]?.name;
  frameMeta.interfaceDescription = (id) => interfaces[id]?.description;
  let num = 0;
  let shown = 0;
  let stop = false;
  const columns = o.format === 'text' && !o.verbose;
  // The engine's options, made once (an object literal per packet is garbage on the fast path).
  const dissectOpts = { tree: mode, interest, columns };
  const skimOpts = { tree: 'none' as const, columns: false };
  const onRecord = (rec: PacketRecord): void => {
    if (stop) return;
    num++;
    // -c counts packets read, not packets shown (tshark: "-Y http.request -c 3" may print nothing).
    if (o.count > 0 && num >= o.count) stop = true;
    // A filter answerable from the bytes alone (frame contains "IHDR") rejects most frames before any
    // tree is built; they are still dissected, cheaply, so conversation state stays as tshark's.
    if (filter !== null && filter.matchesRaw !== null && !filter.matchesRaw(rec.data)) {
      engine.dissect(rec, num, skimOpts);
      return;
    }
    engine.dissect(rec, num, dissectOpts);
    if (filter !== null && !filter.matches(engine.tree)) return;
    shown++;
    if (o.verbose) {
      out.write(verboseTree(engine.tree));
    } else if (o.format === 'fields') {
      out.write(fieldsLine(engine.tree, plan, o, byField, scratch));
    } else if (o.format === 'json') {
      // tshark opens the array with the first packet: no packets print "[]".
      out.write((shown === 1 ? '[\n' : '') + jsonPacket(engine.tree, rec.tsSec, shown === 1));
    } else {
      const digits = digitsOf[rec.interfaceId] ?? 6;
      const cap = engine.capture;
      out.write(summaryLine(engine.pinfo, formatRelativeTs(rec.tsSec, rec.tsNsec, cap.firstTsSec, cap.firstTsNsec, digits)) + '\n');
    }
    if (out.isClosed) stop = true;
  };
  const abort = new AbortController();
  const res = await readCaptureFile(o.file, {
    onRecord: (rec) => {
      onRecord(rec);
      if (stop && !abort.signal.aborted) abort.abort();
    },
    onInterfaces: (list) => {
      interfaces = list;
      digitsOf = list.map((itf) => precisionDigits(itf.tsUnitsPerSec));
    },
    signal: abort.signal,
  });
  if (o.format === 'json') out.write(shown > 0 ? '\n]\n' : '[]\n');
  out.flush();
  if (res.error && !stop) {
    const e = res.error;
    if (e.code === 'ERR_FILE_NOT_FOUND' || e.code === 'ERR_FILE_UNREADABLE') throw new CliError(`${e.message}.`, e.hint, 2);
    // tshark: 'The file "F" appears to have been cut short in the middle of a packet.', exit 2; we
    // also say where, and what to do.
    const msg = e.message.replace(/^The file /, `The file "${o.file}" `).replace(/\.$/, '');
    const at = e.offset >= 0 && !/offset/.test(msg) ? ` (at byte offset ${e.offset})` : '';
    throw new CliError(`${msg}${at}.`, e.hint, 2);
  }
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  // -z follow,tcp,... and --export-objects http,DIR live in follow.ts (issue 4).
  if (wantsFollow(argv)) return runFollow(argv);
  try {
    return await read(parseArgs(argv));
  } catch (e) {
    if (e instanceof CliError) {
      if (e.message === 'help') { process.stdout.write(USAGE + '\n'); return 0; }
      process.stderr.write(`${PROG}: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
      return e.exitCode;
    }
    throw e;
  }
}
