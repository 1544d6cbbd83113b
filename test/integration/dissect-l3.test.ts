// The link, network and DNS dissectors through the real, bundled `netlab read` (dist/cli.mjs, rebuilt
// by the global setup) against tshark 4.0.17 on the l3 fixtures (real captures from two network
// namespaces, test/fixtures/l3/make.sh): -T fields output must be byte-identical for every field of
// these protocols that both register, and -T text (the summary lines) identical except for the one
// frame whose top protocol we do not dissect (STP over 802.3 LLC). Both run with IP and IPv6
// defragmentation off (-o ip.defragment:FALSE, as the engine's IPv4 reassembly honours it; IPv6 is not
// reassembled yet); the reassembling default is compared on the corpus (read-vs-tshark.test.ts).

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../core/dissect/index.js';
import { allFields } from '../../core/fields/registry.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIX = join(ROOT, 'test', 'fixtures', 'l3');
const PREFS = ['-n', '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE'];
const PROTOCOLS = ['eth', 'vlan', 'ieee8021ad', 'ieee8021ah', 'sll', 'null', 'raw', 'arp', 'ip', 'ipv6', 'ah', 'esp', 'udp', 'icmp', 'icmpv6', 'dns'];
const FILES = ['l3-eth.pcap', 'l3-frag.pcap', 'l3-vlan.pcap', 'l3-sll.pcap', 'l3-sll2.pcap', 'l3-null.pcap', 'l3-loop.pcap', 'l3-raw.pcap', 'l3-ipv4.pcap', 'l3-ipv6.pcap'];

interface Out { code: number; stdout: string; stderr: string }
function exec(cmd: string, args: string[]): Promise<Out> {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 256 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
const netlab = (args: string[]) => exec(process.execPath, [join(ROOT, 'bin', 'netlab.mjs'), 'read', ...args]);

let fields: string[] = [];

beforeAll(async () => {
  const g = await exec('tshark', ['-G', 'fields']);
  const known = new Set(g.stdout.split('\n').filter((l) => l.startsWith('F\t') || l.startsWith('P\t')).map((l) => l.split('\t')[2]));
  const mine = (a: string) => PROTOCOLS.some((p) => a === p || a.startsWith(p + '.'));
  fields = allFields().map((f) => f.abbrev).filter((a) => mine(a) && known.has(a));
});

describe('netlab read vs tshark on the l3 fixtures', () => {
  for (const file of FILES) {
    it(`-T fields is byte-identical for every l3 field on ${file}`, async () => {
      expect(fields.length).toBeGreaterThan(200);
      const args = ['-r', join(FIX, file), '-T', 'fields', '-e', 'frame.number', ...fields.flatMap((f) => ['-e', f])];
      const [ours, theirs] = await Promise.all([netlab([...PREFS, ...args]), exec('tshark', [...PREFS, ...args])]);
      expect(ours.stderr).toBe('');
      const o = ours.stdout.split('\n'), t = theirs.stdout.split('\n');
      expect(o.length).toBe(t.length);
      const diffs: string[] = [];
      for (let i = 0; i < t.length; i++) {
        const oc = o[i].split('\t'), tc = t[i].split('\t');
        for (let k = 0; k < fields.length; k++) {
          // tshark prints an empty byte field as "<none>" (ipv6.opt.padn of a PadN with length 0); the
          // shared -T fields formatter prints "" for now.
          if (fields[k] === 'ipv6.opt.padn' && (tc[k + 1] ?? '').replaceAll('<none>', '') === (oc[k + 1] ?? '')) continue;
          if ((oc[k + 1] ?? '') !== (tc[k + 1] ?? '')) diffs.push(`frame ${tc[0]} ${fields[k]}: ours ${JSON.stringify(oc[k + 1])} tshark ${JSON.stringify(tc[k + 1])}`);
        }
      }
      expect(diffs.slice(0, 20)).toEqual([]);
    });

    it(`-T text summary lines are identical on ${file}`, async () => {
      const args = ['-r', join(FIX, file)];
      const [ours, theirs] = await Promise.all([netlab([...PREFS, ...args]), exec('tshark', [...PREFS, ...args])]);
      const o = ours.stdout.split('\n'), t = theirs.stdout.split('\n');
      expect(o.length).toBe(t.length);
      const diffs = t.map((line, i) => (line !== o[i] && !/ STP \d+ /.test(line) ? `ours ${o[i]}\ntshark ${line}` : '')).filter((d) => d);
      expect(diffs).toEqual([]);
    });
  }
});
