// Real parts: every file of the shared malformed-capture corpus (tcpdump's test captures and the
// pcapng conformance files Wireshark tests with), read by our streaming reader through the Node file
// service, against capinfos/tshark 4.0 (the same wiretap library) as the reference for packet counts.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../../electron/services/capture-file.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CORPUS = resolve(ROOT, '../shared/corpus');
const PER_FILE_MS = 5000;

function listCaptures(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listCaptures(p));
    else if (/\.pcap(ng)?$/.test(name)) out.push(p);
  }
  return out;
}

/** capinfos over many files in one process: packet count per file, or the error it printed. */
function capinfosCounts(files: string[]): Map<string, { count: number | null; error: string }> {
  const res = spawnSync('capinfos', ['-T', '-r', '-c', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const out = new Map<string, { count: number | null; error: string }>();
  for (const line of res.stdout.split('\n')) {
    const [f, n] = line.split('\t');
    if (f && n !== undefined) out.set(f, { count: Number(n), error: '' });
  }
  // Errors name the file: 'capinfos: The file "F" ...' followed by a '(detail)' line.
  const errLines = res.stderr.split('\n');
  for (let i = 0; i < errLines.length; i++) {
    const m = /The file "([^"]+)"/.exec(errLines[i]);
    if (!m) continue;
    const prev = out.get(m[1]);
    const detail = `${errLines[i]} ${errLines[i + 1]?.startsWith('(') ? errLines[i + 1] : ''}`.trim();
    out.set(m[1], { count: prev?.count ?? null, error: detail });
  }
  return out;
}

function tsharkCount(file: string): { count: number; error: string } {
  const r = spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const error = r.stderr.split('\n').filter((l) => l && !l.startsWith('Running as user')).join(' ');
  return { count: r.stdout.split('\n').filter(Boolean).length, error };
}

async function ours(file: string): Promise<{ count: number; error: string; code: string; ms: number }> {
  const t0 = performance.now();
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), PER_FILE_MS);
  const res = await readCaptureFile(file, { onRecord: () => undefined, signal: ctl.signal });
  clearTimeout(timer);
  return { count: res.count, error: res.error?.message ?? '', code: res.error?.code ?? '', ms: performance.now() - t0 };
}

const haveCorpus = existsSync(CORPUS);
if (!haveCorpus) console.warn(`capfile corpus tests skipped: ${CORPUS} is absent (it ships beside the repo as ../shared/corpus)`);

describe.skipIf(!haveCorpus)('capture-file corpus vs capinfos/tshark 4.0', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'nlA-corpus-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('reads every corpus file with the same packet count as wiretap, or explains why not', async () => {
    const files = listCaptures(CORPUS);
    expect(files.length).toBeGreaterThan(800);
    const ref = capinfosCounts(files);
    const disagreements: string[] = [];
    let same = 0;
    for (const f of files) {
      const o = await ours(f);
      expect(o.code, `${f} hung or was too slow`).not.toBe('ERR_ABORTED');
      const r = ref.get(f);
      if (r && r.error === '' && r.count === o.count && o.error === '') {
        same++;
        continue;
      }
      // Wiretap refuses link types it has no dissector for (DSA tags, Juniper, ...) and reads nothing;
      // we read the records and leave them to the `data` dissector. tshark must say exactly that.
      const t = tsharkCount(f);
      const wiretapRefusesLinkType = /network type \d+ unknown or unsupported/.test(t.error) && t.count === 0 && o.error === '';
      disagreements.push(`${relative(CORPUS, f)}\twiretap ${r?.count ?? '-'} ${r?.error ?? ''}\tours ${o.count} ${o.error}\t${wiretapRefusesLinkType ? 'accepted: tshark cannot open this link type' : 'UNEXPLAINED'}`);
    }
    console.log(`corpus: ${same} of ${files.length} files identical to capinfos; disagreements:\n${disagreements.join('\n')}`);
    expect(disagreements.filter((d) => d.endsWith('UNEXPLAINED'))).toEqual([]);
    expect(same).toBeGreaterThan(files.length - 30);
  });

  it('agrees with tshark -T fields | wc -l on a sample (tshark also counts pcapng custom blocks as frames)', async () => {
    const files = listCaptures(join(CORPUS, 'tcpdump-tests')).filter((_, i) => i % 25 === 0);
    for (const f of files) {
      const t = tsharkCount(f);
      if (t.error) continue;
      expect((await ours(f)).count, f).toBe(t.count);
    }
  });

  it('stops where wiretap stops on corpus files cut short, with the offset', async () => {
    const sources = listCaptures(CORPUS).filter((f) => /(pcapng-tests\/output_(le|be)\/difficult|tcpdump-tests\/(tcp|http|dns|arp|icmp))/.test(f)).slice(0, 30);
    const cuts: { path: string }[] = [];
    for (const src of sources) {
      const bytes = readFileSync(src);
      for (const frac of [0.31, 0.5, 0.77, 0.999]) {
        const at = Math.max(1, Math.floor(bytes.length * frac));
        const path = join(scratch, `${relative(CORPUS, src).replace(/\//g, '_')}.${at}.cut`);
        writeFileSync(path, bytes.subarray(0, at));
        cuts.push({ path });
      }
    }
    const ref = capinfosCounts(cuts.map((c) => c.path));
    const bad: string[] = [];
    for (const { path } of cuts) {
      const o = await ours(path);
      const r = ref.get(path)!;
      if (o.code === 'ERR_TRUNCATED' && o.count === 0 && r.count === 1 && r.error === '') {
        // Cut inside the first block: wiretap's pcapng open fails and its MIME-file reader then shows
        // the whole file as one "mime_dlt:file-pcapng" frame. We say the file is too short instead.
        const proto = execFileSync('tshark', ['-n', '-r', path, '-T', 'fields', '-e', 'frame.protocols'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        expect(proto.trim()).toMatch(/^mime_dlt:file-pcapng/);
        continue;
      }
      const wiretapFailed = r.error !== '';
      if (r.count !== null && o.count !== r.count) bad.push(`${path}: ours ${o.count}, capinfos ${r.count}`);
      if (wiretapFailed !== (o.error !== '')) bad.push(`${path}: ours "${o.error}", capinfos "${r.error}"`);
      if (o.error && !o.error.includes('too short')) expect(o.error).toContain(`byte offset`);
      expect(o.ms).toBeLessThan(PER_FILE_MS);
    }
    expect(cuts.length).toBeGreaterThan(40);
    expect(bad).toEqual([]);
  });

  it('tshark prints the same timestamps and lengths as we read, on every pcapng conformance file', async () => {
    const files = listCaptures(join(CORPUS, 'pcapng-tests'));
    for (const f of files) {
      const mine: string[] = [];
      await readCaptureFile(f, {
        onRecord: (r) => mine.push(`${r.tsSec === 0 && r.tsNsec === 0 ? '' : `${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}`}\t${r.origLen}\t${r.capLen}`),
      });
      // tshark also lists custom blocks as frames (no interface id): drop those lines.
      const theirs = execFileSync('tshark', ['-n', '-r', f, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.interface_id'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n').filter((l) => l && !l.endsWith('\t')).map((l) => l.split('\t').slice(0, 3).join('\t').replace(/^0\.000000000\t/, '\t'));
      expect(mine, f).toEqual(theirs);
    }
  });
});
