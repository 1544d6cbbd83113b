// Follow TCP stream and Export HTTP objects against tshark 4.0.17: every stream of the three captures
// in ascii, hex and raw (tshark -q -z follow,tcp,MODE,N), and the files of --export-objects http,DIR.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../core/dissect/index.js';
import { TcpFollower, formatFollow, type FollowMode } from '../../../core/dissect/tap/follow-tcp.js';
import { HttpObjectCollector } from '../../../core/dissect/tap/http-objects.js';
import { readPcap } from '../../unit/core/dissect/proto/tshark-compare.js';
import { capturePath, type CaptureKind } from './captures.js';

function streamsOf(pcap: string): number {
  const out = execFileSync('tshark', ['-n', '-r', pcap, '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return Math.max(...out.split('\n').filter((l) => l !== '').map(Number)) + 1;
}

function pass(pcap: string, attach: () => void): void {
  attach();
  const e = new Engine();
  readPcap(pcap).forEach((rec, i) => e.dissect(rec, i + 1, { tree: 'none', columns: false }));
}

describe.each<CaptureKind>(['lab', 'lossy', 'reordered'])('follow TCP stream vs tshark (%s capture)', (kind) => {
  it('prints every stream in ascii, hex and raw exactly as tshark -q -z follow,tcp', () => {
    const pcap = capturePath(kind);
    const n = streamsOf(pcap);
    const modes: FollowMode[] = ['ascii', 'hex', 'raw'];
    const followers: TcpFollower[] = [];
    pass(pcap, () => { for (let s = 0; s < n; s++) followers.push(new TcpFollower(s).attach()); });
    let checked = 0;
    for (let s = 0; s < n; s++) {
      const r = followers[s].detach();
      for (const m of modes) {
        const want = execFileSync('tshark', ['-n', '-r', pcap, '-q', '-z', `follow,tcp,${m},${s}`], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
        expect({ stream: s, mode: m, text: Buffer.from(formatFollow(r, m), 'utf8').toString('latin1') }).toEqual({ stream: s, mode: m, text: want });
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });
});

describe('export HTTP objects vs tshark --export-objects http', () => {
  it('lists and saves the same files with the same bytes (decoded gzip, de-chunked, "%2f" for "/")', () => {
    const pcap = capturePath('lab');
    const dir = mkdtempSync(join(tmpdir(), 'nlI-eo-'));
    try {
      execFileSync('tshark', ['-n', '-r', pcap, '-q', '--export-objects', `http,${dir}`], { stdio: 'ignore' });
      const c = new HttpObjectCollector();
      pass(pcap, () => c.attach());
      const objs = c.detach();
      const names = readdirSync(dir).sort();
      expect(objs.map((o) => o.filename).sort()).toEqual(names);
      for (const o of objs) expect({ name: o.filename, bytes: Buffer.from(o.data).toString('hex') }).toEqual({ name: o.filename, bytes: readFileSync(join(dir, o.filename)).toString('hex') });
      const png = objs.find((o) => o.filename === 'logo.png')!;
      expect([png.host, png.contentType, png.size]).toEqual(['198.18.28.1:85', 'image/png', 2008]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
