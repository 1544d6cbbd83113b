// `netlab read -z follow,tcp,ascii|hex|raw,N` and `netlab read --export-objects http,DIR`: tshark's
// Follow TCP Stream and Export Objects on a capture file, through the core taps (core/dissect/tap).
// Kept apart from read.ts: read.ts hands the arguments here when one of these options is present.
import { mkdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../core/dissect/index.js';
import { TcpFollower, formatFollow, type FollowMode } from '../../core/dissect/tap/follow-tcp.js';
import { HttpObjectCollector } from '../../core/dissect/tap/http-objects.js';
import { readCaptureFile } from '../services/capture-file.js';
import { CliError } from './cli-error.js';

/** True when the arguments ask for a follow or an export (read.ts then calls runFollow). */
export function wantsFollow(argv: string[]): boolean {
  return argv.some((a) => a === '-z' || a.startsWith('-zfollow') || a === '--export-objects' || a.startsWith('--export-objects='));
}

interface FollowOptions { file: string; follows: { mode: FollowMode; stream: number }[]; exportDir?: string }

export function parseFollowArgs(argv: string[]): FollowOptions {
  const o: FollowOptions = { file: '', follows: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = (flag: string) => {
      if (a.length > flag.length) return a.slice(flag.length).replace(/^=/, '');
      const v = argv[++i];
      if (v === undefined) throw new CliError(`option requires an argument -- '${flag.replace(/^-+/, '')}'`, 'See: netlab read --help');
      return v;
    };
    if (a.startsWith('-r')) o.file = val('-r');
    else if (a.startsWith('--export-objects')) {
      const v = val('--export-objects');
      const m = /^http,(.+)$/.exec(v);
      if (!m) throw new CliError(`"${v}" isn't a valid object type`, 'Use --export-objects http,DIR (only HTTP objects are supported).');
      o.exportDir = m[1];
    } else if (a.startsWith('-z')) {
      const v = val('-z');
      const m = /^follow,tcp,(ascii|hex|raw),(\d+)$/.exec(v);
      if (!m) throw new CliError(`invalid -z argument "${v}"`, 'Use -z follow,tcp,ascii|hex|raw,STREAM, e.g. -z follow,tcp,ascii,0.');
      o.follows.push({ mode: m[1] as FollowMode, stream: Number(m[2]) });
    } else if (a === '-q' || a === '-n') continue;
    else throw new CliError(`unknown option "${a}" with -z/--export-objects`, 'Use only -r FILE, -q, -n, -z follow,tcp,MODE,N and --export-objects http,DIR together.');
  }
  if (o.file === '') throw new CliError('no capture file given', 'Say which file to read: netlab read -r capture.pcap -q -z follow,tcp,ascii,0');
  return o;
}

export async function runFollow(argv: string[]): Promise<number> {
  try {
    const o = parseFollowArgs(argv);
    const followers = o.follows.map((f) => new TcpFollower(f.stream).attach());
    const objects = o.exportDir !== undefined ? new HttpObjectCollector().attach() : null;
    const engine = new Engine();
    let num = 0;
    let res;
    try {
      res = await readCaptureFile(o.file, { onRecord: (rec) => engine.dissect(rec, ++num, { tree: 'none', columns: false }) });
    } finally {
      for (const f of followers) f.detach();
      objects?.detach();
    }
    if (res.error && (res.error.code === 'ERR_FILE_NOT_FOUND' || res.error.code === 'ERR_FILE_UNREADABLE')) {
      throw new CliError(`${res.error.message}.`, res.error.hint, 2);
    }
    let out = '';
    o.follows.forEach((f, i) => { out += formatFollow(followers[i].detach(), f.mode); });
    if (out !== '') writeSync(1, out);
    if (objects !== null && o.exportDir !== undefined) {
      mkdirSync(o.exportDir, { recursive: true });
      for (const obj of objects.objects) writeFileSync(join(o.exportDir, obj.filename), obj.data);
    }
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`netlab: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
      return e.exitCode;
    }
    throw e;
  }
}
