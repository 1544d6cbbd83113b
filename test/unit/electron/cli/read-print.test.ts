// -T fields prints a field's occurrences in tree order, as tshark (print.c walks the tree depth first),
// not in the order the dissectors added them. Real bytes: frames 1812 and 1816 of the merged public
// corpus (tcpdump's tests, an ARP capture). The second ARP request repeats 192.168.1.104 from another
// MAC, so ARP adds "Duplicate IP address configured" first; Ethernet adds its trailer's expert item
// after ARP returns, but under the Ethernet subtree, which comes first in the tree.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../../core/dissect/index.js';
import { parseArgs } from '../../../../electron/cli/read.js';
import { PacketPrinter, setFrameMeta } from '../../../../electron/cli/read-print.js';
import { loadFilter } from '../../../../electron/cli/read-filter.js';
import { readPcap } from '../../core/dissect/proto/tshark-compare.js';

const FRAMES: { sec: number; usec: number; hex: string }[] = [
  { sec: 1268518734, usec: 557054, hex: 'ffffffffffff001f29da2d7908060001080006040001001f29da2d79c0a8016800000000d900c0a80101000000000000000000000000000000000000' },
  { sec: 1268518742, usec: 552388, hex: 'ffffffffffff001f29da2d7908060001080006040001001f29e82d79c0a80168000000000000c0a80101000000000000000073000000000000000000' },
];

function pcap(): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  const parts = [head];
  for (const f of FRAMES) {
    const data = Buffer.from(f.hex, 'hex');
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(f.sec, 0);
    rec.writeUInt32LE(f.usec, 4);
    rec.writeUInt32LE(data.length, 8);
    rec.writeUInt32LE(data.length, 12);
    parts.push(rec, data);
  }
  return Buffer.concat(parts);
}

let dir = '';
let file = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nlO-read-print-'));
  file = join(dir, 'arp-dup.pcap');
  writeFileSync(file, pcap());
});
afterAll(() => { if (dir !== '') rmSync(dir, { recursive: true, force: true }); });

function ours(args: string[]): string {
  const o = parseArgs(['-r', file, ...args]);
  setFrameMeta(file);
  const p = new PacketPrinter(o, o.filter === undefined ? null : loadFilter(o.filter));
  return readPcap(file).map((rec, i) => p.print(rec, i + 1)).join('');
}

function tshark(args: string[]): string {
  return execFileSync('tshark', ['-n', '-r', file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

describe('netlab read -T fields: occurrences in tree order', () => {
  it('the frames are the corpus bytes tshark reads as intended', () => {
    expect(tshark(['-T', 'fields', '-e', 'frame.protocols', '-e', 'frame.len'])).toBe('eth:ethertype:arp\t60\neth:ethertype:arp\t60\n');
  });

  // 'fields' tree mode: only the asked-for items are kept; the skeleton of the others places them.
  it('puts the Ethernet trailer\'s expert item before ARP\'s, as tshark does (fields mode)', () => {
    const args = ['-T', 'fields', '-e', 'frame.number', '-e', '_ws.expert.message', '-e', '_ws.expert.severity', '-e', '_ws.expert.group'];
    const t = tshark(args);
    expect(t.split('\n')[1]).toMatch(/^2\tDidn't find padding of zeros.*,Duplicate IP address configured \(192\.168\.1\.104\)\t4194304,6291456\t/);
    expect(ours(args)).toBe(t);
  });

  // A protocol field (_ws.expert's text is its label) makes the tree 'full'.
  it('does the same with every item kept (full mode)', () => {
    const args = ['-T', 'fields', '-e', '_ws.expert', '-e', '_ws.expert.message', '-e', 'arp.src.proto_ipv4'];
    expect(ours(args)).toBe(tshark(args));
  });

  it('keeps first and last occurrence in tree order too (-E occurrence=f / l)', () => {
    for (const occ of ['f', 'l']) {
      const args = ['-T', 'fields', '-E', `occurrence=${occ}`, '-e', '_ws.expert.message'];
      expect(ours(args)).toBe(tshark(args));
    }
  });

  it('leaves a display filter on expert fields unaffected (-Y)', () => {
    const args = ['-Y', '_ws.expert.severity == 6291456', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.expert.message'];
    expect(ours(args)).toBe(tshark(args));
  });
});
