// IPv4 reassembly (ip-reassembly.ts through ip.ts) against tshark 4.0.17 with its default
// ip.defragment TRUE, on the l3 fixture's real fragmented pings (test/fixtures/l3/l3-frag.pcap, made
// by make.sh) as captured, and re-ordered with a conflicting duplicate fragment (the same real frames,
// one byte of a copy changed), on the first pass (tshark's one pass) and a second one (tshark -2).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, ROOT, Tvb } from '../../../../../core/dissect/index.js';
import type { PacketRecord } from '../../../../../core/capfile/record.js';
import { fieldByName } from '../../../../../core/fields/registry.js';
import { itemFieldText } from '../../../../../core/fields/format.js';
import { FragmentTable, defineFragmentFields } from '../../../../../core/dissect/proto/ip-reassembly.js';
import { proto_ip } from '../../../../../core/dissect/proto/ip.js';
import { readPcap } from './tshark-compare.js';

const FRAG = 'test/fixtures/l3/l3-frag.pcap';
const FIELDS = ['frame.protocols', 'ip.id', 'ip.fragment', 'ip.fragments', 'ip.fragment.count', 'ip.reassembled.length',
  'ip.reassembled.data', 'ip.reassembled_in', 'ip.fragment.overlap', 'ip.fragment.overlap.conflict', 'ip.fragment.error',
  'ip.fragment.multipletails', 'ip.fragment.toolongfragment', 'icmp.type', 'icmp.seq', 'data.len'];

