// Field-by-field comparison of our Engine with tshark 4.0.17 on a capture, with tshark's DEFAULT
// preferences (TCP analysis and reassembly on): one pass (`tshark -n`, what `netlab read` does) or
// two (`tshark -n -2`, what the UI shows after re-dissecting a frame).
import { execFileSync } from 'node:child_process';
import { Engine } from '../../../core/dissect/index.js';
import { FT, fieldByName } from '../../../core/fields/registry.js';
import { dissect, readPcap, valueText } from '../../unit/core/dissect/proto/tshark-compare.js';
import type { PacketRecord } from '../../../core/capfile/record.js';

/** tshark's defaults: reassembly and analysis on. */
const DEFAULTS: ReadonlyMap<string, boolean> = new Map();

export function tshark(pcap: string, fields: string[], twoPass = false): string[][] {
  const args = ['-n', '-r', pcap, ...(twoPass ? ['-2'] : []), '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 << 20 });
  return out.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '').map((l) => l.split('\t'));
}

function text(name: string, v: unknown): string {
  const f = fieldByName(name);
  if (f === undefined) throw new Error(`no field ${name}`);
  if (f.type === FT.NONE) return '1';
  return valueText(name, v as never);
}

export function ours(e: Engine, fields: string[]): string[] {
  return fields.map((name) => {
    if (name === '_ws.col.Info') return e.pinfo.info;
    if (name === '_ws.col.Protocol') return e.pinfo.protocol;
    return e.tree.valuesOf(fieldByName(name)!).map((v) => text(name, v)).join(',');
  });
}

export interface Mismatch { frame: number; field: string; ours: string; tshark: string }

/** One line per difference, values cut to 60 characters, for readable test failures. */
export function brief(ms: Mismatch[], n = 25): string[] {
  const cut = (s: string) => (s.length > 60 ? s.slice(0, 60) + '…' : s);
  return ms.slice(0, n).map((m) => `#${m.frame} ${m.field}: ours=${cut(m.ours)} tshark=${cut(m.tshark)}`);
}

/**
 * Dissects every frame in order (and, with twoPass, every frame again in order as a revisit) and
 * returns the differences from tshark plus the number of non-empty values compared.
 */
export function compareCapture(pcap: string, fields: string[], twoPass = false): { mismatches: Mismatch[]; compared: number; frames: number } {
  const recs: PacketRecord[] = readPcap(pcap);
  const want = tshark(pcap, fields, twoPass);
  const e = new Engine();
  e.capture.frameData = (n) => recs[n - 1]?.data;
  const mismatches: Mismatch[] = [];
  let compared = 0;
  if (twoPass) for (let i = 0; i < recs.length; i++) dissect(e, recs[i], i + 1, 'none', false, DEFAULTS);
  for (let i = 0; i < recs.length; i++) {
    dissect(e, recs[i], i + 1, 'full', twoPass, DEFAULTS);
    const got = ours(e, fields);
    fields.forEach((f, j) => {
      const w = want[i]?.[j] ?? '';
      if (got[j] !== w) mismatches.push({ frame: i + 1, field: f, ours: got[j], tshark: w });
      else if (w !== '') compared++;
    });
  }
  return { mismatches, compared, frames: recs.length };
}
