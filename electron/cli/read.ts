// `netlab read`: tshark's reading mode. Same flags, same output, byte for byte where tshark 4.0.17 -n
// prints the same thing: summary lines (-T text), the detail tree (-V), field values (-T fields -e),
// and a JSON document close to tshark's -T json.
//
// Speed (issue 3: >= 3x tshark's packets/s for summary lines, lower peak memory): the engine runs in
// 'none' tree mode when only summaries are wanted, 'fields' mode with an interest set for -e/-Y, and
// 'full' only for -V/-T json; output is built into one string and written in ~64 KiB pieces.

import { availableParallelism } from 'node:os';
import { readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { setZoneNameProvider } from '../../core/fields/format.js';
import { FT, fieldByName } from '../../core/fields/registry.js';
import { systemZoneNames } from './zone-names.js';
import { readCaptureFile } from '../services/capture-file.js';
import { loadFilter, type CompiledFilter } from './read-filter.js';
import { CliError } from './cli-error.js';
import { runFollow, wantsFollow } from './follow.js';
import { LazyFilterReader, PacketPrinter, type ReadError, setFrameMeta } from './read-print.js';
import { readParallel, workerScriptExists } from './read-parallel.js';

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
export class Out {
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
  /** Bytes already encoded (lines from read-parallel.ts's engines). */
  writeBytes(b: Uint8Array): void {
    if (this.len + b.length > this.buf.length) {
      this.flush();
      if (b.length > this.buf.length) { this.writeAll(b); return; }
    }
    this.buf.set(b, this.len);
    this.len += b.length;
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

export async function read(o: ReadOptions): Promise<number> {
  let filter: CompiledFilter | null = null;
  if (o.filter !== undefined) filter = loadFilter(o.filter);
  const printer = new PacketPrinter(o, filter);
  const out = new Out();
  setZoneNameProvider(systemZoneNames());
  if (o.format === 'fields' && o.header) out.write(printer.plan.map((f) => f.abbrev).join(o.separator) + '\n');
  const pcapng = setFrameMeta(o.file);

  // Large files are read by several engines at once, one per core, each dissecting whole TCP streams
  // (read-parallel.ts); a frame that cannot be split that way sends the rest back here, to one engine.
  let from = 1;
  // NETLAB_READ_TRACE=1 says how the file was read (the tests check that every path runs).
  const trace = process.env.NETLAB_READ_TRACE === '1';
  // A filter the bytes answer first is faster read lazily by one engine (LazyFilterReader).
  const threads = filter?.matchesRaw ? 1 : readThreads(o);
  if (threads > 1) {
    const r = await readParallel(o, threads, out);
    if (r.kind === 'done') {
      if (trace) process.stderr.write(`netlab: read by ${threads} engines\n`);
      return finish(o, out, printer.shown + r.shown, r.error, r.stopped);
    }
    if (trace) process.stderr.write(`netlab: read by ${threads} engines up to frame ${r.from - 1}, then by one (${r.reason})\n`);
    from = r.from;
  }
  const lazy = filter?.matchesRaw ? new LazyFilterReader(printer, filter.matchesRaw, o.file, pcapng) : null;
  try {
    const { shown, error, stopped, frames } = await readSequential(o, printer, lazy, out, from);
    if (lazy !== null && trace) process.stderr.write(`netlab: lazy filter pass dissected ${lazy.dissected} of ${frames} frames\n`);
    return finish(o, out, shown, error, stopped);
  } finally {
    lazy?.close();
  }
}

/** Minimum size for the partitioned reader: below it, starting the engines costs more than it saves. */
const PARALLEL_MIN_BYTES = 16 << 20;

/**
 * How many engines read the file: NETLAB_READ_THREADS if set (1 turns partitioning off; tests set it
 * to run the partitioned reader on small captures), else one per core other programs leave free (at
 * most 4) for large files in the formats that print a line per packet.
 */
function readThreads(o: ReadOptions): number {
  if (o.format === 'json' || o.verbose || !workerScriptExists()) return 1;
  const env = process.env.NETLAB_READ_THREADS;
  if (env !== undefined && env !== '') return Math.max(1, Math.min(16, Number.parseInt(env, 10) || 1));
  let size = 0;
  try {
    size = statSync(o.file).size;
  } catch {
    return 1; // the reader reports the missing file
  }
  if (size < PARALLEL_MIN_BYTES) return 1;
  return Math.max(1, Math.min(4, availableParallelism() - othersRunning()));
}

/**
 * Threads of other programs running or ready to run at this moment (Linux: /proc/loadavg's running
 * count, which includes this one), 0 where unknown. One engine per core they leave free: on the shared
 * 2-core machine at load ~10, two engines took a median 7.4 s wall against one engine's 4.9 s on the
 * 513,650-packet capture (the lanes hand each other frames and lines, so each waits whenever the other
 * is descheduled). The 1-minute load average, used before, still read ~1 a minute after any other run
 * (the benchmark's own tshark), and gave one engine on an idle machine; the running count is now.
 */
function othersRunning(): number {
  try {
    const m = /^\S+ \S+ \S+ (\d+)\//.exec(readFileSync('/proc/loadavg', 'utf8'));
    if (m === null) return 0;
    // Less this process's own running threads (V8 may be compiling or collecting on its helpers).
    let own = 0;
    for (const t of readdirSync('/proc/self/task')) {
      const st = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      if (st[st.lastIndexOf(')') + 2] === 'R') own++;
    }
    return Math.max(0, Number(m[1]) - own);
  } catch {
    return 0;
  }
}

/**
 * Frames `from` and later printed by one engine (through `lazy` if given); earlier ones only dissected,
 * for their state.
 */
async function readSequential(o: ReadOptions, printer: PacketPrinter, lazy: LazyFilterReader | null, out: Out, from: number): Promise<{ shown: number; error: ReadError | null; stopped: boolean; frames: number }> {
  let num = 0;
  let stop = false;
  const abort = new AbortController();
  const res = await readCaptureFile(o.file, {
    onRecord: (rec) => {
      if (stop) return;
      num++;
      // -c counts packets read, not packets shown (tshark: "-Y http.request -c 3" may print nothing).
      if (o.count > 0 && num >= o.count) stop = true;
      if (num < from) printer.skim(rec, num);
      else {
        const text = lazy !== null ? lazy.print(rec, num) : printer.print(rec, num);
        if (text !== '') out.write(text);
        if (out.isClosed) stop = true;
      }
      if (stop && !abort.signal.aborted) abort.abort();
    },
    onInterfaces: (list) => {
      printer.setInterfaces(list);
    },
    signal: abort.signal,
  });
  return { shown: printer.shown, error: res.error ?? null, stopped: stop, frames: num };
}

/** Ends the output (-T json's closing bracket) and turns a damaged file into tshark's message and exit code. */
function finish(o: ReadOptions, out: Out, shown: number, error: ReadError | null, stopped: boolean): number {
  if (o.format === 'json') out.write(shown > 0 ? '\n]\n' : '[]\n');
  out.flush();
  if (error && !stopped) {
    const e = error;
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