function tshark(path: string, extra: string[]): string[] {
  const args = ['-n', '-r', path, ...extra, '-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f]), '-e', '_ws.col.Info'];
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter((l) => l !== '').map(v4);
}

/** IPv6 frames of the fixture (not reassembled yet, another dissector's) are left out as blanks. */
function v4(line: string): string {
  return line.startsWith('eth:ethertype:ipv6:') ? '' : line;
}

/** Our -T fields line for the frame just dissected (the CLI's formatter), Info last. */
function ourLine(e: Engine): string {
  const t = e.tree;
  const cols = FIELDS.map((name) => {
    const id = fieldByName(name)!.id;
    const vals: string[] = [];
    for (let i = 0; i < t.count; i++) if (t.field[i] === id) vals.push(itemFieldText(t, i));
    return vals.join(',');
  });
  return [...cols, e.pinfo.info].join('\t');
}

/** Our lines for every frame, on one pass, or on a second pass after a first (as tshark -2). */
function ours(recs: PacketRecord[], prefs: [string, boolean][] = [], passes = 1): string[] {
  const e = new Engine();
  for (const [k, v] of prefs) e.capture.prefs.set(k, v);
  let out: string[] = [];
  for (let p = 0; p < passes; p++) {
    out = recs.map((r, i) => {
      e.dissect(r, i + 1, { tree: 'full', columns: true });
      return v4(ourLine(e));
    });
  }
  return out;
}

function writePcap(recs: PacketRecord[]): { path: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'nlN1-frag-'));
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(recs[0].linkType, 20);
  const parts = [head];
  for (const r of recs) {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(r.tsSec, 0);
    h.writeUInt32LE(Math.floor(r.tsNsec / 1000), 4);
    h.writeUInt32LE(r.capLen, 8);
    h.writeUInt32LE(r.origLen, 12);
    parts.push(h, Buffer.from(r.data));
  }
  const path = join(dir, 'frag.pcap');
  writeFileSync(path, Buffer.concat(parts));
  return { path, done: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('IPv4 reassembly against tshark (ip.defragment TRUE)', () => {
  const recs = readPcap(FRAG);

  it('reassembles the fixture\'s fragmented pings on the frame of the last fragment, as tshark', () => {
    const t = tshark(FRAG, []);
    const o = ours(recs);
    expect(o).toEqual(t);
    // The check is not empty: two 3008-byte pings of six fragments each were reassembled.
    expect(o.filter((l) => l.includes('\t6\t3008\t')).length).toBe(2);
  });

  it('a second pass gives every fragment "[Reassembled in #N]", as tshark -2', () => {
    expect(ours(recs, [], 2)).toEqual(tshark(FRAG, ['-2']));
  });

  it('-o ip.defragment:FALSE hands a first fragment to ICMP and shows the others as data, as tshark', () => {
    expect(ours(recs, [['ip.defragment', false]])).toEqual(tshark(FRAG, ['-o', 'ip.defragment:FALSE']));
  });

  it('out-of-order fragments and a conflicting duplicate: overlap flags and the error item as tshark', () => {
    // Frames 11-16 are the first ping's fragments: last one first, then a copy of the third with one
    // payload byte changed (an overlap with conflicting data), then the rest.
    const ping = recs.slice(10, 16);
    const dup = { ...ping[2], data: Uint8Array.from(ping[2].data) };
    dup.data[60] ^= 0xff;
    const order = [ping[5], ping[2], ping[0], dup, ping[1], ping[3], ping[4]];
    const { path, done } = writePcap(order);
    try {
      const t = tshark(path, []);
      expect(ours(order)).toEqual(t);
      // The check is not empty: the last line lists the duplicate among the fragments, flagged.
      expect(t.at(-1)!.split('\t').slice(8, 11)).toEqual(['1', '1', '4']);
      // Info aside: ICMP's second pass adds "(no response found!)", which is ICMP's business.
      const noInfo = (l: string) => l.split('\t').slice(0, FIELDS.length).join('\t');
      expect(ours(order, [], 2).map(noInfo)).toEqual(tshark(path, ['-2']).map(noInfo));
    } finally {
      done();
    }
  });
});

describe('FragmentTable memory bounds', () => {
  const hf = defineFragmentFields(proto_ip, 'nlN1test', 'Test', 'nlN1test.reassembled_in');

  function ctxFor(e: Engine, num: number, visited = false) {
    e.pinfo.reset(num, 0, 0, 0, 0, 1, 0, visited, true);
    e.tree.reset('full', null);
    return { pinfo: e.pinfo, tree: e.tree, capture: e.capture };
  }
  const frame = (n: number, fill: number) => new Uint8Array(n).fill(fill);

  it('drops the oldest unfinished datagram beyond its byte budget, so it never completes', () => {
    const e = new Engine();
    const table = new FragmentTable('Reassembled Test', hf, 'fragments', 1000, 1 << 20);
    expect(table.add(ctxFor(e, 1), 'a', Tvb.of(frame(600, 1)), 0, 600, true)).toBeNull();
    expect(table.add(ctxFor(e, 2), 'b', Tvb.of(frame(600, 2)), 0, 600, true)).toBeNull();
    // 'a' was dropped to keep 600 of 1200 bytes: its tail starts a new datagram that lacks offset 0.
    expect(table.add(ctxFor(e, 3), 'a', Tvb.of(frame(8, 1)), 600, 8, false)).toBeNull();
    const b = table.add(ctxFor(e, 4), 'b', Tvb.of(frame(8, 2)), 600, 8, false);
    expect(b?.reassembledIn).toBe(4);
  });

  it('a revisit rebuilds a datagram that left the cache from the frames\' own bytes', () => {
    const e = new Engine();
    const table = new FragmentTable('Reassembled Test', hf, 'fragments', 1 << 20, 0);
    const frames = [Uint8Array.from([9, 9, 1, 2, 3, 4]), Uint8Array.from([9, 9, 5, 6])];
    e.capture.frameData = (n) => frames[n - 1];
    table.add(ctxFor(e, 1), 'k', Tvb.of(frames[0]).sub(2), 0, 4, true);
    const d = table.add(ctxFor(e, 2), 'k', Tvb.of(frames[1]).sub(2), 4, 2, false);
    expect(d).not.toBeNull();
    const ctx = ctxFor(e, 2, true);
    const again = table.add(ctx, 'k', Tvb.of(frames[1]).sub(2), 4, 2, false);
    const r = table.process(ctx, again, ROOT, Tvb.of(frames[1]));
    expect(Array.from(r.next!.bytesAt(0, 6))).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
