// The display filter as the session uses it: core/filter's compileFilter (issue 5). Kept behind this
// one function so the session does not depend on the compiler's internals.

import type { ProtoTree } from '../../core/dissect/tree.js';

export interface SessionFilter {
  readonly interest: Uint8Array;
  matches(tree: ProtoTree): boolean;
}
export type CompiledFilter = { ok: true; filter: SessionFilter } | { ok: false; message: string; start: number; end: number };

type Compiler = (text: string) => CompiledFilter;
let compiler: Compiler | null = null;

/** Installed at start-up by whoever loads core/filter (the worker), so tests can install it too. */
export function setFilterCompiler(c: Compiler): void {
  compiler = c;
}

export function compileDisplayFilter(text: string): CompiledFilter {
  if (!compiler) return { ok: false, message: 'Display filters are not available in this build.', start: 0, end: text.length };
  return compiler(text);
}
