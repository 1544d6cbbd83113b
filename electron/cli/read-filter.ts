// -Y for `netlab read`: the bridge to the display-filter compiler (core/filter, issue 5). Kept in its
// own file so read.ts does not change when the compiler lands; only this file does.

import type { ProtoTree } from '../../core/dissect/tree.js';
import { compileFilter } from '../../core/filter/index.js';
import { CliError } from './cli-error.js';

export interface CompiledFilter {
  /** 1 at the ids of the fields the filter reads (merged with -e's into the engine's interest). */
  interest: Uint8Array;
  matches(tree: ProtoTree): boolean;
  /** Set when the filter needs only the frame's bytes (`frame contains "IHDR"`): no dissection needed. */
  matchesRaw: ((frame: Uint8Array) => boolean) | null;
}

export async function loadFilter(text: string): Promise<CompiledFilter> {
  const r = compileFilter(text);
  if (!r.ok) {
    // tshark prints the message, then the filter with a caret under the offending part.
    const caret = ' '.repeat(r.start) + '^' + '~'.repeat(Math.max(0, r.end - r.start - 1));
    throw new CliError(`${r.message}\n    ${text}\n    ${caret}`, 'Fix the display filter (Wireshark syntax, e.g. tcp.port == 85 && http).', 2);
  }
  for (const w of r.filter.warnings) process.stderr.write(`netlab: warning: ${w}\n`);
  return r.filter;
}
