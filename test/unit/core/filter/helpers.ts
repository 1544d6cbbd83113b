// Shared by the filter unit tests: real packets from a committed capture, dissected by the Engine,
// and a runner that answers "which frames does this filter keep?" the way `netlab read -Y` does.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCaptureReader, type PacketRecord } from '../../../../core/capfile/index.js';
import { Engine } from '../../../../core/dissect/index.js';
import type { TreeMode } from '../../../../core/dissect/tree.js';
import type { DisplayFilter } from '../../../../core/filter/index.js';

/** The lab exchange (ARP, curl and Chromium fetching the page and PNG logo from port 85), 74 frames. */
export const SAMPLE = join(import.meta.dirname, '..', '..', '..', '..', 'assets', 'sample', 'lab-exchange.pcapng');

export function loadRecords(path: string): PacketRecord[] {
  const recs: PacketRecord[] = [];
  const r = createCaptureReader((rec) => recs.push({ ...rec, data: rec.data.slice() }));
  r.push(new Uint8Array(readFileSync(path)));
  r.end();
  if (r.error) throw r.error;
  return recs;
}

/**
 * Frame numbers kept by `filter`, dissecting every record in order with a fresh Engine; `ordered` false
 * is the CLI's filter-only pass (a 'fields' tree without its skeleton).
 */
export function framesMatching(recs: readonly PacketRecord[], filter: DisplayFilter, mode: TreeMode = 'fields', ordered = true): number[] {
  const e = new Engine();
  const out: number[] = [];
  recs.forEach((rec, i) => {
    e.dissect(rec, i + 1, { tree: mode, interest: mode === 'fields' ? filter.interest : null, columns: false, ordered });
    if (filter.matches(e.tree)) out.push(i + 1);
  });
  return out;
}

/** "1-3,7" -> [1, 2, 3, 7] */
export function expand(spec: string): number[] {
  if (spec === '') return [];
  return spec.split(',').flatMap((p) => {
    const [a, b] = p.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, k) => a + k);
  });
}
