// -Y for `netlab read`: the bridge to the display-filter compiler (core/filter, issue 5). Kept in its
// own file so read.ts does not change when the compiler lands; only this file does.

import type { ProtoTree } from '../../core/dissect/tree.js';
import { CliError } from './cli-error.js';

export interface CompiledFilter {
  /** 1 at the ids of the fields the filter reads (merged with -e's into the engine's interest). */
  interest: Uint8Array;
  matches(tree: ProtoTree): boolean;
}

export async function loadFilter(text: string): Promise<CompiledFilter> {
  void text;
  throw new CliError('display filters (-Y) are not implemented yet', 'Drop -Y, or use -T fields and filter the lines yourself until issue 5 lands.', 2);
}
